package hooks_test

import (
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/booking"
	"tutorbase/internal/app/busy"
	"tutorbase/internal/app/discovery"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestBusyFeedBlocksSlotsAndBookings: a tutor's calendar, fetched from its
// address, gives exactly its busy intervals; they take the slots away (one
// tutor's slots and the bulk search), a booking into one is refused like
// one into time off, and nobody but the tutor and staff sees the address
// or the busy times, which hold no title.
func TestBusyFeedBlocksSlotsAndBookings(t *testing.T) {
	t.Parallel()
	app, srv, _ := feedApp(t)
	cal := newCalServer(t)
	slots := func(day int) []booking.SlotJSON {
		res := hookstest.Call(t, srv, http.MethodGet, slotsURL(hookstest.Tutor2, romeTime(day, 0, 0), romeTime(day+1, 0, 0), "60"), "", nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		return decodeAnswer[booking.SlotsJSON](t, res.Body).Slots
	}
	require.Len(t, slots(5), 23, "08:00 to 19:00 before the calendar")

	id := addFeed(t, srv, cal.feedURL())
	res := hookstest.Call(t, srv, http.MethodPost, refreshURL(id), cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"status":"ok"`)
	require.Contains(t, string(res.Body), `"events":4`)
	require.NotContains(t, string(res.Body), `"etag"`, "server bookkeeping stays hidden")
	require.Equal(t, wantBusy(), storedBusy(t, app, id))

	day5 := slots(5)
	require.Len(t, day5, 20, "09:30, 10:00 and 10:30 overlap the dentist; the cancelled coffee and the free reading block nothing")
	for _, s := range day5 {
		start, _ := time.Parse(time.RFC3339, s.Start)
		require.False(t, start.After(romeTime(5, 9, 0)) && start.Before(romeTime(5, 11, 0)), s.Start)
	}
	require.Empty(t, slots(6), "an all-day event takes the whole local day")

	start, end := romeSlot(5, 10, 0, 60)
	res = hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"start":{"code":"outside_availability"`)
	start, end = romeSlot(5, 14, 0, 60)
	res = hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
	require.Equal(t, 200, res.Status, "the cancelled event's hour is free: %s", res.Body)

	// the bulk search loads the same calendars
	for day, free := range map[int]bool{5: true, 6: false} {
		res = hookstest.Call(t, srv, http.MethodGet, "/api/search/tutors?"+searchQuery("free_from", utc3339(romeTime(day, 0, 0)), "free_to", utc3339(romeTime(day+1, 0, 0))), "", nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		var found *discovery.TutorJSON
		for _, it := range decodeAnswer[discovery.ListJSON[discovery.TutorJSON]](t, res.Body).Items {
			if it.Id == cast.Tutors[hookstest.Tutor2] {
				found = &it
			}
		}
		require.Equal(t, free, found != nil, "day %d", day)
		if found != nil {
			require.Equal(t, len(slots(day)), *found.FreeSlots)
		}
	}

	// who sees what: the address and the busy times are the tutor's and staff's
	for role, want := range map[string]int{hookstest.Tutor2: 4, hookstest.Admin: 4, hookstest.Student: 0, hookstest.Tutor: 0, hookstest.Visitor: 0} {
		res = hookstest.Call(t, srv, http.MethodGet, "/api/collections/busy_times/records?filter="+url.QueryEscape("feed = '"+id+"'"), cast.Tokens[role], nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), `"totalItems":`+itoa(want), role)
		require.NotContains(t, string(res.Body), "Dentist", "titles are never stored")
		feed := hookstest.Call(t, srv, http.MethodGet, "/api/collections/calendar_feeds/records/"+id, cast.Tokens[role], nil)
		if want > 0 {
			require.Equal(t, 200, feed.Status)
			require.Contains(t, string(feed.Body), "private-9f8e7d6c5b4a39281706f5e4d3c2b1a0")
		} else {
			require.Equal(t, 404, feed.Status, role)
			require.NotContains(t, string(feed.Body), "private-9f8e7d6c")
		}
		other := hookstest.Call(t, srv, http.MethodPost, refreshURL(id), cast.Tokens[role], nil)
		if want == 0 && role != hookstest.Visitor {
			require.Equal(t, 404, other.Status, role)
		}
	}
}

// TestBusyFeedRemovedOrMoved: removing a calendar removes its busy times;
// a new address drops the old one's at once.
func TestBusyFeedRemovedOrMoved(t *testing.T) {
	t.Parallel()
	app, srv, _ := feedApp(t)
	cal := newCalServer(t)
	id := addFeed(t, srv, cal.feedURL())
	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodPost, refreshURL(id), cast.Tokens[hookstest.Tutor2], nil).Status)
	require.Len(t, storedBusy(t, app, id), 4)

	res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/calendar_feeds/records/"+id, cast.Tokens[hookstest.Tutor2], map[string]any{"name": "Home"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Len(t, storedBusy(t, app, id), 4, "a new name keeps the busy times")
	require.Equal(t, "ok", feedState(t, app, id).GetString("status"))

	res = hookstest.Call(t, srv, http.MethodPatch, "/api/collections/calendar_feeds/records/"+id, cast.Tokens[hookstest.Tutor2], map[string]any{"url": cal.URL + "/other.ics"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Empty(t, storedBusy(t, app, id), "a new address is a new calendar")
	require.Equal(t, "pending", feedState(t, app, id).GetString("status"))

	res = hookstest.Call(t, srv, http.MethodPatch, "/api/collections/calendar_feeds/records/"+id, cast.Tokens[hookstest.Tutor2], map[string]any{"url": cal.feedURL()})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodPost, refreshURL(id), cast.Tokens[hookstest.Tutor2], nil).Status)
	require.Len(t, storedBusy(t, app, id), 4)
	res = hookstest.Call(t, srv, http.MethodDelete, "/api/collections/calendar_feeds/records/"+id, cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 204, res.Status, string(res.Body))
	var n int
	require.NoError(t, app.DB().Select("count(*)").From("busy_times").Where(dbx.HashExp{"feed": id}).Row(&n))
	require.Zero(t, n)
	res = hookstest.Call(t, srv, http.MethodGet, slotsURL(hookstest.Tutor2, romeTime(6, 0, 0), romeTime(7, 0, 0), "60"), "", nil)
	require.Len(t, decodeAnswer[booking.SlotsJSON](t, res.Body).Slots, 23, "the day is free again")
}

