package hooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// TestBookingActionBadBodies: a cancel or a move whose body is not the
// expected JSON, a cancel of "this and the following" of a lesson in no
// series, and an overlong reason are 400s that leave the lesson as it
// was.
func TestBookingActionBadBodies(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	id := cast.IDs["booking"]
	before := reloaded(t, app, "bookings", id)
	act := func(action string, body any) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+id+"/"+action, cast.Tokens[hookstest.Student], body)
	}
	require.Equal(t, 400, act("cancel", "ill").Status)
	refused(t, act("cancel", map[string]any{"following": true}), 400, "following", "not_in_series")
	refused(t, act("cancel", map[string]any{"reason": strings.Repeat("r", 501)}), 400, "reason", "validation_max_text_constraint")
	refused(t, act("reschedule", "tomorrow"), 400, "start", "validation_invalid_date")
	after := reloaded(t, app, "bookings", id)
	require.Equal(t, before.GetString("status"), after.GetString("status"))
	require.Equal(t, before.GetString("start"), after.GetString("start"))
	require.Equal(t, before.GetString("updated"), after.GetString("updated"), "not written")
}

// TestBusyFeedWithTooManyEvents: a calendar giving more busy times than
// the limits allow fails with too_many_events, and the busy times read
// before stay.
func TestBusyFeedWithTooManyEvents(t *testing.T) {
	t.Parallel()
	app, srv, _ := feedApp(t)
	cal := newCalServer(t)
	id := addFeed(t, srv, cal.feedURL())
	res := hookstest.Call(t, srv, http.MethodPost, refreshURL(id), cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, wantBusy(), storedBusy(t, app, id))
	start := cast.Now().UTC().Add(24 * time.Hour).Format("20060102T150000Z")
	flood := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:flood@test\r\nDTSTAMP:" + start +
		"\r\nDTSTART:" + start + "\r\nDURATION:PT1M\r\nRRULE:FREQ=HOURLY;BYMINUTE=0,5,10,15,20,25,30,35,40,45,50,55\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	cal.set(func(c *calServer) { c.body, c.etag = []byte(flood), `"flood"` })
	res = hookstest.Call(t, srv, http.MethodPost, refreshURL(id), cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "failing", res.JSON()["status"])
	require.Equal(t, "too_many_events", res.JSON()["last_error"])
	require.Equal(t, wantBusy(), storedBusy(t, app, id), "the last good busy times hold")
}
