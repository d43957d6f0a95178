// Package static serves the web app's files (pb_public, embedded in the
// binary) the way a slow phone link wants them:
//
//   - compressed: each text file is gzipped once, the first time it is asked
//     for, and kept in memory (the embedded files never change while the
//     process runs), then sent to every client that accepts gzip;
//   - revalidated, never downloaded twice: each answer carries a strong ETag
//     (a hash of its bytes) and "Cache-Control: no-cache", so a reload asks
//     again and gets "304 Not Modified" with no body for what is unchanged.
//     The app has no build step and so no hashed file names: a longer
//     max-age would keep an old script after an upgrade;
//   - routed: a path that is not a file and has no extension answers
//     index.html (the app routes on the path); a missing file with an
//     extension is a 404, so a missing script never arrives as HTML; a path
//     under /api/ that no route took is a JSON 404 in PocketBase's error
//     shape, never the app's page with a 200.
//
// The package has no PocketBase import: main wraps [Handler] into a route.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// Index is the page every app path answers.
const Index = "index.html"

// CacheControl is sent with every file: keep it, but ask before using it.
const CacheControl = "no-cache"

// minGzip is the smallest file worth compressing.
const minGzip = 256

// Handler serves one file system. Create it with [New].
type Handler struct {
	fsys  fs.FS
	mu    sync.Mutex
	files map[string]*file
}

// file is one file's bytes, read and hashed once, and its gzip form, made
// on first use.
type file struct {
	ctype    string
	raw      []byte
	etag     string
	gzipOnce sync.Once
	gz       []byte // nil: not worth compressing
	gzEtag   string
}

// New serves the files of fsys.
func New(fsys fs.FS) *Handler {
	return &Handler{fsys: fsys, files: map[string]*file{}}
}

// ServeHTTP answers GET and HEAD with the file named by the URL path.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "Method not allowed.", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "api" || strings.HasPrefix(name, "api/") {
		apiNotFound(w)
		return
	}
	if name == "" {
		name = Index
	}
	f, err := h.load(name)
	if err != nil && !strings.Contains(path.Base(name), ".") {
		f, err = h.load(Index)
	}
	if err != nil {
		http.NotFound(w, r)
		return
	}
	body, etag := f.raw, f.etag
	w.Header().Add("Vary", "Accept-Encoding")
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		if gz, gzEtag := f.gzipped(); gz != nil {
			body, etag = gz, gzEtag
			w.Header().Set("Content-Encoding", "gzip")
		}
	}
	hd := w.Header()
	if subresource(name, f.ctype) {
		// a document's policies (set for every answer by the server's
		// security middleware) mean nothing on a script or a stylesheet: on a
		// slow link their bytes, sent with each of a page's files, are not free
		for _, k := range documentOnlyHeaders {
			hd.Del(k)
		}
	}
	hd.Set("Content-Type", f.ctype)
	hd.Set("ETag", etag)
	hd.Set("Cache-Control", CacheControl)
	if matches(r.Header.Get("If-None-Match"), etag) {
		hd.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(body)
	}
}

// apiNotFound answers an unknown API path as PocketBase answers an unknown
// record: a JSON 404 a client's SDK reads like any API error.
func apiNotFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte(`{"data":{},"message":"The requested resource wasn't found.","status":404}` + "\n"))
}

// load reads (once) the file called name.
func (h *Handler) load(name string) (*file, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if f, ok := h.files[name]; ok {
		return f, nil
	}
	st, err := fs.Stat(h.fsys, name)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fs.ErrNotExist
	}
	raw, err := fs.ReadFile(h.fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	f := &file{ctype: contentType(name), raw: raw, etag: etagOf(raw, "")}
	h.files[name] = f
	return f, nil
}

// gzipped returns the gzip form of f and its ETag, or nil when f is not
// worth compressing (small, or an already compressed format).
func (f *file) gzipped() ([]byte, string) {
	f.gzipOnce.Do(func() {
		if len(f.raw) < minGzip || !compressible(f.ctype) {
			return
		}
		var b bytes.Buffer
		zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
		if err != nil {
			return
		}
		if _, err := zw.Write(f.raw); err != nil || zw.Close() != nil {
			return
		}
		if b.Len() < len(f.raw) {
			f.gz, f.gzEtag = b.Bytes(), etagOf(f.raw, "-gz")
		}
	})
	return f.gz, f.gzEtag
}

// etagOf is a strong ETag of raw's bytes; suffix tells encodings apart.
func etagOf(raw []byte, suffix string) string {
	sum := sha256.Sum256(raw)
	return `"` + hex.EncodeToString(sum[:12]) + suffix + `"`
}

// documentOnlyHeaders are response headers that only a document (HTML, or
// an SVG opened on its own) obeys.
var documentOnlyHeaders = []string{"Content-Security-Policy", "Permissions-Policy", "X-Frame-Options", "Cross-Origin-Opener-Policy"}

// ServiceWorker is the web app's service worker script. A worker's
// policies come with its own script (a worker has no document), so it
// keeps the headers other scripts drop.
const ServiceWorker = "sw.js"

// subresource reports whether a file is only ever a page's script or
// stylesheet, never a document (or a worker) of its own.
func subresource(name, ctype string) bool {
	if name == ServiceWorker {
		return false
	}
	return strings.HasPrefix(ctype, "text/javascript") || strings.HasPrefix(ctype, "text/css")
}

// contentType is the MIME type of name by its extension.
func contentType(name string) string {
	switch ext := path.Ext(name); ext {
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".json":
		return "application/json"
	case ".webmanifest":
		return "application/manifest+json"
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
		return "application/octet-stream"
	}
}

// compressible tells text-like types, which gzip shrinks, from images and
// fonts, which are compressed already.
func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.HasPrefix(ctype, "image/svg") ||
		strings.HasPrefix(ctype, "application/json") || strings.HasPrefix(ctype, "application/manifest+json")
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) without q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "*" {
			continue
		}
		if q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				continue
			}
		}
		return true
	}
	return false
}

// matches reads an If-None-Match header: "*" or a list of ETags (weak
// ones compared weakly, as RFC 9110 asks for this header).
func matches(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}
