package hooks_test

import (
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// TestGoogleDriveShare: a tutor attaches a Drive file to a lesson as a
// link material (what the web app does with Google Picker's choice); the
// server shares it at Google with the lesson's student (their connected
// Google address, else their email) as a reader. Someone else's material,
// a link that is not Drive's, and a tutor without Google are refused.
func TestGoogleDriveShare(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	id := bookTutor2(t, srv, 5, 15)
	material := func(url string) string {
		return mustMaterial(t, srv, hookstest.Tutor2, materialForm{fields: map[string]string{"title": "Esercizi", "url": url, "booking": id}})["id"].(string)
	}
	share := func(role, m string) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/google/drive/share", cast.Tokens[role], map[string]any{"material": m})
	}
	drive := material("https://drive.google.com/file/d/1AbCdEfGhIjKlMnOp/view?usp=drive_link")

	res := share(hookstest.Tutor2, drive)
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"code":"not_connected"`)

	connectGoogle(t, srv, fake, hookstest.Tutor2)
	res = share(hookstest.Tutor, drive)
	require.Equal(t, 404, res.Status, "another tutor's material")
	res = share(hookstest.Tutor2, material("https://example.org/notes.pdf"))
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"code":"not_drive"`)
	require.Empty(t, fake.Permissions())

	res = share(hookstest.Tutor2, drive)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "1AbCdEfGhIjKlMnOp", res.JSON()["file"])
	perms := fake.Permissions()
	require.Len(t, perms, 1)
	require.Equal(t, "1AbCdEfGhIjKlMnOp", perms[0].File)
	require.Equal(t, cast.Emails[hookstest.Student], perms[0].Email, "the student has no Google connection: their own email")
	require.Equal(t, "reader", perms[0].Role)

	connectGoogle(t, srv, fake, hookstest.Student)
	res = share(hookstest.Tutor2, drive)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, googleAccount(hookstest.Student).Email, fake.Permissions()[1].Email, "their connected Google account")
	m, err := app.FindRecordById("materials", drive)
	require.NoError(t, err)
	require.Equal(t, "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOp/view?usp=drive_link", m.GetString("url"), "the link is stored")
}