// TestBusyFeedAddresses: what address a tutor may save, and the address
// guard at fetch time (after DNS) when the school does not allow private
// addresses.
func TestBusyFeedAddresses(t *testing.T) {
	t.Parallel()
	app, srv, svc := feedApp(t)
	cal := newCalServer(t)
	post := func(body map[string]any) (int, string) {
		body["tutor"] = cast.Tutors[hookstest.Tutor2]
		res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/calendar_feeds/records", cast.Tokens[hookstest.Tutor2], body)
		return res.Status, string(res.Body)
	}
	status, body := post(map[string]any{"url": "webcal://calendar.example.org/theo.ics"})
	require.Equal(t, 200, status, body)
	require.Contains(t, body, `"url":"https://calendar.example.org/theo.ics"`, "webcal:// is read as https://")
	for _, bad := range []map[string]any{
		{"url": "ftp://calendar.example.org/x.ics"}, {"url": "/calendar.ics"}, {"url": "javascript:alert(1)"},
	} {
		status, body = post(bad)
		require.Equal(t, 400, status, body)
		require.Contains(t, body, `"url":{"code":"bad_url"`)
	}
	status, body = post(map[string]any{"url": "https://calendar.example.org/y.ics", "status": "ok", "version": 99})
	require.Equal(t, 400, status, body)
	require.Contains(t, body, `"server_owned"`)
	status, body = post(map[string]any{"url": "https://calendar.example.org/theo.ics"})
	require.Equal(t, 400, status, "the same calendar twice: %s", body)

	allowPrivateFeeds(t, app, false)
	for _, address := range []string{cal.feedURL(), strings.Replace(cal.feedURL(), "127.0.0.1", "localhost", 1), "http://10.1.2.3/x.ics", "http://[::1]/x.ics"} {
		status, body = post(map[string]any{"url": address})
		require.Equal(t, 400, status, body)
		require.Contains(t, body, `"url":{"code":"blocked_address"`)
		require.NotContains(t, body, "private-9f8e7d6c", "the address is not echoed")
	}
	// a name that DNS (here /etc/hosts) resolves to loopback passes the
	// save, not the fetch: the dialer checks the address it connects to
	if host, err := os.Hostname(); err == nil {
		if addrs, err := net.LookupHost(host); err == nil && len(addrs) > 0 && net.ParseIP(addrs[0]).IsLoopback() {
			id := addFeed(t, srv, strings.Replace(cal.feedURL(), "127.0.0.1", host, 1))
			require.NoError(t, svc.Refresh(app, id, cast.Now()))
			f := feedState(t, app, id)
			require.Equal(t, "failing", f.GetString("status"))
			require.Equal(t, "blocked_address", f.GetString("last_error"))
			require.Zero(t, cal.arrived.Load(), "the server was never reached")
		}
	}

	n, err := app.CountRecords("calendar_feeds", dbx.HashExp{"tutor": cast.Tutors[hookstest.Tutor2]})
	require.NoError(t, err)
	for i := int(n); i < busy.MaxFeeds; i++ {
		status, body = post(map[string]any{"url": "https://calendar.example.org/more-" + strconv.Itoa(i) + ".ics"})
		require.Equal(t, 200, status, body)
	}
	status, body = post(map[string]any{"url": "https://calendar.example.org/eleventh.ics"})
	require.Equal(t, 400, status, body)
	require.Contains(t, body, `"url":{"code":"too_many_feeds"`)
}
