package hooks_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"text/template"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/booking"
	"tutorbase/internal/schedule"

	"github.com/stretchr/testify/require"
)

// TestBusyFeedExports: Apple's and Outlook's exports (written for the test
// in their shapes, dated from the cast's today), served by a local HTTP
// server, give exactly their busy intervals; a slot inside one is gone and
// a booking into one is refused. Apple: a daily rule with an RDATE and a
// moved instance, a floating time, an event in New York's zone, an event
// shown as free. Outlook: a weekly rule in its own "W. Europe Standard
// Time" VTIMEZONE with an EXDATE and an instance moved earlier, a "Free"
// event, an all-day out-of-office. (Google's is TestBusyFeedBlocksSlotsAndBookings';
// DST changes are internal/icalfeed's TestBusyExports.)
func TestBusyFeedExports(t *testing.T) {
	t.Parallel()
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	at := func(day, hh, mm int) time.Time { return romeTime(5+day, hh, mm) }
	iv := func(day, hh, mm, minutes int) schedule.Interval {
		return schedule.Interval{Start: at(day, hh, mm), End: at(day, hh, mm).Add(time.Duration(minutes) * time.Minute)}
	}
	d3 := at(3, 12, 0).In(rome)
	call := time.Date(d3.Year(), d3.Month(), d3.Day(), 8, 0, 0, 0, ny).UTC()
	tests := []struct {
		file string
		want []schedule.Interval
		// a busy slot: free before the calendar, gone after, refused
		day, hh, mm int
	}{
		{"apple.ics.tmpl", []schedule.Interval{
			iv(0, 9, 0, 60), iv(1, 17, 0, 60), // the daily physiotherapy, the second moved to 17:00
			iv(2, 9, 0, 60), iv(2, 13, 0, 60), // its third; lunch at a floating 13:00, read in the tutor's zone
			{Start: call, End: call.Add(90 * time.Minute)}, // 08:00 in New York
			iv(7, 9, 0, 60), // the RDATE
		}, 1, 17, 0},
		{"outlook.ics.tmpl", []schedule.Interval{
			iv(0, 11, 30, 60),                      // the weekly team sync (day 7 is an EXDATE)
			{Start: at(3, 0, 0), End: at(4, 0, 0)}, // out of office all day
			iv(14, 8, 30, 60),                      // day 14's moved to 08:30; the "Free" focus time blocks nothing
		}, 3, 10, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			app, srv, _ := feedApp(t)
			cal := serveExport(t, tt.file)
			slotFree := func() bool {
				res := hookstest.Call(t, srv, http.MethodGet, slotsURL(hookstest.Tutor2, at(tt.day, 0, 0), at(tt.day+1, 0, 0), "60"), "", nil)
				require.Equal(t, 200, res.Status, string(res.Body))
				return slices.ContainsFunc(decodeAnswer[booking.SlotsJSON](t, res.Body).Slots, func(s booking.SlotJSON) bool {
					return s.Start == utc3339(at(tt.day, tt.hh, tt.mm))
				})
			}
			require.True(t, slotFree(), "free before the calendar")

			id := addFeed(t, srv, cal.URL+"/calendar.ics")
			res := hookstest.Call(t, srv, http.MethodPost, refreshURL(id), cast.Tokens[hookstest.Tutor2], nil)
			require.Equal(t, 200, res.Status, string(res.Body))
			require.Contains(t, string(res.Body), `"status":"ok"`)
			require.Equal(t, tt.want, storedBusy(t, app, id))

			require.False(t, slotFree(), "the slot inside a busy time is gone")
			start, end := romeSlot(5+tt.day, tt.hh, tt.mm, 60)
			res = hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student],
				map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
			require.Equal(t, 400, res.Status, string(res.Body))
			require.Contains(t, string(res.Body), `"start":{"code":"outside_availability"`)
		})
	}
}

// serveExport serves internal/app/busy/testdata/<file> at /calendar.ics
// with its days filled in (D<n>: the Rome date n days after the fifth day
// from the cast's today; WD0: D0's weekday as iCalendar spells it).
func serveExport(t *testing.T, file string) *httptest.Server {
	t.Helper()
	tmpl := template.Must(template.New(file).Option("missingkey=error").ParseFiles("../internal/app/busy/testdata/" + file))
	data := map[string]string{"Stamp": cast.Now().UTC().Format("20060102T150405Z"),
		"WD0": [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}[romeTime(5, 12, 0).In(rome).Weekday()]}
	for _, n := range []int{0, 1, 2, 3, 4, 7, 14} {
		data["D"+strconv.Itoa(n)] = romeTime(5+n, 12, 0).In(rome).Format("20060102")
	}
	var buf bytes.Buffer
	require.NoError(t, tmpl.Execute(&buf, data))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		_, _ = w.Write(buf.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv
}
