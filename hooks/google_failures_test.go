package hooks_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/google"
	"tutorbase/jobs"
	"tutorbase/testkit/fakegoogle"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// TestGoogleConsentThatFails: when Google does not exchange the consent's
// code, or does not say whose account it is, the connection is refused
// (bad_consent) and not made; a person never connected disconnects
// without error; then the consent goes through.
func TestGoogleConsentThatFails(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	tok := cast.Tokens[hookstest.Tutor2]
	state := func() string {
		res := hookstest.Call(t, srv, http.MethodPost, "/api/google/calendar/connect", tok, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		consent, err := url.Parse(res.JSON()["url"].(string))
		require.NoError(t, err)
		return consent.Query().Get("state")
	}
	for _, failing := range []string{"POST /token", "GET /oauth2/v3/userinfo"} {
		st := state()
		fake.FailNext(failing, http.StatusInternalServerError)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/google/calendar/callback", tok,
			map[string]string{"code": fake.Grant(googleAccount(hookstest.Tutor2)), "state": st})
		refused(t, res, 400, "code", "bad_consent")
		l, err := app.FindFirstRecordByData(google.Links, "user", cast.Users[hookstest.Tutor2])
		require.NoError(t, err)
		require.NotEqual(t, google.LinkConnected, l.GetString("status"), "%s failed: not connected", failing)
	}
	require.Equal(t, 204, hookstest.Call(t, srv, http.MethodPost, "/api/google/calendar/disconnect", cast.Tokens[hookstest.Student2], nil).Status)
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodPost, google.PushPath, "", nil).Status, "no push without its address")
	connectGoogle(t, srv, fake, hookstest.Tutor2)
}

// TestGoogleBusyWithExpiredAndWithdrawnAccess: the busy-times job gets a
// new access token when Google says the old one expired, and marks the
// connection revoked when the consent was withdrawn.
func TestGoogleBusyWithExpiredAndWithdrawnAccess(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	connectGoogle(t, srv, fake, hookstest.Tutor2)
	status := func() (string, string) {
		l, err := app.FindFirstRecordByData(google.Links, "user", cast.Users[hookstest.Tutor2])
		require.NoError(t, err)
		return l.GetString("status"), l.GetString("last_error")
	}
	fake.ExpireAccess()
	require.NoError(t, jobs.SyncGoogle(hookstest.ServicesOf(app), app, cast.Now().Add(google.BusyEvery)))
	st, lastErr := status()
	require.Equal(t, google.LinkConnected, st)
	require.Empty(t, lastErr, "read with a fresh token")

	fake.Revoke(googleAccount(hookstest.Tutor2).Email)
	fake.ExpireAccess()
	require.NoError(t, jobs.SyncGoogle(hookstest.ServicesOf(app), app, cast.Now().Add(2*google.BusyEvery)))
	st, _ = status()
	require.Equal(t, google.LinkRevoked, st, "withdrawn consent is recorded")
}

// TestGoogleDriveShareFailures: a body that names no material is refused;
// a material with no one to share with shares with no one; Google Drive
// failing is told as such (drive_failed), and nothing is shared.
func TestGoogleDriveShareFailures(t *testing.T) {
	t.Parallel()
	_, srv, fake := googleApp(t)
	connectGoogle(t, srv, fake, hookstest.Tutor2)
	share := func(body any) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/google/drive/share", cast.Tokens[hookstest.Tutor2], body)
	}
	refused(t, share([]string{"x"}), 400, "material", "validation_required")
	alone := mustMaterial(t, srv, hookstest.Tutor2, materialForm{fields: map[string]string{"title": "Solo", "url": "https://drive.google.com/file/d/1Solo0000000000/view"}})["id"].(string)
	res := share(map[string]any{"material": alone})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Empty(t, res.JSON()["shared"], "no one to share with")

	id := bookTutor2(t, srv, 5, 15)
	withLesson := mustMaterial(t, srv, hookstest.Tutor2, materialForm{fields: map[string]string{"title": "Esercizi", "url": "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOp/view", "booking": id}})["id"].(string)
	fake.FailNext("POST /drive/v3/files/", http.StatusInternalServerError)
	refused(t, share(map[string]any{"material": withLesson}), 400, "material", "drive_failed")
	require.Empty(t, fake.Permissions())
}

