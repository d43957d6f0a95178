package hooks_test

import (
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/ops"
	"tutorbase/testkit/fakegoogle"

	"github.com/stretchr/testify/require"
)

// TestGooglePicker: without the Picker's key and app id the web app is
// told it is off and keeps its plain policy; with them, a tutor who
// connected Google gets the keys and an access token of their own
// connection that Google accepts (never the refresh token), the web app's
// policy lets the Picker load from Google; a tutor not connected is
// refused, and a student cannot ask.
func TestGooglePicker(t *testing.T) {
	t.Parallel()
	_, srv, _ := googleApp(t)
	res := hookstest.Call(t, srv, http.MethodGet, "/api/google/picker", cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.JSONEq(t, `{"available":false}`, string(res.Body))
	require.Equal(t, ops.AppCSP, headerOf(t, srv.URL+"/api/health", "", "Content-Security-Policy"))

	fake := fakegoogle.Start(t)
	cfg := hookstest.Config
	cfg.Google.ClientID, cfg.Google.ClientSecret = fakegoogle.ClientID, fakegoogle.ClientSecret
	cfg.Google.OAuthBase, cfg.Google.APIBase, cfg.Google.TokenKey = fake.URL, fake.URL, googleKey
	cfg.Google.PickerKey, cfg.Google.PickerAppID = "picker-key", "123456789"
	app := cast.CloneWith(t, cfg)
	t.Cleanup(app.Cleanup)
	srv = hookstest.Serve(t, app)
	require.Equal(t, ops.PickerCSP, headerOf(t, srv.URL+"/api/health", "", "Content-Security-Policy"))
	require.Contains(t, ops.PickerCSP, "script-src 'self' https://apis.google.com;")
	res = hookstest.Call(t, srv, http.MethodGet, "/api/google/picker", cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"code":"not_connected"`)
	res = hookstest.Call(t, srv, http.MethodGet, "/api/google/picker", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 403, res.Status, "tutors only")

	connectGoogle(t, srv, fake, hookstest.Tutor2)
	res = hookstest.Call(t, srv, http.MethodGet, "/api/google/picker", cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	body := res.JSON()
	require.Equal(t, true, body["available"])
	require.Equal(t, "picker-key", body["api_key"])
	require.Equal(t, "123456789", body["app_id"])
	require.NotContains(t, string(res.Body), "1//refresh")
	tok, _ := body["access_token"].(string)
	req, err := http.NewRequest(http.MethodGet, fake.URL+"/oauth2/v3/userinfo", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	got, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	got.Body.Close()
	require.Equal(t, 200, got.StatusCode, "Google accepts the token")
	require.Equal(t, "no-store", headerOf(t, srv.URL+"/api/google/picker", cast.Tokens[hookstest.Tutor2], "Cache-Control"))
}

// headerOf is one header of the answer to a GET.
func headerOf(t *testing.T, url, token, name string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	return res.Header.Get(name)
}
