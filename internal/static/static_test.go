package static_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"tutorbase/internal/static"
)

var script = strings.Repeat("export const greeting = 'hello';\n", 100)

func files() fstest.MapFS {
	return fstest.MapFS{
		"index.html":           {Data: []byte("<!doctype html><title>app</title>" + strings.Repeat(" ", 300))},
		"app.js":               {Data: []byte(script)},
		"img/logo.png":         {Data: bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 200)},
		"js/lang/it.js":        {Data: []byte("export default {};")},
		"vendor/small.mjs":     {Data: []byte("export default 1;")},
		"sw.js":                {Data: []byte(script)},
		"manifest.webmanifest": {Data: []byte(`{"name": "Tutorbase", "display": "standalone"}` + strings.Repeat(" ", 300))},
	}
}

func get(t *testing.T, h http.Handler, method, path string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCompressed(t *testing.T) {
	h := static.New(files())
	res := get(t, h, http.MethodGet, "/app.js", map[string]string{"Accept-Encoding": "br, gzip;q=0.8"})
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d, encoding %q: want 200 gzip", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	raw := body(t, res)
	if len(raw) >= len(script)/4 {
		t.Errorf("gzip body is %d bytes of %d", len(raw), len(script))
	}
	zr, err := gzip.NewReader(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != script {
		t.Error("the gzip body does not unpack to the file")
	}
	if got := res.Header.Get("Content-Type"); got != "text/javascript; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	if res.Header.Get("Vary") != "Accept-Encoding" || res.Header.Get("Cache-Control") != static.CacheControl {
		t.Errorf("Vary %q, Cache-Control %q", res.Header.Get("Vary"), res.Header.Get("Cache-Control"))
	}

	for name, c := range map[string]struct {
		path, accept string
	}{
		"a client without gzip":    {"/app.js", ""},
		"gzip refused with q=0":    {"/app.js", "gzip;q=0, deflate"},
		"an image":                 {"/img/logo.png", "gzip"},
		"a file too small to gain": {"/vendor/small.mjs", "gzip"},
	} {
		res := get(t, h, http.MethodGet, c.path, map[string]string{"Accept-Encoding": c.accept})
		if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: status %d, encoding %q: want 200 plain", name, res.StatusCode, res.Header.Get("Content-Encoding"))
		}
	}
}

func TestRevalidation(t *testing.T) {
	h := static.New(files())
	for _, accept := range []string{"gzip", ""} {
		first := get(t, h, http.MethodGet, "/app.js", map[string]string{"Accept-Encoding": accept})
		etag := first.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"`) {
			t.Fatalf("no strong ETag: %q", etag)
		}
		again := get(t, h, http.MethodGet, "/app.js", map[string]string{"Accept-Encoding": accept, "If-None-Match": `"other", ` + etag})
		if again.StatusCode != http.StatusNotModified || body(t, again) != "" {
			t.Errorf("accept %q: a reload with the ETag answers %d, want 304 with no body", accept, again.StatusCode)
		}
		if again.Header.Get("ETag") != etag {
			t.Errorf("the 304 carries ETag %q, want %q", again.Header.Get("ETag"), etag)
		}
	}
	gz := get(t, h, http.MethodGet, "/app.js", map[string]string{"Accept-Encoding": "gzip"}).Header.Get("ETag")
	plain := get(t, h, http.MethodGet, "/app.js", nil).Header.Get("ETag")
	if gz == plain {
		t.Error("the gzip and plain forms share an ETag")
	}
	changed := get(t, h, http.MethodGet, "/app.js", map[string]string{"If-None-Match": `"stale"`})
	if changed.StatusCode != 200 {
		t.Errorf("a stale ETag answers %d, want 200", changed.StatusCode)
	}
}

