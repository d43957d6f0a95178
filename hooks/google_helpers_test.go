package hooks_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/google"
	"tutorbase/testkit/fakegoogle"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// googleKey is the token key of the Google tests (32 bytes).
var googleKey = bytes.Repeat([]byte{42}, 32)

// googleApp is a cast clone configured for Google against a fake Google:
// the production clients, only the base URLs point at the fake.
func googleApp(t *testing.T) (*tests.TestApp, *httptest.Server, *fakegoogle.Server) {
	t.Helper()
	fake := fakegoogle.Start(t)
	cfg := hookstest.Config
	cfg.Google.ClientID, cfg.Google.ClientSecret = fakegoogle.ClientID, fakegoogle.ClientSecret
	cfg.Google.OAuthBase, cfg.Google.APIBase, cfg.Google.TokenKey = fake.URL, fake.URL, googleKey
	app := cast.CloneWith(t, cfg)
	t.Cleanup(app.Cleanup)
	return app, hookstest.Serve(t, app), fake
}

// googleAccount is the Google account of a cast member.
func googleAccount(role string) fakegoogle.Account {
	return fakegoogle.Account{Sub: "g-" + role, Email: role + ".google@test.localhost", Name: role}
}

// connectGoogle goes through the consent of role's Google Calendar: the
// consent address, Google's code for it, the callback.
func connectGoogle(t *testing.T, srv *httptest.Server, fake *fakegoogle.Server, role string) {
	t.Helper()
	res := hookstest.Call(t, srv, http.MethodPost, "/api/google/calendar/connect", cast.Tokens[role], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	consent, err := url.Parse(res.JSON()["url"].(string))
	require.NoError(t, err)
	require.Equal(t, fake.URL+"/o/oauth2/v2/auth", consent.Scheme+"://"+consent.Host+consent.Path)
	q := consent.Query()
	require.Equal(t, "offline", q.Get("access_type"))
	require.Contains(t, q.Get("scope"), "https://www.googleapis.com/auth/calendar.events")
	require.Equal(t, "http://127.0.0.1:8090"+google.CallbackPath, q.Get("redirect_uri"))
	res = hookstest.Call(t, srv, http.MethodPost, "/api/google/calendar/callback", cast.Tokens[role],
		map[string]string{"code": fake.Grant(googleAccount(role)), "state": q.Get("state")})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"status":"connected"`)
}

// outboxRow reads a booking's outbox row for a user.
func outboxRow(t testing.TB, app core.App, booking, user string) *core.Record {
	t.Helper()
	r, err := app.FindFirstRecordByFilter(google.Events, "booking = {:b} && user = {:u}", dbx.Params{"b": booking, "u": user})
	require.NoError(t, err)
	return r
}

// eventually waits for cond (the outbox writer runs after the commit).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	require.Eventually(t, cond, 10*time.Second, 20*time.Millisecond, what)
}

// bookTutor2 books Tutor2 for the student at day, hh:00 (Rome), an hour.
func bookTutor2(t *testing.T, srv *httptest.Server, day, hh int) string {
	t.Helper()
	start, end := romeSlot(day, hh, 0, 60)
	res := hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student],
		map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
	require.Equal(t, 200, res.Status, string(res.Body))
	return res.JSON()["id"].(string)
}
