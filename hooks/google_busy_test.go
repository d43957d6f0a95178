package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/booking"
	"tutorbase/internal/app/google"
	"tutorbase/jobs"
	"tutorbase/testkit/fakegoogle"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestGoogleBusyBlocksSlotsAndBookings: the busy times of a tutor's Google
// Calendar (freeBusy: times only) land in busy_times when they connect and
// every 5 minutes after; they take the slots away and a booking into one
// is refused like one into time off; a failed read keeps them; disconnecting
// removes them.
func TestGoogleBusyBlocksSlotsAndBookings(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	email := googleAccount(hookstest.Tutor2).Email
	fake.SetBusy(email, fakegoogle.Busy{Start: romeTime(5, 10, 0), End: romeTime(5, 11, 0)})
	free := func(day, hh int) bool {
		res := hookstest.Call(t, srv, http.MethodGet, slotsURL(hookstest.Tutor2, romeTime(day, 0, 0), romeTime(day+1, 0, 0), "60"), "", nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		for _, s := range decodeAnswer[booking.SlotsJSON](t, res.Body).Slots {
			if st, _ := time.Parse(time.RFC3339, s.Start); st.Equal(romeTime(day, hh, 0)) {
				return true
			}
		}
		return false
	}
	require.True(t, free(5, 10))

	connectGoogle(t, srv, fake, hookstest.Tutor2)
	require.False(t, free(5, 10), "the dentist blocks 10:00")
	require.True(t, free(5, 9), "09:00 to 10:00 only touches it")
	start, end := romeSlot(5, 10, 0, 60)
	res := hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"start":{"code":"outside_availability"`)
	res = hookstest.Call(t, srv, http.MethodGet, "/api/google/calendar", cast.Tokens[hookstest.Tutor2], nil)
	require.Contains(t, string(res.Body), `"busy_events":1`)

	// a new event appears at Google: read at the next run after 5 minutes
	fake.SetBusy(email, fakegoogle.Busy{Start: romeTime(5, 10, 0), End: romeTime(5, 11, 0)}, fakegoogle.Busy{Start: romeTime(5, 15, 0), End: romeTime(5, 16, 0)})
	job := func(after time.Duration) {
		require.NoError(t, jobs.SyncGoogle(hookstest.ServicesOf(app), app, cast.Now().Add(after)))
	}
	job(time.Minute)
	require.True(t, free(5, 15), "not before 5 minutes")
	job(google.BusyEvery)
	require.False(t, free(5, 15))

	// Google fails (the poll's first call lists the changes): the busy times read last still hold
	fake.FailNext("GET /calendar/v3/calendars/", http.StatusServiceUnavailable)
	job(2 * google.BusyEvery)
	require.False(t, free(5, 10))
	require.False(t, free(5, 15))
	res = hookstest.Call(t, srv, http.MethodGet, "/api/google/calendar", cast.Tokens[hookstest.Tutor2], nil)
	require.Contains(t, string(res.Body), `"last_error":"google_unavailable"`)

	res = hookstest.Call(t, srv, http.MethodPost, "/api/google/calendar/disconnect", cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 204, res.Status)
	n, err := app.CountRecords("busy_times", dbx.HashExp{"tutor": cast.Tutors[hookstest.Tutor2]})
	require.NoError(t, err)
	require.Zero(t, n)
	require.True(t, free(5, 10), "disconnected: the slot is free again")
}