// TestGooglePickerTokenFailures: when Google does not renew the access
// token the Picker is told to try again, and when the consent was
// withdrawn the connection is marked revoked and the tutor told to
// connect again.
func TestGooglePickerTokenFailures(t *testing.T) {
	t.Parallel()
	fake := fakegoogle.Start(t)
	cfg := hookstest.Config
	cfg.Google.ClientID, cfg.Google.ClientSecret = fakegoogle.ClientID, fakegoogle.ClientSecret
	cfg.Google.OAuthBase, cfg.Google.APIBase, cfg.Google.TokenKey = fake.URL, fake.URL, googleKey
	cfg.Google.PickerKey, cfg.Google.PickerAppID = "picker-key", "123456789"
	app := cast.CloneWith(t, cfg)
	t.Cleanup(app.Cleanup)
	srv := hookstest.Serve(t, app)
	connectGoogle(t, srv, fake, hookstest.Tutor2)
	picker := func() hookstest.Response { // with the stored access token expired: renewed first
		_, err := app.DB().Update(google.Links, dbx.Params{"token_expiry": "2001-01-01 00:00:00.000Z"}, dbx.HashExp{"user": cast.Users[hookstest.Tutor2]}).Execute()
		require.NoError(t, err)
		return hookstest.Call(t, srv, http.MethodGet, "/api/google/picker", cast.Tokens[hookstest.Tutor2], nil)
	}
	fake.FailNext("POST /token", http.StatusServiceUnavailable)
	refused(t, picker(), 400, "google", "google_failed")

	fake.Revoke(googleAccount(hookstest.Tutor2).Email)
	refused(t, picker(), 400, "google", "not_connected")
	l, err := app.FindFirstRecordByData(google.Links, "user", cast.Users[hookstest.Tutor2])
	require.NoError(t, err)
	require.Equal(t, google.LinkRevoked, l.GetString("status"))
}

// TestGoogleOutboxEdges: a lesson cancelled whose event was deleted at
// Google already is done, not failed; a lesson waiting to be retried for
// a connection since withdrawn stops being owed.
func TestGoogleOutboxEdges(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	connectGoogle(t, srv, fake, hookstest.Tutor2)
	tutor := cast.Users[hookstest.Tutor2]
	status := func(id string) string { return outboxRow(t, app, id, tutor).GetString("status") }

	id := bookTutor2(t, srv, 5, 15)
	eventually(t, "the lesson reaches Google", func() bool { return status(id) == google.EventDone })
	fake.FailNext("DELETE /calendar/v3/calendars/", http.StatusGone)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+id+"/cancel", cast.Tokens[hookstest.Student], map[string]any{})
	require.Equal(t, 200, res.Status, string(res.Body))
	eventually(t, "gone already: done", func() bool { return status(id) == google.EventDone })

	fake.FailNext("POST /calendar/v3/calendars/", http.StatusServiceUnavailable)
	other := bookTutor2(t, srv, 6, 15)
	eventually(t, "the 503 is recorded", func() bool { return outboxRow(t, app, other, tutor).GetInt("attempts") == 1 })
	_, err := app.DB().Update(google.Links, dbx.Params{"status": google.LinkRevoked}, dbx.HashExp{"user": tutor}).Execute()
	require.NoError(t, err)
	require.NoError(t, jobs.SyncGoogle(hookstest.ServicesOf(app), app, cast.Now().Add(time.Hour)))
	require.Equal(t, google.EventStopped, status(other))
}

// TestGoogleCalendarChoiceEdges: choosing calendars without a connection,
// or with consent withdrawn, says not_connected; a connection without a
// stored choice blocks with its primary calendar.
func TestGoogleCalendarChoiceEdges(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	choose := func(role string) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/google/calendars", cast.Tokens[role], map[string]any{"lessons": "primary", "busy": []string{"primary"}})
	}
	refused(t, choose(hookstest.Tutor), 400, "google", "not_connected")

	connectGoogle(t, srv, fake, hookstest.Tutor2)
	email := tutor2Calendars(fake)
	_, err := app.DB().Update(google.Links, dbx.Params{"busy_calendars": ""}, dbx.HashExp{"user": cast.Users[hookstest.Tutor2]}).Execute()
	require.NoError(t, err)
	res := hookstest.Call(t, srv, http.MethodGet, "/api/google/calendars", cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	for _, c := range res.JSON()["calendars"].([]any) {
		cal := c.(map[string]any)
		require.Equal(t, cal["id"] == email, cal["busy"], "only the primary calendar blocks: %v", cal)
	}

	fake.Revoke(email)
	fake.ExpireAccess()
	refused(t, choose(hookstest.Tutor2), 400, "google", "not_connected")
	l, err := app.FindFirstRecordByData(google.Links, "user", cast.Users[hookstest.Tutor2])
	require.NoError(t, err)
	require.Equal(t, google.LinkRevoked, l.GetString("status"))
}

