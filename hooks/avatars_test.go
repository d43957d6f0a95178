package hooks_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// photo is a PNG of w×h pixels, a photo stand-in.
func photo(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := range w {
		for y := range h {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

// upload PATCHes a tutors record with one file field, as the web app's
// FormData does.
func upload(t testing.TB, srv *httptest.Server, token, tutor, filename string, data []byte) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("avatar", filename)
	require.NoError(t, err)
	_, err = fw.Write(data)
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	req, err := http.NewRequest(http.MethodPatch, srv.URL+"/api/collections/tutors/records/"+tutor, &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, hookstest.Response{Status: res.StatusCode, Body: raw}.JSON()
}

// TestTutorAvatar: a tutor's photo is stored as a PocketBase file and
// served in two square sizes, made when it is uploaded; only its tutor (or
// staff) sets it, and only an image.
func TestTutorAvatar(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	t.Cleanup(app.Cleanup)
	hookstest.NoRateLimits(app)
	srv := hookstest.Serve(t, app)
	tutor := cast.Tutors[hookstest.Tutor2]

	status, rec := upload(t, srv, cast.Tokens[hookstest.Tutor2], tutor, "me.png", photo(t, 800, 600))
	require.Equal(t, 200, status, rec)
	name, _ := rec["avatar"].(string)
	require.NotEmpty(t, name)

	// both sizes exist before anyone asks for them
	fsys, err := app.NewFilesystem()
	require.NoError(t, err)
	defer fsys.Close()
	r, err := app.FindRecordById("tutors", tutor)
	require.NoError(t, err)
	for _, size := range []string{"96x96", "320x320"} {
		ok, err := fsys.Exists(r.BaseFilesPath() + "/thumbs_" + name + "/" + size + "_" + name)
		require.NoError(t, err)
		require.True(t, ok, "the %s thumbnail is made at upload", size)
	}
	for size, px := range map[string]int{"96x96": 96, "320x320": 320} {
		res, err := http.Get(srv.URL + "/api/files/tutors/" + tutor + "/" + name + "?thumb=" + size)
		require.NoError(t, err)
		cfg, format, err := image.DecodeConfig(res.Body)
		res.Body.Close()
		require.NoError(t, err)
		require.Equal(t, "png", format)
		require.Equal(t, [2]int{px, px}, [2]int{cfg.Width, cfg.Height}, "cropped to a square of %s", size)
	}

	// the directory names the photo
	res := hookstest.Call(t, srv, http.MethodGet, "/api/search/tutors?perPage=50", "", nil)
	require.Equal(t, 200, res.Status)
	require.Contains(t, string(res.Body), `"avatar":"`+name+`"`)

	// another tutor, a student and a visitor cannot set it; a text file is no photo
	for _, role := range []string{hookstest.Tutor, hookstest.Student, hookstest.Visitor} {
		status, _ := upload(t, srv, cast.Tokens[role], tutor, "x.png", photo(t, 10, 10))
		require.Equal(t, 404, status, role)
	}
	status, rec = upload(t, srv, cast.Tokens[hookstest.Tutor2], tutor, "me.png", []byte("not an image at all, only some text"))
	require.Equal(t, 400, status)
	require.Contains(t, rec["data"], "avatar")
	r, err = app.FindRecordById("tutors", tutor)
	require.NoError(t, err)
	require.Equal(t, name, r.GetString("avatar"), "the refused upload changed nothing")
}
