package hooks_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"text/template"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/busy"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/schedule"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// calServer serves a tutor's Google-shaped calendar export
// (internal/app/busy/testdata/google.ics.tmpl) with its dates five days
// from the cast's today on, as Google does: an ETag, and 304 when asked
// with it. Tests make it fail, slow or hold requests at a gate.
type calServer struct {
	*httptest.Server
	mu     sync.Mutex
	body   []byte
	etag   string
	status int           // answer this instead, when not 0
	delay  time.Duration // before answering
	gate   chan struct{} // when set, requests wait for it to close
	// arrived counts requests; full answers with a body, notModified 304s
	arrived, full, notModified atomic.Int32
}

// calPath is the secret part of the address, as Google's look.
const calPath = "/calendar/ical/theo.tutor%40example.org/private-9f8e7d6c5b4a39281706f5e4d3c2b1a0/basic.ics"

func newCalServer(t *testing.T) *calServer {
	t.Helper()
	tmpl := template.Must(template.ParseFiles("../internal/app/busy/testdata/google.ics.tmpl"))
	day := func(n int) string { return romeTime(5+n, 12, 0).In(rome).Format("20060102") }
	var buf bytes.Buffer
	err := tmpl.Execute(&buf, map[string]string{"D0": day(0), "D1": day(1), "D2": day(2), "D7": day(7), "D14": day(14),
		"Stamp": cast.Now().UTC().Format("20060102T150405Z")})
	require.NoError(t, err)
	c := &calServer{body: buf.Bytes(), etag: `"v1"`}
	c.Server = httptest.NewServer(http.HandlerFunc(c.serve))
	t.Cleanup(c.Close)
	return c
}

func (c *calServer) serve(w http.ResponseWriter, r *http.Request) {
	c.arrived.Add(1)
	c.mu.Lock()
	body, etag, status, delay, gate := c.body, c.etag, c.status, c.delay, c.gate
	c.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-time.After(10 * time.Second):
		}
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case r.URL.Path != "/calendar/ical/theo.tutor@example.org/private-9f8e7d6c5b4a39281706f5e4d3c2b1a0/basic.ics":
		http.NotFound(w, r)
	case status != 0:
		http.Error(w, "failing", status)
	case r.Header.Get("If-None-Match") == etag:
		c.notModified.Add(1)
		w.WriteHeader(http.StatusNotModified)
	default:
		c.full.Add(1)
		w.Header().Set("Content-Type", "text/calendar; charset=UTF-8")
		w.Header().Set("ETag", etag)
		_, _ = w.Write(body)
	}
}

// set changes what the server answers.
func (c *calServer) set(f func(c *calServer)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(c)
}

// feedURL is the server's calendar address.
func (c *calServer) feedURL() string { return c.URL + calPath }

// wantBusy are the busy intervals of the export: the dentist at 10:00 on
// days 5 and 26 (day 12 is an EXDATE; day 19's moved to 15:00), the whole
// local day 6; not the cancelled coffee or the free reading on day 5.
func wantBusy() []schedule.Interval {
	return []schedule.Interval{
		{Start: romeTime(5, 10, 0), End: romeTime(5, 11, 0)},
		{Start: romeTime(6, 0, 0), End: romeTime(7, 0, 0)},
		{Start: romeTime(19, 15, 0), End: romeTime(19, 16, 0)},
		{Start: romeTime(26, 10, 0), End: romeTime(26, 11, 0)},
	}
}

// allowPrivateFeeds sets the school's feeds_allow_private: the test
// servers live on 127.0.0.1.
func allowPrivateFeeds(t testing.TB, app core.App, allow bool) {
	t.Helper()
	school, err := app.FindRecordById("school", migrations.SchoolId)
	require.NoError(t, err)
	school.Set("feeds_allow_private", allow)
	require.NoError(t, app.Save(school))
}

// feedApp is a clone of the cast with private feeds allowed and a served
// app; tutor2 (Theo, available every day 08:00-20:00 in Rome) owns the
// calendar.
func feedApp(t *testing.T) (*tests.TestApp, *httptest.Server, *busy.Service) {
	t.Helper()
	app := cast.Clone(t)
	t.Cleanup(app.Cleanup)
	allowPrivateFeeds(t, app, true)
	return app, hookstest.Serve(t, app), hookstest.ServicesOf(app).Busy
}

// addFeed saves a calendar as tutor2 through the records API.
func addFeed(t *testing.T, srv *httptest.Server, address string) string {
	t.Helper()
	res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/calendar_feeds/records", cast.Tokens[hookstest.Tutor2],
		map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "name": "Personal", "url": address})
	require.Equal(t, 200, res.Status, string(res.Body))
	return res.JSON()["id"].(string)
}

func refreshURL(id string) string { return "/api/calendar/feeds/" + id + "/refresh" }

// storedBusy reads a feed's busy times from the database.
func storedBusy(t testing.TB, app core.App, feed string) []schedule.Interval {
	t.Helper()
	var rows []struct {
		Start string `db:"start"`
		End   string `db:"end"`
	}
	require.NoError(t, app.DB().Select("start", "end").From("busy_times").Where(dbx.HashExp{"feed": feed}).OrderBy("start").All(&rows))
	out := make([]schedule.Interval, len(rows))
	for i, r := range rows {
		iv, err := platform.ParseInterval(r.Start, r.End)
		require.NoError(t, err)
		out[i] = iv
	}
	return out
}

// feedState reads a feed's server fields.
func feedState(t testing.TB, app core.App, id string) *core.Record {
	t.Helper()
	r, err := app.FindRecordById("calendar_feeds", id)
	require.NoError(t, err)
	return r
}
