package hooks_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

const materialsURL = "/api/collections/materials/records"

// materialForm is one material as the web app sends it: fields and, when
// name is set, a file called name holding data.
type materialForm struct {
	fields map[string]string
	name   string
	data   []byte
}

func (f materialForm) encode(t testing.TB) (io.Reader, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range f.fields {
		require.NoError(t, mw.WriteField(k, v))
	}
	if f.name != "" {
		fw, err := mw.CreateFormFile("file", f.name)
		require.NoError(t, err)
		_, err = fw.Write(f.data)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	return &body, mw.FormDataContentType()
}

// uploader sends a body only once the server asks for it ("Expect:
// 100-continue", as curl does for large uploads): an upload refused
// before it is read is answered, not cut off mid-write.
var uploader = &http.Client{Transport: &http.Transport{ExpectContinueTimeout: 5 * time.Second, MaxIdleConnsPerHost: 16}}

// send sends one request with body of contentType (none when body is nil).
func send(t testing.TB, srv *httptest.Server, method, path, token string, body io.Reader, contentType string) hookstest.Response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, body)
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	if body != nil {
		req.Header.Set("Expect", "100-continue")
	}
	res, err := uploader.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return hookstest.Response{Status: res.StatusCode, Body: raw}
}

// postMaterial creates a material as role through the records API.
func postMaterial(t testing.TB, srv *httptest.Server, role string, f materialForm) hookstest.Response {
	t.Helper()
	if f.fields["owner"] == "" {
		fields := map[string]string{"owner": cast.Users[role]}
		for k, v := range f.fields {
			fields[k] = v
		}
		f.fields = fields
	}
	body, ct := f.encode(t)
	return send(t, srv, http.MethodPost, materialsURL, cast.Tokens[role], body, ct)
}

// mustMaterial is postMaterial that must succeed; it returns the record.
func mustMaterial(t testing.TB, srv *httptest.Server, role string, f materialForm) map[string]any {
	t.Helper()
	res := postMaterial(t, srv, role, f)
	require.Equal(t, 200, res.Status, string(res.Body))
	return res.JSON()
}

// materialsApp is a clone with a live server and no rate limits.
func materialsApp(t *testing.T) (*tests.TestApp, *httptest.Server) {
	t.Helper()
	app := cast.Clone(t)
	t.Cleanup(app.Cleanup)
	hookstest.NoRateLimits(app)
	return app, hookstest.Serve(t, app)
}

// storedFiles counts the files kept for materials (thumbnails aside).
func storedFiles(t testing.TB, app core.App) int {
	t.Helper()
	col, err := app.FindCollectionByNameOrId("materials")
	require.NoError(t, err)
	n := 0
	root := filepath.Join(app.DataDir(), "storage", col.Id)
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && filepath.Ext(path) != ".attrs" {
			n++
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		require.NoError(t, err)
	}
	return n
}

// fileToken is a short-lived file token of role's.
func fileToken(t testing.TB, srv *httptest.Server, role string) string {
	t.Helper()
	res := hookstest.Call(t, srv, http.MethodPost, "/api/files/token", cast.Tokens[role], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	return res.JSON()["token"].(string)
}

// countMaterials counts the materials records matching a filter.
func countMaterials(t testing.TB, app core.App, filter string, params ...dbx.Params) int {
	t.Helper()
	rs, err := app.FindRecordsByFilter("materials", filter, "", 0, 0, params...)
	require.NoError(t, err)
	return len(rs)
}

// How long the tests wait for what happens after an answer (files are
// removed after their record is deleted).
const (
	fileWait = 5 * time.Second
	tick     = 20 * time.Millisecond
)

// readStored is the content of material m's stored file.
func readStored(t testing.TB, app core.App, m *core.Record) string {
	t.Helper()
	fsys, err := app.NewFilesystem()
	require.NoError(t, err)
	defer fsys.Close()
	r, err := fsys.GetReader(m.BaseFilesPath() + "/" + m.GetString("file"))
	require.NoError(t, err)
	defer r.Close()
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	return string(b)
}

func urlQuery(s string) string { return url.QueryEscape(s) }
