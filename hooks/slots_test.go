package hooks_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/booking"

	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

func slotsURL(tutorRole string, from, to time.Time, minutes string) string {
	q := url.Values{"from": {from.Format(time.RFC3339)}, "to": {to.Format(time.RFC3339)}}
	if minutes != "" {
		q.Set("minutes", minutes)
	}
	return "/api/tutors/" + cast.Tutors[tutorRole] + "/slots?" + q.Encode()
}

func TestSlotsRoute(t *testing.T) {
	t.Parallel()
	day := romeTime(5, 0, 0)  // local midnight in Rome, five days ahead
	next := romeTime(6, 0, 0) // the next local midnight
	s10, e10 := romeSlot(5, 10, 0, 60)

	t.Run("a visitor sees a day's free hours, and a booking takes its slots away", func(t *testing.T) {
		app := cast.Clone(t)
		defer app.Cleanup()
		srv := hookstest.Serve(t, app)
		get := func() booking.SlotsJSON {
			res := hookstest.Call(t, srv, http.MethodGet, slotsURL(hookstest.Tutor2, day, next, "60"), "", nil)
			require.Equal(t, 200, res.Status, string(res.Body))
			var out booking.SlotsJSON
			require.NoError(t, json.Unmarshal(res.Body, &out))
			return out
		}
		out := get()
		require.Equal(t, cast.Tutors[hookstest.Tutor2], out.Tutor)
		require.Equal(t, "Europe/Rome", out.Timezone)
		require.Equal(t, 60, out.Minutes)
		// 08:00-20:00 with 30-minute steps: starts 08:00 .. 19:00
		require.Len(t, out.Slots, 23)
		require.Equal(t, romeTime(5, 8, 0).Format(time.RFC3339), out.Slots[0].Start)
		require.Equal(t, romeTime(5, 20, 0).Format(time.RFC3339), out.Slots[22].End)

		res := hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s10, "end": e10})
		require.Equal(t, 200, res.Status, string(res.Body))
		after := get()
		require.Len(t, after.Slots, 20, "09:30, 10:00 and 10:30 are gone")
		for _, s := range after.Slots {
			require.NotEqual(t, s10, s.Start)
		}
		require.NotContains(t, string(hookstest.Call(t, srv, http.MethodGet, slotsURL(hookstest.Tutor2, day, next, "60"), "", nil).Body), "Stella")
	})

	t.Run("a tutor's new window shows at once", func(t *testing.T) {
		app := cast.Clone(t)
		defer app.Cleanup()
		srv := hookstest.Serve(t, app)
		from, to := romeTime(5, 20, 0), romeTime(5, 23, 0)
		before := hookstest.Call(t, srv, http.MethodGet, slotsURL(hookstest.Tutor2, from, to, "60"), "", nil)
		require.Contains(t, string(before.Body), `"slots":[]`)
		res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/availability/records/"+cast.IDs["tutor2_window_"+itoa(isoDay(from))], cast.Tokens[hookstest.Tutor2], map[string]any{"end": "22:00"})
		require.Equal(t, 200, res.Status, string(res.Body))
		after := hookstest.Call(t, srv, http.MethodGet, slotsURL(hookstest.Tutor2, from, to, "60"), "", nil)
		var out booking.SlotsJSON
		require.NoError(t, json.Unmarshal(after.Body, &out))
		require.Len(t, out.Slots, 3, "20:00, 20:30, 21:00")
	})

	scenarios := []tests.ApiScenario{
		{Name: "the default length is an hour", Method: http.MethodGet, URL: slotsURL(hookstest.Tutor2, day, next, ""),
			ExpectedStatus: 200, ExpectedContent: []string{`"minutes":60`}},
		{Name: "offsets other than Z are accepted", Method: http.MethodGet,
			URL:            "/api/tutors/" + cast.Tutors[hookstest.Tutor2] + "/slots?from=" + url.QueryEscape(day.In(rome).Format(time.RFC3339)) + "&to=" + url.QueryEscape(next.In(rome).Format(time.RFC3339)),
			ExpectedStatus: 200, ExpectedContent: []string{`"start":"` + romeTime(5, 8, 0).Format(time.RFC3339)}},
		{Name: "PocketBase's date form is accepted", Method: http.MethodGet,
			URL:            "/api/tutors/" + cast.Tutors[hookstest.Tutor2] + "/slots?from=" + url.QueryEscape(day.Format("2006-01-02 15:04:05.000Z")) + "&to=" + url.QueryEscape(next.Format("2006-01-02 15:04:05.000Z")),
			ExpectedStatus: 200, ExpectedContent: []string{`"slots":[{`}},
		{Name: "from after to", Method: http.MethodGet, URL: slotsURL(hookstest.Tutor2, next, day, "60"),
			ExpectedStatus: 400, ExpectedContent: []string{`"to":{"code":"invalid_range"`}},
		{Name: "from equal to to", Method: http.MethodGet, URL: slotsURL(hookstest.Tutor2, day, day, "60"),
			ExpectedStatus: 400, ExpectedContent: []string{`"to":{"code":"invalid_range"`}},
		{Name: "more than 62 days", Method: http.MethodGet, URL: slotsURL(hookstest.Tutor2, day, day.Add(63*24*time.Hour), "60"),
			ExpectedStatus: 400, ExpectedContent: []string{`"to":{"code":"range_too_long"`}},
		{Name: "exactly 62 days", Method: http.MethodGet, URL: slotsURL(hookstest.Tutor2, day, day.Add(62*24*time.Hour), "60"),
			ExpectedStatus: 200, ExpectedContent: []string{`"slots":[{`}},
		{Name: "a length the tutor does not teach", Method: http.MethodGet, URL: slotsURL(hookstest.Tutor2, day, next, "50"),
			ExpectedStatus: 400, ExpectedContent: []string{`"minutes":{"code":"bad_length"`}},
		{Name: "a length that is not a number", Method: http.MethodGet, URL: slotsURL(hookstest.Tutor2, day, next, "an hour"),
			ExpectedStatus: 400, ExpectedContent: []string{`"minutes":{"code":"bad_length"`}},
		{Name: "dates that do not parse", Method: http.MethodGet, URL: "/api/tutors/" + cast.Tutors[hookstest.Tutor2] + "/slots?from=monday&to=",
			ExpectedStatus: 400, ExpectedContent: []string{`"from":{"code":"validation_invalid_date"`, `"to":{"code":"validation_required"`}},
		{Name: "an unverified tutor is unknown", Method: http.MethodGet, URL: slotsURL(hookstest.TutorPending, day, next, "60"),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}},
		{Name: "an unverified tutor previews their own slots", Method: http.MethodGet, URL: slotsURL(hookstest.TutorPending, day, next, "60"),
			Headers: cast.Auth(hookstest.TutorPending), ExpectedStatus: 200, ExpectedContent: []string{`"slots":[]`}},
		{Name: "another student still cannot see them", Method: http.MethodGet, URL: slotsURL(hookstest.TutorPending, day, next, "60"),
			Headers: cast.Auth(hookstest.Student), ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}},
		{Name: "an unknown tutor", Method: http.MethodGet, URL: "/api/tutors/nosuchtutor0000/slots?from=" + day.Format(time.RFC3339) + "&to=" + next.Format(time.RFC3339),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}},
		{Name: "a suspended tutor is unknown", Method: http.MethodGet, URL: slotsURL(hookstest.Tutor2, day, next, "60"),
			BeforeTestFunc: setTutor(hookstest.Tutor2, map[string]any{"status": "suspended"}),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = cast.Factory
		s.Test(t)
	}
}

func isoDay(t time.Time) int {
	d := int(t.In(rome).Weekday())
	if d == 0 {
		return 7
	}
	return d
}

func itoa(n int) string { return string(rune('0' + n)) }
