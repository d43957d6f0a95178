package hooks_test

import (
	"fmt"
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/google"

	"github.com/stretchr/testify/require"
)

// TestGoogleNotConfigured: a school without Google set up answers the
// calendar routes with a clear 400 (not_configured), not a 5xx.
func TestGoogleNotConfigured(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	tok := cast.Tokens[hookstest.Tutor2]
	refused(t, hookstest.Call(t, srv, http.MethodGet, "/api/google/calendars", tok, nil), 400, "google", "not_configured")
	refused(t, hookstest.Call(t, srv, http.MethodPost, "/api/google/calendars", tok, map[string]any{"lessons": "x", "busy": []string{}}), 400, "google", "not_configured")
	refused(t, hookstest.Call(t, srv, http.MethodPost, "/api/google/calendar/connect", tok, nil), 400, "google", "not_configured")
}

// TestGoogleCalendarListFailures: listing a connected tutor's calendars
// survives an expired access token (refreshed once); a Google error asks
// to try again and keeps the connection; withdrawn consent marks the
// connection revoked and answers not_connected; more than 20 busy
// calendars, or a body that is not the choice, are refused before Google
// is asked.
func TestGoogleCalendarListFailures(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	connectGoogle(t, srv, fake, hookstest.Tutor2)
	email := tutor2Calendars(fake)
	tok := cast.Tokens[hookstest.Tutor2]
	list := func() hookstest.Response {
		return hookstest.Call(t, srv, http.MethodGet, "/api/google/calendars", tok, nil)
	}
	linkStatus := func() string {
		l, err := app.FindFirstRecordByData(google.Links, "user", cast.Users[hookstest.Tutor2])
		require.NoError(t, err)
		return l.GetString("status")
	}

	many := make([]string, 21)
	for i := range many {
		many[i] = fmt.Sprintf("cal%02d@group.calendar.google.com", i)
	}
	calls := fake.Calls("GET /calendar/v3/users/me/calendarList")
	refused(t, hookstest.Call(t, srv, http.MethodPost, "/api/google/calendars", tok, map[string]any{"lessons": email, "busy": many}), 400, "busy", "too_many_calendars")
	refused(t, hookstest.Call(t, srv, http.MethodPost, "/api/google/calendars", tok, "primary"), 400, "lessons", "validation_required")
	require.Equal(t, calls, fake.Calls("GET /calendar/v3/users/me/calendarList"), "Google not asked")

	fake.ExpireAccess()
	res := list()
	require.Equal(t, 200, res.Status, "a refreshed token: %s", res.Body)
	require.Len(t, res.JSON()["calendars"], 3)

	fake.FailNext("GET /calendar/v3/users/me/calendarList", http.StatusBadRequest)
	refused(t, list(), 400, "google", "google_failed")
	require.Equal(t, google.LinkConnected, linkStatus(), "a failed call keeps the connection")

	fake.Revoke(email)
	fake.ExpireAccess()
	refused(t, list(), 400, "google", "not_connected")
	require.Equal(t, google.LinkRevoked, linkStatus(), "withdrawn consent is recorded")
	refused(t, list(), 400, "google", "not_connected")
}
