package hooks_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// An upload is held to the school's limits (size, types) with a field
// error in PocketBase's shape, and nothing is stored; a link is a web
// address; staff change the limits on the school record.
func TestMaterialUploadLimits(t *testing.T) {
	t.Parallel()
	app, srv := materialsApp(t)
	student := cast.Users[hookstest.Student]
	before := storedFiles(t, app)

	ok := mustMaterial(t, srv, hookstest.Tutor, materialForm{fields: map[string]string{"title": "Worksheet", "folder": "Week 1", "shared_with": student}, name: "worksheet.pdf", data: []byte("%PDF-1.4 x")})
	require.Equal(t, true, ok["latest"])
	require.EqualValues(t, 1, ok["version"])
	require.EqualValues(t, 10, ok["size"])
	require.Equal(t, "Tina Tutor", ok["owner_name"])
	require.Equal(t, before+1, storedFiles(t, app))

	refused := func(name string, f materialForm, status int, field, code string) {
		t.Helper()
		n, files := countMaterials(t, app, "id != ''"), storedFiles(t, app)
		res := postMaterial(t, srv, hookstest.Tutor, f)
		require.Equal(t, status, res.Status, "%s: %s", name, res.Body)
		require.Contains(t, string(res.Body), fmt.Sprintf(`"%s":{"code":"%s"`, field, code), name)
		require.Equal(t, n, countMaterials(t, app, "id != ''"), "%s: no record", name)
		require.Equal(t, files, storedFiles(t, app), "%s: no file", name)
	}
	refused("a type the school does not take", materialForm{fields: map[string]string{"title": "Tool"}, name: "setup.exe", data: []byte("MZ")}, 400, "file", "file_type_not_allowed")
	refused("a web page", materialForm{fields: map[string]string{"title": "Page"}, name: "page.html", data: []byte("<script>")}, 400, "file", "file_type_not_allowed")
	refused("no extension", materialForm{fields: map[string]string{"title": "Blob"}, name: "README", data: []byte("x")}, 400, "file", "file_type_not_allowed")
	refused("neither file nor link", materialForm{fields: map[string]string{"title": "Nothing"}}, 400, "file", "validation_required")
	refused("both", materialForm{fields: map[string]string{"title": "Both", "url": "https://example.com"}, name: "a.pdf", data: []byte("x")}, 400, "url", "file_or_link")
	for _, bad := range []string{"javascript:alert(1)", "ftp://example.com/file.pdf", "https://", "example.com/video", "data:text/html,hi"} {
		refused("link "+bad, materialForm{fields: map[string]string{"title": "Link", "url": bad}}, 400, "url", "invalid_link")
	}
	link := mustMaterial(t, srv, hookstest.Tutor, materialForm{fields: map[string]string{"title": "Video", "url": "https://videos.example.com/watch?v=1"}})
	require.EqualValues(t, 0, link["size"])

	// staff lower the limit to 1 MB and change the types
	res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/school/records/tutorbaseschool", cast.Tokens[hookstest.Admin],
		map[string]any{"material_max_mb": 1, "material_types": []string{".PDF", "txt", "Exe", "pdf"}})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"material_types":["pdf","txt","exe"]`, "tidied")
	big := bytes.Repeat([]byte("a"), 3<<20)
	refused("over the school's limit", materialForm{fields: map[string]string{"title": "Big"}, name: "big.txt", data: big}, 413, "file", "file_too_large")
	refused("within the slack, over the limit", materialForm{fields: map[string]string{"title": "Big"}, name: "big.txt", data: big[:1<<20+1]}, 400, "file", "file_too_large")
	mustMaterial(t, srv, hookstest.Tutor, materialForm{fields: map[string]string{"title": "Exactly 1 MB"}, name: "ok.txt", data: big[:1<<20]})
	mustMaterial(t, srv, hookstest.Tutor, materialForm{fields: map[string]string{"title": "Now allowed"}, name: "tool.exe", data: []byte("MZ")})
	refused("docx is no longer taken", materialForm{fields: map[string]string{"title": "Doc"}, name: "a.docx", data: []byte("PK")}, 400, "file", "file_type_not_allowed")

	for _, bad := range []any{[]string{"pdf;rm"}, []string{""}, "pdf", []string{strings.Repeat("x", 11)}} {
		res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/school/records/tutorbaseschool", cast.Tokens[hookstest.Admin], map[string]any{"material_types": bad})
		require.Equal(t, 400, res.Status, "%v: %s", bad, res.Body)
		require.Contains(t, string(res.Body), `"material_types":{"code":"invalid_types"`)
	}
	res = hookstest.Call(t, srv, http.MethodPatch, "/api/collections/school/records/tutorbaseschool", cast.Tokens[hookstest.Tutor], map[string]any{"material_max_mb": 2000})
	require.Equal(t, 404, res.Status, "only staff change the school's limits")
}

// generated is a body of n zero bytes between a prefix and a suffix, made
// as it is read (nothing of it is held), counting what was read.
type generated struct {
	prefix, suffix io.Reader
	left           int64
	read           atomic.Int64
}

func (g *generated) Read(p []byte) (int, error) {
	if n, err := g.prefix.Read(p); n > 0 || err != io.EOF {
		g.read.Add(int64(n))
		return n, err
	}
	if g.left > 0 {
		n := int(min(int64(len(p)), g.left))
		clear(p[:n])
		g.left -= int64(n)
		g.read.Add(int64(n))
		return n, nil
	}
	n, err := g.suffix.Read(p)
	g.read.Add(int64(n))
	return n, err
}

// bigUpload is a multipart upload of a size-byte video by the tutor.
func bigUpload(size int64) (*generated, string, int64) {
	const boundary = "tutorbase-big-upload"
	prefix := fmt.Sprintf("--%[1]s\r\nContent-Disposition: form-data; name=\"owner\"\r\n\r\n%[2]s\r\n"+
		"--%[1]s\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nWhole course\r\n"+
		"--%[1]s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"course.mp4\"\r\nContent-Type: video/mp4\r\n\r\n",
		boundary, cast.Users[hookstest.Tutor])
	suffix := "\r\n--" + boundary + "--\r\n"
	g := &generated{prefix: strings.NewReader(prefix), suffix: strings.NewReader(suffix), left: size}
	return g, "multipart/form-data; boundary=" + boundary, int64(len(prefix)) + size + int64(len(suffix))
}

// A 500 MB upload is refused without being read into memory: with its
// length declared it is answered before its body is read (the client sent
// "Expect: 100-continue", as curl does, and never has to send it);
// streamed without one (chunked), it is cut off just past the school's
// 50 MB. Either way the answer is a 413 with a field error and
// "Connection: close", nothing is stored, and the process allocates a
// fraction of the upload.
func TestHugeUploadIsRefusedUnread(t *testing.T) {
	app, srv := materialsApp(t)
	const size = 500 << 20
	for _, declared := range []bool{true, false} {
		t.Run(fmt.Sprintf("declared length %v", declared), func(t *testing.T) {
			files, n := storedFiles(t, app), countMaterials(t, app, "id != ''")
			body, ct, length := bigUpload(size)
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			var status int
			var raw []byte
			if declared {
				status, raw = postDeclared(t, srv.URL, body, ct, length)
			} else {
				status, raw = postChunked(t, srv.URL, body, ct)
			}
			runtime.ReadMemStats(&m1)

			require.Equal(t, http.StatusRequestEntityTooLarge, status, string(raw))
			// the people of the test cast speak the school's language, Italian
			require.Contains(t, string(raw), `"file":{"code":"file_too_large","message":"Questo file è troppo grande: ogni file può essere al massimo di 50 MB."}`)
			sent := body.read.Load()
			allocated := m1.TotalAlloc - m0.TotalAlloc
			t.Logf("sent %d MB of 500, allocated %d MB", sent>>20, allocated>>20)
			if declared {
				require.Less(t, sent, int64(1<<20), "refused before the body was read")
				require.Less(t, allocated, uint64(8<<20), "nothing of it allocated")
			} else {
				// PocketBase keeps a 16 MB in-memory copy of a body (the
				// rest in a temp file) and its multipart reader another
				require.Less(t, sent, int64(64<<20), "cut off just past the limit")
				require.Less(t, allocated, uint64(160<<20), "never held: a fraction of the 500 MB is allocated")
			}
			require.Equal(t, files, storedFiles(t, app))
			require.Equal(t, n, countMaterials(t, app, "id != ''"))
		})
	}
}

// postDeclared sends the upload with its length and "Expect:
// 100-continue": the body follows only if the server asks for it.
func postDeclared(t *testing.T, base string, body io.Reader, ct string, length int64) (int, []byte) {
	req, err := http.NewRequest(http.MethodPost, base+materialsURL, body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", cast.Tokens[hookstest.Tutor])
	req.Header.Set("Expect", "100-continue")
	req.ContentLength = length
	client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: 10 * time.Second}}
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.True(t, res.Close, "the server closes the connection rather than read the body")
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw
}

// postChunked streams the upload without a length over a plain
// connection, reading the answer while it writes (as a browser does): Go's
// client gives up on a request whose body the server stopped reading.
func postChunked(t *testing.T, base string, body io.Reader, ct string) (int, []byte) {
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	go func() {
		w := bufio.NewWriter(conn)
		fmt.Fprintf(w, "POST %s HTTP/1.1\r\nHost: tutorbase\r\nContent-Type: %s\r\nAuthorization: %s\r\nTransfer-Encoding: chunked\r\n\r\n",
			materialsURL, ct, cast.Tokens[hookstest.Tutor])
		cw := httputil.NewChunkedWriter(w)
		if _, err := io.Copy(cw, body); err == nil {
			cw.Close()
			io.WriteString(w, "\r\n")
			w.Flush()
		}
	}()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second)))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer res.Body.Close()
	require.True(t, res.Close, "the server closes the connection rather than read the rest")
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw
}
