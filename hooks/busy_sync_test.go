package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// failingNotes counts the tutor's notifications of failing calendars.
func failingNotes(t testing.TB, app core.App) int {
	t.Helper()
	n, err := app.CountRecords("notifications", dbx.HashExp{"user": cast.Users[hookstest.Tutor2], "kind": notify.KindCalendarFeedFailing})
	require.NoError(t, err)
	return int(n)
}

// TestBusyFeedSync drives one feed through the job (tutorbase_calendar_feeds'
// body) on a moving clock: fetched every ten minutes, with its ETag (304
// keeps the busy times) and whole once a day; failures of every kind keep
// the last good busy times and back off (5, 10, 20 minutes ...); the third
// in a row tells the tutor, once, without the address; a success resets.
func TestBusyFeedSync(t *testing.T) {
	t.Parallel()
	app, srv, svc := feedApp(t)
	cal := newCalServer(t)
	id := addFeed(t, srv, cal.feedURL())
	t0 := cast.Now().UTC().Add(time.Minute)
	run := func(at time.Time) {
		t.Helper()
		require.NoError(t, svc.RefreshDue(app, at))
	}
	next := func() time.Time { return feedState(t, app, id).GetDateTime("next_attempt").Time() }

	run(t0)
	require.EqualValues(t, 1, cal.full.Load(), "a new feed is due at once")
	require.Equal(t, wantBusy(), storedBusy(t, app, id))
	require.Equal(t, t0.Add(10*time.Minute).Truncate(time.Millisecond), next())
	run(t0.Add(9 * time.Minute))
	require.EqualValues(t, 1, cal.arrived.Load(), "not due before ten minutes")
	run(t0.Add(10 * time.Minute))
	require.EqualValues(t, 1, cal.notModified.Load(), "asked with its ETag, answered 304")
	require.Equal(t, wantBusy(), storedBusy(t, app, id))
	require.Equal(t, "ok", feedState(t, app, id).GetString("status"))

	var at time.Time
	good := cal.body
	fails := []struct {
		name, code string
		set        func(c *calServer)
		limit      func()
	}{
		{"HTTP error", "http_status", func(c *calServer) { c.status = http.StatusServiceUnavailable }, nil},
		{"not a calendar", "unparsable", func(c *calServer) { c.status, c.body, c.etag = 0, []byte("<html>Sign in</html>"), `"v2"` }, nil},
		{"too large", "too_large", func(c *calServer) { c.body, c.etag = good, `"v3"` }, func() { svc.Fetcher.MaxBytes = 64 }},
		{"too slow", "timeout", func(c *calServer) { c.delay = 2 * time.Second }, func() { svc.Fetcher.MaxBytes, svc.Fetcher.Timeout = 0, 200*time.Millisecond }},
	}
	wait := 5 * time.Minute
	for i, f := range fails {
		cal.set(f.set)
		if f.limit != nil {
			f.limit()
		}
		at = next()
		run(at.Add(-time.Second))
		before := cal.arrived.Load()
		run(at)
		require.Equal(t, before+1, cal.arrived.Load(), f.name)
		state := feedState(t, app, id)
		require.Equal(t, "failing", state.GetString("status"), f.name)
		require.Equal(t, f.code, state.GetString("last_error"), f.name)
		require.Equal(t, i+1, state.GetInt("failures"), f.name)
		require.Equal(t, at.Add(wait).Truncate(time.Millisecond), next(), "%s: backing off", f.name)
		require.Equal(t, wantBusy(), storedBusy(t, app, id), "%s: the last good busy times hold", f.name)
		wantNotes := 0
		if i+1 >= 3 {
			wantNotes = 1
		}
		require.Equal(t, wantNotes, failingNotes(t, app), "%s: told after three failures in a row, once", f.name)
		wait *= 2
	}
	var note struct {
		Title string `db:"title"`
		Body  string `db:"body"`
	}
	require.NoError(t, app.DB().Select("title", "body").From("notifications").Where(dbx.HashExp{"kind": notify.KindCalendarFeedFailing}).One(&note))
	require.Contains(t, note.Title, "Personal")
	require.NotContains(t, note.Body, "private-9f8e7d6c", "the address is a secret")

	// back to normal: a whole read (new ETag), the failures forgotten
	svc.Fetcher.Timeout = 0
	cal.set(func(c *calServer) { c.delay = 0 })
	at = next()
	run(at)
	state := feedState(t, app, id)
	require.Equal(t, "ok", state.GetString("status"))
	require.Zero(t, state.GetInt("failures"))
	require.True(t, state.GetDateTime("notified_at").IsZero())
	require.Equal(t, wantBusy(), storedBusy(t, app, id))

	// a day later the feed is read whole again, whatever its ETag says:
	// the horizon moved
	fullBefore := cal.full.Load()
	run(at.Add(25 * time.Hour))
	require.Equal(t, fullBefore+1, cal.full.Load())
}

// TestBusyFeedRefreshRace: eight "refresh now" of one feed at once, all
// fetching before any stores, have one effect: the version moves by one
// and the busy times are there once; eight failing ones count one failure
// and tell the tutor once.
func TestBusyFeedRefreshRace(t *testing.T) {
	t.Parallel()
	app, srv, _ := feedApp(t)
	cal := newCalServer(t)
	id := addFeed(t, srv, cal.feedURL())
	fire := func() []hookstest.Response {
		gate := make(chan struct{})
		cal.set(func(c *calServer) { c.gate = gate })
		start := cal.arrived.Load()
		go func() { // release the fetches once all eight are in
			for deadline := time.Now().Add(5 * time.Second); cal.arrived.Load() < start+8 && time.Now().Before(deadline); {
				time.Sleep(5 * time.Millisecond)
			}
			close(gate)
		}()
		out := hookstest.Fire(t, srv, 8, http.MethodPost, refreshURL(id), cast.Tokens[hookstest.Tutor2], nil)
		require.EqualValues(t, start+8, cal.arrived.Load(), "every request fetched")
		return out
	}
	version := feedState(t, app, id).GetInt("version")
	require.Equal(t, map[int]int{200: 8}, hookstest.Statuses(fire()))
	require.Equal(t, version+1, feedState(t, app, id).GetInt("version"), "one effect")
	require.Equal(t, wantBusy(), storedBusy(t, app, id), "stored once")

	cal.set(func(c *calServer) { c.status = http.StatusInternalServerError })
	for range 2 {
		require.Equal(t, 200, hookstest.Call(t, srv, http.MethodPost, refreshURL(id), cast.Tokens[hookstest.Tutor2], nil).Status)
	}
	require.Equal(t, 2, feedState(t, app, id).GetInt("failures"))
	require.Zero(t, failingNotes(t, app))
	require.Equal(t, map[int]int{200: 8}, hookstest.Statuses(fire()))
	require.Equal(t, 3, feedState(t, app, id).GetInt("failures"), "eight racing failures count once")
	require.Equal(t, 1, failingNotes(t, app), "and tell once")
	require.Equal(t, wantBusy(), storedBusy(t, app, id))
}
