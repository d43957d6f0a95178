package hooks_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/stretchr/testify/require"
)

// noRedirects is a client that shows redirects instead of following them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func getWith(t testing.TB, client *http.Client, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, raw
}

// downloadsOf lists who downloaded material id, as its owner sees them.
func downloadsOf(t testing.TB, srv *httptest.Server, id string) []string {
	t.Helper()
	res := hookstest.Call(t, srv, http.MethodGet, "/api/collections/material_downloads/records?sort=created&filter="+urlQuery(`material = "`+id+`"`), cast.Tokens[hookstest.Tutor], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	var out []string
	for _, it := range res.JSON()["items"].([]any) {
		out = append(out, it.(map[string]any)["user_name"].(string))
	}
	return out
}

// Every download of a material through PocketBase's protected file API
// (a short-lived file token) is recorded for its tutor: once per download
// (not per range of a video, not the tutor's own); a link is opened
// through /open, which records it too. Whoever may not see a material
// gets a 404, a visitor a 401.
func TestMaterialDownloadsAreRecorded(t *testing.T) {
	t.Parallel()
	_, srv := materialsApp(t)
	student := cast.Users[hookstest.Student]
	sheet := mustMaterial(t, srv, hookstest.Tutor, materialForm{fields: map[string]string{"title": "Sheet", "shared_with": student}, name: "sheet.pdf", data: []byte("%PDF sheet")})
	link := mustMaterial(t, srv, hookstest.Tutor, materialForm{fields: map[string]string{"title": "Video", "url": "https://videos.example.com/v/1", "booking": cast.IDs["booking"]}})
	id, file := sheet["id"].(string), sheet["file"].(string)
	fileURL := srv.URL + "/api/files/materials/" + id + "/" + file + "?token="

	res, raw := getWith(t, http.DefaultClient, fileURL+fileToken(t, srv, hookstest.Student), nil)
	require.Equal(t, 200, res.StatusCode)
	require.Equal(t, "%PDF sheet", string(raw))
	res, _ = getWith(t, http.DefaultClient, fileURL+fileToken(t, srv, hookstest.Student), map[string]string{"Range": "bytes=4-"})
	require.Equal(t, 206, res.StatusCode, "the rest of a download under way")
	res, _ = getWith(t, http.DefaultClient, fileURL+fileToken(t, srv, hookstest.Tutor), nil)
	require.Equal(t, 200, res.StatusCode, "the tutor's own download")
	for _, role := range []string{hookstest.Student2, hookstest.Tutor2} {
		res, _ = getWith(t, http.DefaultClient, fileURL+fileToken(t, srv, role), nil)
		require.Equal(t, 404, res.StatusCode, role)
	}
	res, _ = getWith(t, http.DefaultClient, fileURL, nil)
	require.Equal(t, 404, res.StatusCode, "no token")
	require.Equal(t, []string{"Stella Student"}, downloadsOf(t, srv, id))

	// /open: a link goes to its address, a file to its download
	open := srv.URL + "/api/materials/" + link["id"].(string) + "/open?token="
	res, _ = getWith(t, noRedirects, open+fileToken(t, srv, hookstest.Student), nil)
	require.Equal(t, 302, res.StatusCode)
	require.Equal(t, "https://videos.example.com/v/1", res.Header.Get("Location"))
	require.Equal(t, []string{"Stella Student"}, downloadsOf(t, srv, link["id"].(string)), "the lesson's student opened it")
	res, _ = getWith(t, noRedirects, open+fileToken(t, srv, hookstest.Student2), nil)
	require.Equal(t, 404, res.StatusCode)
	res, _ = getWith(t, noRedirects, open, nil)
	require.Equal(t, 401, res.StatusCode)
	res, raw = getWith(t, http.DefaultClient, srv.URL+"/api/materials/"+id+"/open", map[string]string{"Authorization": cast.Tokens[hookstest.Admin]})
	require.Equal(t, 200, res.StatusCode, "staff open any file")
	require.Equal(t, "%PDF sheet", string(raw))
	require.Equal(t, []string{"Stella Student", "Ada Admin"}, downloadsOf(t, srv, id))

	// who downloaded is the tutor's (and staff's) to see
	// (and the fixture's one download)
	for role, want := range map[string]int{hookstest.Student: 0, hookstest.Tutor2: 0, hookstest.Tutor: 4, hookstest.Admin: 4} {
		res := hookstest.Call(t, srv, http.MethodGet, "/api/collections/material_downloads/records", cast.Tokens[role], nil)
		require.Equal(t, 200, res.Status)
		require.EqualValues(t, want, res.JSON()["totalItems"], role)
	}
}

// zipEntries reads a zip answer: name -> content.
func zipEntries(t testing.TB, raw []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	require.NoError(t, err)
	out := map[string]string{}
	for _, f := range zr.File {
		r, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		out[f.Name] = string(b)
	}
	return out
}

// Several materials download as one zip, streamed as each file is read
// (no length known in advance, a few MB of memory for a 40 MB file), with
// folders, unique names and a list of the links; any material the caller
// may not see refuses the whole zip.
func TestMaterialsZip(t *testing.T) {
	app, srv := materialsApp(t)
	student := cast.Users[hookstest.Student]
	share := map[string]string{"shared_with": student, "folder": "Week 1"}
	a := mustMaterial(t, srv, hookstest.Tutor, materialForm{fields: withTitle(share, "Notes"), name: "notes.txt", data: []byte("notes one")})
	b := mustMaterial(t, srv, hookstest.Tutor, materialForm{fields: withTitle(share, "Notes"), name: "other.txt", data: []byte("notes two")})
	c := mustMaterial(t, srv, hookstest.Tutor, materialForm{fields: withTitle(share, "Film"), name: "film.mp4", data: []byte("not really a film")})
	l := mustMaterial(t, srv, hookstest.Tutor, materialForm{fields: map[string]string{"title": "Reading", "url": "https://example.com/read", "shared_with": student}})
	mine := mustMaterial(t, srv, hookstest.Tutor, materialForm{fields: map[string]string{"title": "Private"}, name: "p.txt", data: []byte("private")})
	ids := strings.Join([]string{a["id"].(string), b["id"].(string), c["id"].(string), l["id"].(string)}, ",")

	res, raw := getWith(t, http.DefaultClient, srv.URL+"/api/materials/zip?ids="+ids+"&token="+fileToken(t, srv, hookstest.Student), nil)
	require.Equal(t, 200, res.StatusCode, string(raw))
	require.Equal(t, "application/zip", res.Header.Get("Content-Type"))
	require.Contains(t, res.Header.Get("Content-Disposition"), `attachment; filename="materials-`)
	got := zipEntries(t, raw)
	require.Equal(t, map[string]string{
		"Week 1/Notes.txt": "notes one", "Week 1/Notes (2).txt": "notes two", "Week 1/Film.mp4": "not really a film",
		"links.txt": "Reading: https://example.com/read\r\n",
	}, got)
	require.Len(t, downloadsOf(t, srv, c["id"].(string)), 1, "each file's download recorded")

	for name, q := range map[string]string{
		"a material not shared with them": ids + "," + mine["id"].(string),
		"an unknown one":                  ids + ",nosuchmaterial1",
	} {
		res, raw := getWith(t, http.DefaultClient, srv.URL+"/api/materials/zip?ids="+q+"&token="+fileToken(t, srv, hookstest.Student), nil)
		require.Equal(t, 404, res.StatusCode, name)
		require.Contains(t, string(raw), `"ids":{"code":"not_found"`, name)
	}
	res, raw = getWith(t, http.DefaultClient, srv.URL+"/api/materials/zip?ids=", map[string]string{"Authorization": cast.Tokens[hookstest.Student]})
	require.Equal(t, 400, res.StatusCode)
	require.Contains(t, string(raw), `"ids":{"code":"validation_required"`)
	many := make([]string, 101)
	for i := range many {
		many[i] = fmt.Sprintf("m%d", i)
	}
	res, raw = getWith(t, http.DefaultClient, srv.URL+"/api/materials/zip?ids="+strings.Join(many, ","), map[string]string{"Authorization": cast.Tokens[hookstest.Student]})
	require.Equal(t, 400, res.StatusCode)
	require.Contains(t, string(raw), `"ids":{"code":"too_many"`)
	res, _ = getWith(t, http.DefaultClient, srv.URL+"/api/materials/zip?ids="+ids, nil)
	require.Equal(t, 401, res.StatusCode)

	// a 40 MB recording is copied through, never held
	big := bigMaterial(t, app, 40<<20)
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/materials/zip?ids="+big.Id, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", cast.Tokens[hookstest.Student])
	zres, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.Equal(t, []string{"chunked"}, zres.TransferEncoding, "streamed: its length is not known in advance")
	n, err := io.Copy(io.Discard, zres.Body)
	require.NoError(t, err)
	zres.Body.Close()
	runtime.ReadMemStats(&m1)
	require.Greater(t, n, int64(40<<20))
	allocated := m1.TotalAlloc - m0.TotalAlloc
	t.Logf("zipped %d MB, allocated %d MB", n>>20, allocated>>20)
	require.Less(t, allocated, uint64(12<<20), "streamed, not built in memory")
}

