package hooks_test

import (
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// Names and other one-line fields are stored cleaned on every path: the
// records API, the batch API and plain saves from code.
func TestOneLineTextIsCleaned(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)

	signUp := func(email, name string) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/records", "",
			map[string]any{"email": email, "name": name, "password": goodPassword, "passwordConfirm": goodPassword})
	}
	nameOf := func(email string) string {
		u, err := app.FindAuthRecordByEmail("users", email)
		require.NoError(t, err)
		return u.GetString("name")
	}

	t.Run("a sign-up name loses NUL, bidi overrides, line breaks and is NFC", func(t *testing.T) {
		res := signUp("clean1@test.localhost", " Zoe\u0308\x00 Ro\u202Essi\r\nJunior\u200B ")
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, "Zoë Rossi Junior", nameOf("clean1@test.localhost"))
	})
	t.Run("a name of invisible characters only is refused, nothing stored", func(t *testing.T) {
		for _, name := range []string{"\u200B\u200B", "\u202E", " \r\n\t", "\x00"} {
			res := signUp("clean2@test.localhost", name)
			require.Equal(t, 400, res.Status, "%q: %s", name, res.Body)
			require.Contains(t, string(res.Body), `"name":{"code":"empty_text"`)
			_, err := app.FindAuthRecordByEmail("users", "clean2@test.localhost")
			require.Error(t, err)
		}
	})
	t.Run("renaming through the batch API is cleaned too, and reaches the tutor profile", func(t *testing.T) {
		res := hookstest.Call(t, srv, http.MethodPost, "/api/batch", cast.Tokens[hookstest.Tutor], map[string]any{"requests": []map[string]any{{
			"method": "PATCH", "url": "/api/collections/users/records/" + cast.Users[hookstest.Tutor],
			"body": map[string]any{"name": "Tina\u2066 \u2069Tutor\n"},
		}}})
		require.Equal(t, 200, res.Status, string(res.Body))
		u, err := app.FindRecordById("users", cast.Users[hookstest.Tutor])
		require.NoError(t, err)
		require.Equal(t, "Tina Tutor", u.GetString("name"))
		tu, err := app.FindRecordById("tutors", cast.Tutors[hookstest.Tutor])
		require.NoError(t, err)
		require.Equal(t, "Tina Tutor", tu.GetString("name"))
	})
	t.Run("a tutor's headline and a package title through the records API", func(t *testing.T) {
		res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/tutors/records/"+cast.Tutors[hookstest.Tutor], cast.Tokens[hookstest.Tutor],
			map[string]any{"headline": "Maths\r\n\u202Efor all"})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, "Maths for all", res.JSON()["headline"])
		res = hookstest.Call(t, srv, http.MethodPatch, "/api/collections/packages/records/"+cast.IDs["package"], cast.Tokens[hookstest.Tutor],
			map[string]any{"title": "\u200B\u200B\u200B"})
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), `"title":{"code":"empty_text"`)
	})
	t.Run("a save from code (no request) is cleaned as well", func(t *testing.T) {
		col, err := app.FindCachedCollectionByNameOrId("subjects")
		require.NoError(t, err)
		s := core.NewRecord(col)
		s.Load(map[string]any{"name": "Fi\u0301sica\x00", "slug": "fisica"})
		require.NoError(t, app.Save(s))
		fresh, err := app.FindRecordById("subjects", s.Id)
		require.NoError(t, err)
		require.Equal(t, "Física", fresh.GetString("name"))

		s2 := core.NewRecord(col)
		s2.Load(map[string]any{"name": "\uFEFF", "slug": "bom"})
		require.Error(t, app.Save(s2))
	})
}