// TestGoogleChosenCalendarGone: a busy calendar the tutor chose and then
// deleted (or stopped sharing) at Google is told as unreadable, and the
// connection stays.
func TestGoogleChosenCalendarGone(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	connectGoogle(t, srv, fake, hookstest.Tutor2)
	email := tutor2Calendars(fake)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/google/calendars", cast.Tokens[hookstest.Tutor2],
		map[string]any{"lessons": "primary", "busy": []string{"primary", "family@group.calendar.google.com"}})
	require.Equal(t, 200, res.Status, string(res.Body))
	fake.SetCalendars(email, fakegoogle.Calendar{ID: email, Summary: "Me", AccessRole: "owner", Primary: true})
	// the daily whole read (the changes of a calendar gone are none)
	require.NoError(t, jobs.SyncGoogle(hookstest.ServicesOf(app), app, cast.Now().Add(25*time.Hour)))
	l, err := app.FindFirstRecordByData(google.Links, "user", cast.Users[hookstest.Tutor2])
	require.NoError(t, err)
	require.Equal(t, "calendar_unreadable", l.GetString("last_error"))
	require.Equal(t, google.LinkConnected, l.GetString("status"))
}

// TestGoogleNotConfiguredForConsentAndDrive: without Google set up, the
// consent's callback and Drive sharing say not_configured.
func TestGoogleNotConfiguredForConsentAndDrive(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	tok := cast.Tokens[hookstest.Tutor2]
	refused(t, hookstest.Call(t, srv, http.MethodPost, "/api/google/calendar/callback", tok, map[string]string{"code": "c", "state": "s"}), 400, "google", "not_configured")
	m := mustMaterial(t, srv, hookstest.Tutor2, materialForm{fields: map[string]string{"title": "Esercizi", "url": "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOp/view"}})["id"].(string)
	refused(t, hookstest.Call(t, srv, http.MethodPost, "/api/google/drive/share", tok, map[string]any{"material": m}), 400, "google", "not_configured")
}

// TestGoogleSignInProviders: the environment's Google client replaces
// only Google among the sign-in providers set in the dashboard; without
// one configured, the dashboard's Google client is left as it is.
func TestGoogleSignInProviders(t *testing.T) {
	t.Parallel()
	withProviders := func(app core.App, ps ...core.OAuth2ProviderConfig) {
		users, err := app.FindCollectionByNameOrId("users")
		require.NoError(t, err)
		users.OAuth2.Providers = ps
		require.NoError(t, app.Save(users))
	}
	providers := func(app core.App) map[string]string {
		users, err := app.FindCollectionByNameOrId("users")
		require.NoError(t, err)
		out := map[string]string{}
		for _, p := range users.OAuth2.Providers {
			out[p.Name] = p.ClientId
		}
		return out
	}
	app, _, _ := googleApp(t)
	withProviders(app, core.OAuth2ProviderConfig{Name: "github", ClientId: "gh-client", ClientSecret: "gh-secret"},
		core.OAuth2ProviderConfig{Name: "google", ClientId: "typed-in-the-dashboard", ClientSecret: "s"})
	require.NoError(t, hookstest.ServicesOf(app).Google.ApplySignIn(app))
	require.Equal(t, map[string]string{"github": "gh-client", "google": fakegoogle.ClientID}, providers(app))

	plain := cast.Clone(t)
	defer plain.Cleanup()
	withProviders(plain, core.OAuth2ProviderConfig{Name: "google", ClientId: "typed-in-the-dashboard", ClientSecret: "s"})
	require.NoError(t, hookstest.ServicesOf(plain).Google.ApplySignIn(plain))
	require.Equal(t, map[string]string{"google": "typed-in-the-dashboard"}, providers(plain))
}