func withTitle(fields map[string]string, title string) map[string]string {
	out := map[string]string{"title": title}
	for k, v := range fields {
		out[k] = v
	}
	return out
}

// bigMaterial saves a material of size zero bytes shared with the
// student, from a temp file (the test never holds it either).
func bigMaterial(t *testing.T, app core.App, size int64) *core.Record {
	path := filepath.Join(t.TempDir(), "lecture.mp4")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(size))
	require.NoError(t, f.Close())
	file, err := filesystem.NewFileFromPath(path)
	require.NoError(t, err)
	col, err := app.FindCollectionByNameOrId("materials")
	require.NoError(t, err)
	m := core.NewRecord(col)
	m.Load(map[string]any{"owner": cast.Users[hookstest.Tutor], "title": "Lecture", "file": file, "shared_with": []string{cast.Users[hookstest.Student]}})
	require.NoError(t, app.Save(m))
	return m
}

// Bulk move and unshare change the caller's own materials (each with all
// its versions) in one transaction by compare-and-set: identical requests
// fired at once change each material once (the others find it done), and
// a request naming one material the caller may not change changes none.
func TestRacingBulkMoveAndUnshare(t *testing.T) {
	t.Parallel()
	app, srv := materialsApp(t)
	student := cast.Users[hookstest.Student]
	var ids []string
	for _, name := range []string{"a.pdf", "b.pdf", "c.pdf"} {
		m := mustMaterial(t, srv, hookstest.Tutor, materialForm{fields: map[string]string{"title": name, "shared_with": student, "booking": cast.IDs["booking"]}, name: name, data: []byte(name)})
		ids = append(ids, m["id"].(string))
	}
	v2 := mustMaterial(t, srv, hookstest.Tutor, materialForm{fields: map[string]string{"title": "a v2", "previous": ids[0]}, name: "a2.pdf", data: []byte("a2")})
	other := mustMaterial(t, srv, hookstest.Tutor2, materialForm{fields: map[string]string{"title": "Theirs"}, name: "t.pdf", data: []byte("t")})

	total := func(rs []hookstest.Response, key string) (sum int, winners int) {
		for _, r := range rs {
			require.Equal(t, 200, r.Status, string(r.Body))
			n := int(r.JSON()[key].(float64))
			sum += n
			if n > 0 {
				winners++
			}
		}
		return sum, winners
	}
	for round, folder := range []string{"Exam prep", "Week 3", ""} {
		rs := hookstest.Fire(t, srv, racers, http.MethodPost, "/api/materials/move", cast.Tokens[hookstest.Tutor], map[string]any{"ids": ids, "folder": folder})
		sum, winners := total(rs, "moved")
		require.Equal(t, 3, sum, "round %d: each material moved once", round)
		require.Equal(t, 1, winners, "round %d: by one request", round)
		require.Equal(t, 4, countMaterials(t, app, "folder = '"+folder+"' && (id = {:a} || root = {:a} || id = {:b} || id = {:c})",
			dbx.Params{"a": ids[0], "b": ids[1], "c": ids[2]}), "round %d: all versions", round)
	}

	rs := hookstest.Fire(t, srv, racers, http.MethodPost, "/api/materials/unshare", cast.Tokens[hookstest.Tutor], map[string]any{"ids": []string{v2["id"].(string), ids[1]}, "student": student})
	sum, winners := total(rs, "unshared")
	require.Equal(t, 2, sum)
	require.Equal(t, 1, winners)
	require.Zero(t, countMaterials(t, app, "(id = {:a} || root = {:a} || id = {:b}) && (shared_with ~ {:s} || booking != '')", dbx.Params{"a": ids[0], "b": ids[1], "s": student}),
		"nor shared with the student nor attached to their lesson, every version")
	require.Equal(t, 1, countMaterials(t, app, "id = {:c} && shared_with ~ {:s}", dbx.Params{"c": ids[2], "s": student}), "the third untouched")
	rs = hookstest.Fire(t, srv, racers, http.MethodPost, "/api/materials/unshare", cast.Tokens[hookstest.Tutor], map[string]any{"ids": ids})
	sum, winners = total(rs, "unshared")
	require.Equal(t, 1, sum, "only the third was still shared")
	require.Equal(t, 1, winners)

	// all or nothing: one material of another tutor's in the list
	res := hookstest.Call(t, srv, http.MethodPost, "/api/materials/move", cast.Tokens[hookstest.Tutor], map[string]any{"ids": append(ids, other["id"].(string)), "folder": "Mixed"})
	require.Equal(t, 404, res.Status, string(res.Body))
	require.Zero(t, countMaterials(t, app, `folder = "Mixed"`))
	res = hookstest.Call(t, srv, http.MethodPost, "/api/materials/move", cast.Tokens[hookstest.Student], map[string]any{"ids": ids, "folder": "Mine"})
	require.Equal(t, 403, res.Status)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/materials/move", "", map[string]any{"ids": ids, "folder": "Mine"})
	require.Equal(t, 401, res.Status)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/materials/move", cast.Tokens[hookstest.Admin], map[string]any{"ids": []string{other["id"].(string)}, "folder": "Checked"})
	require.Equal(t, 200, res.Status, "staff move anyone's")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/materials/move", cast.Tokens[hookstest.Tutor], map[string]any{"ids": ids, "folder": strings.Repeat("f", 201)})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"folder":{"code":"validation_length_too_long"`)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/materials/unshare", cast.Tokens[hookstest.Tutor], map[string]any{"ids": []string{}})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"ids":{"code":"validation_required"`)
}
