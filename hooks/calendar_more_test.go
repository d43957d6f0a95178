package hooks_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// TestCalendarLinkFailures: an address of the right length with a
// character no token has is the same 404; when a new link cannot be
// stored, the user is told and the old link keeps working.
func TestCalendarLinkFailures(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	token := calendarToken(t, app, hookstest.Student)
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodGet, feedPath(token[:31]+"-"), "", nil).Status)
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodGet, feedPath(strings.Repeat("_", 32)), "", nil).Status)

	app.OnRecordUpdate("users").BindFunc(func(*core.RecordEvent) error { return errors.New("disk full") })
	res := hookstest.Call(t, srv, http.MethodPost, "/api/calendar/rotate", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 500, res.Status)
	require.Contains(t, string(res.Body), "Failed to change your calendar link.")
	require.NotContains(t, string(res.Body), "disk full")
	require.Equal(t, token, calendarToken(t, app, hookstest.Student))
	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, feedPath(token), "", nil).Status, "the old link still works")

	_, err := app.DB().NewQuery("UPDATE users SET calendar_token = '' WHERE id = {:id}").Bind(map[string]any{"id": cast.Users[hookstest.Student2]}).Execute()
	require.NoError(t, err)
	res = hookstest.Call(t, srv, http.MethodGet, "/api/calendar", cast.Tokens[hookstest.Student2], nil)
	require.Equal(t, 500, res.Status)
	require.Contains(t, string(res.Body), "Failed to create your calendar link.")
}

// TestCalendarLinkWithoutScheme: an app URL given without a scheme still
// yields a webcal link to the same place.
func TestCalendarLinkWithoutScheme(t *testing.T) {
	t.Parallel()
	cfg := hookstest.Config
	cfg.AppURL = "lessons.example.org"
	app := cast.CloneWith(t, cfg)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	require.Equal(t, cfg.AppURL, app.Settings().Meta.AppURL)
	res := hookstest.Call(t, srv, http.MethodGet, "/api/calendar", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	token := calendarToken(t, app, hookstest.Student)
	require.Equal(t, "webcal://lessons.example.org/api/calendar/"+token+".ics", res.JSON()["webcal"])
}
