package hooks_test

import (
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/testkit/fakegoogle"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

const oauthURL = "/api/collections/users/auth-with-oauth2"

func oauthBody(code string, create map[string]any) map[string]any {
	b := map[string]any{"provider": "google", "code": code, "codeVerifier": "verifier-of-the-browser", "redirectURL": "http://127.0.0.1:8090/api/oauth2-redirect"}
	if create != nil {
		b["createData"] = create
	}
	return b
}

// TestGoogleSignInFromEnvironment: GOOGLE_CLIENT_ID/SECRET switch the
// users' Google provider on at start (the web app shows the button from
// the auth methods), pointed at the fake's endpoints; a new Google user
// picks student or tutor (not admin).
func TestGoogleSignInFromEnvironment(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	res := hookstest.Call(t, srv, http.MethodGet, "/api/collections/users/auth-methods", "", nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"name":"google"`)
	users, err := app.FindCollectionByNameOrId("users")
	require.NoError(t, err)
	p, ok := users.OAuth2.GetProviderConfig("google")
	require.True(t, ok)
	require.Equal(t, fake.URL+"/token", p.TokenURL)
	require.Equal(t, fakegoogle.ClientID, p.ClientId)

	acct := fakegoogle.Account{Sub: "g-new-tutor", Email: "nuova.tutor@test.localhost", Name: "Nuova Tutor"}
	res = hookstest.Call(t, srv, http.MethodPost, oauthURL, "", oauthBody(fake.Grant(acct), map[string]any{"role": "tutor"}))
	require.Equal(t, 200, res.Status, string(res.Body))
	u, err := app.FindAuthRecordByEmail("users", acct.Email)
	require.NoError(t, err)
	require.Equal(t, "tutor", u.GetString("role"))
	require.True(t, u.Verified())
	_, err = app.FindFirstRecordByData("tutors", "user", u.Id)
	require.NoError(t, err, "a tutor's profile is made as on sign-up")

	res = hookstest.Call(t, srv, http.MethodPost, oauthURL, "", oauthBody(fake.Grant(fakegoogle.Account{Sub: "g-x", Email: "x@test.localhost"}),
		map[string]any{"role": "admin"}))
	require.Equal(t, 400, res.Status, "nobody signs up as staff: %s", res.Body)
	_, err = app.FindAuthRecordByEmail("users", "x@test.localhost")
	require.Error(t, err)
}

// TestGoogleSignInLinksOnlyAfterPassword: a Google account whose email is
// an existing password account's does not get in by the email alone (the
// pre-hijacking hole); signed in with the password, the person links it,
// and from then on Google signs them in.
func TestGoogleSignInLinksOnlyAfterPassword(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	acct := fakegoogle.Account{Sub: "g-stella", Email: cast.Emails[hookstest.Student], Name: "Stella"}
	links := func() int {
		n, err := app.CountRecords("_externalAuths", dbx.HashExp{"recordRef": cast.Users[hookstest.Student]})
		require.NoError(t, err)
		return int(n)
	}

	res := hookstest.CallWith(t, srv, http.MethodPost, oauthURL, "", oauthBody(fake.Grant(acct), nil), map[string]string{"Accept-Language": "it"})
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"code":"link_after_password"`)
	require.Contains(t, string(res.Body), "Accedi con la tua password, poi collega Google")
	require.Zero(t, links())
	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/auth-with-password", "",
		map[string]any{"identity": cast.Emails[hookstest.Student], "password": hookstest.Password})
	require.Equal(t, 200, res.Status, "the password still works: %s", res.Body)

	res = hookstest.Call(t, srv, http.MethodPost, oauthURL, cast.Tokens[hookstest.Student], oauthBody(fake.Grant(acct), nil))
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, 1, links())

	res = hookstest.Call(t, srv, http.MethodPost, oauthURL, "", oauthBody(fake.Grant(acct), nil))
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, cast.Users[hookstest.Student], res.JSON()["record"].(map[string]any)["id"])
}