func TestRouting(t *testing.T) {
	h := static.New(files())
	for _, c := range []struct {
		method, path string
		status       int
		want         string
	}{
		{http.MethodGet, "/", 200, "<title>app</title>"},
		{http.MethodGet, "/tutors/abc123", 200, "<title>app</title>"},
		{http.MethodGet, "/lessons/", 200, "<title>app</title>"},
		{http.MethodGet, "/js/lang/it.js", 200, "export default {};"},
		{http.MethodGet, "/js/missing.js", 404, ""},
		{http.MethodGet, "/js", 200, "<title>app</title>"},
		{http.MethodGet, "/../../etc/passwd", 200, "<title>app</title>"}, // never outside the files
		{http.MethodGet, "/../index.txt", 404, ""},
		{http.MethodHead, "/app.js", 200, ""},
		{http.MethodPost, "/app.js", 405, ""},
	} {
		res := get(t, h, c.method, c.path, nil)
		got := body(t, res)
		if res.StatusCode != c.status || !strings.Contains(got, c.want) {
			t.Errorf("%s %s: %d %.40q, want %d with %q", c.method, c.path, res.StatusCode, got, c.status, c.want)
		}
	}
	head := get(t, h, http.MethodHead, "/app.js", nil)
	if head.Header.Get("Content-Length") != "3300" {
		t.Errorf("HEAD Content-Length %q, want 3300", head.Header.Get("Content-Length"))
	}
}

// TestDocumentHeaders: a document keeps the policies the server's
// middleware set; scripts and stylesheets shed those only a document obeys.
func TestDocumentHeaders(t *testing.T) {
	h := static.New(files())
	policies := func(path string) http.Header {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Security-Policy", "default-src 'self'")
		rec.Header().Set("X-Frame-Options", "DENY")
		rec.Header().Set("X-Content-Type-Options", "nosniff")
		h.ServeHTTP(rec, req)
		return rec.Result().Header
	}
	for _, path := range []string{"/", "/tutors/abc", "/img/logo.png"} {
		if policies(path).Get("Content-Security-Policy") == "" || policies(path).Get("X-Frame-Options") == "" {
			t.Errorf("%s lost the document policies", path)
		}
	}
	js := policies("/app.js")
	if js.Get("Content-Security-Policy") != "" || js.Get("X-Frame-Options") != "" {
		t.Errorf("a script carries document policies: %v", js)
	}
	if js.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("a script lost nosniff")
	}
	// the service worker runs under the policy of its own script
	if sw := policies("/sw.js"); sw.Get("Content-Security-Policy") == "" {
		t.Errorf("the service worker lost its Content-Security-Policy: %v", sw)
	}
}

// TestManifest: the web app manifest has its own type, and is gzipped and
// revalidated like every text file.
func TestManifest(t *testing.T) {
	h := static.New(files())
	res := get(t, h, http.MethodGet, "/manifest.webmanifest", map[string]string{"Accept-Encoding": "gzip"})
	if got := res.Header.Get("Content-Type"); got != "application/manifest+json" {
		t.Errorf("Content-Type %q, want application/manifest+json", got)
	}
	if res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("ETag") == "" {
		t.Errorf("want a gzipped answer with an ETag, got %v", res.Header)
	}
}

// TestUnknownAPIPath: a GET of an API path no route took is a JSON 404,
// not the app's page; an app path still answers the page.
func TestUnknownAPIPath(t *testing.T) {
	h := static.New(files())
	for _, p := range []string{"/api/nope", "/api/collections/nope/records", "/api", "/api/"} {
		res := get(t, h, http.MethodGet, p, nil)
		b := body(t, res)
		if res.StatusCode != http.StatusNotFound || res.Header.Get("Content-Type") != "application/json" || !strings.Contains(b, `"status":404`) {
			t.Errorf("GET %s: %d %q %s; want a JSON 404", p, res.StatusCode, res.Header.Get("Content-Type"), b)
		}
	}
	if res := get(t, h, http.MethodGet, "/apiary", nil); res.StatusCode != 200 || !strings.Contains(body(t, res), "<title>app</title>") {
		t.Errorf("GET /apiary: %d, want the app's page", res.StatusCode)
	}
}
