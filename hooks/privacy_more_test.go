package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/stretchr/testify/require"
)

// TestErasureMore: a deletion request whose body is not JSON is a 400
// that asks nothing; an erasure removes the person's Google sign-in link
// (so Google cannot sign anyone into the erased account), and a child's
// profile without an email of its own is erased like any account.
func TestErasureMore(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/me/delete", cast.Tokens[hookstest.Student2], "my password")
	require.Equal(t, 400, res.Status, string(res.Body))
	require.True(t, reloaded(t, app, "users", cast.Users[hookstest.Student2]).GetDateTime("erase_after").IsZero(), "nothing asked")

	otto := reloaded(t, app, "users", cast.Users[hookstest.Student2])
	link := core.NewExternalAuth(app)
	link.SetCollectionRef(otto.Collection().Id)
	link.SetRecordRef(otto.Id)
	link.SetProvider("google")
	link.SetProviderId("google-otto-1")
	require.NoError(t, app.Save(link))
	res = hookstest.Call(t, srv, http.MethodPost, "/api/users/"+otto.Id+"/erase", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	links, err := app.FindAllExternalAuthsByRecord(reloaded(t, app, "users", otto.Id))
	require.NoError(t, err)
	require.Empty(t, links, "the Google link is gone")
	require.True(t, strings.HasSuffix(reloaded(t, app, "users", otto.Id).Email(), "@erased.invalid"))

	gina := addPerson(t, app, "gina@test.localhost", "Gina Guardian", "guardian")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/children", gina.token, map[string]any{"name": "Leonardo Bambino"})
	require.Equal(t, 200, res.Status, string(res.Body))
	leo := res.JSON()["id"].(string)
	// a text naming him, and one naming nobody: he has no email, so only
	// his name is looked for
	for _, body := range []string{"Leonardo Bambino has a lesson on Monday.", "Lessons resume on Monday."} {
		_, err := app.DB().Insert("notifications", dbx.Params{"id": security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789"),
			"user": gina.id, "kind": "lesson_booked", "title": "Lessons", "body": body}).Execute()
		require.NoError(t, err)
	}
	res = hookstest.Call(t, srv, http.MethodPost, "/api/users/"+leo+"/erase", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "Deleted user", reloaded(t, app, "users", leo).GetString("name"))
	require.Zero(t, countOf(t, app, "users", dbx.NewExp("name = 'Leonardo Bambino'")))
	require.EqualValues(t, 1, countOf(t, app, "notifications", dbx.HashExp{"body": "Deleted user has a lesson on Monday."}))
	require.EqualValues(t, 1, countOf(t, app, "notifications", dbx.HashExp{"body": "Lessons resume on Monday."}))
}
