package hooks_test

import (
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/booking"

	"github.com/stretchr/testify/require"
)

// TestCachesFollowWrites: what a booking reads from the caches (the
// tutor's settings, the student's name, time off, subject names) changes
// with the next committed write, whichever path made it.
func TestCachesFollowWrites(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	t.Cleanup(app.Cleanup)
	hookstest.NoRateLimits(app)
	srv := hookstest.Serve(t, app)
	allDay(t, app, hookstest.Tutor2)
	noUnpaidCap(t, app) // the student books more unpaid lessons than the default cap
	subject := cast.IDs["subject"]
	book := func(days, hour int) hookstest.Response {
		start, end := romeSlot(days, hour, 0, 60)
		return hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student],
			map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end, "subject": subject})
	}

	setTutor(hookstest.Tutor2, map[string]any{"auto_confirm": false})(t, app, nil)
	res := book(3, 9)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "pending", res.JSON()["status"])

	t.Run("the tutor's settings", func(t *testing.T) {
		setTutor(hookstest.Tutor2, map[string]any{"auto_confirm": true})(t, app, nil)
		res := book(3, 11)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, "confirmed", res.JSON()["status"])
	})

	t.Run("the student's name", func(t *testing.T) {
		u, err := app.FindRecordById("users", cast.Users[hookstest.Student])
		require.NoError(t, err)
		u.Set("name", "Renamed Student")
		require.NoError(t, app.Save(u))
		res := book(3, 13)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, "Renamed Student", res.JSON()["student_name"])
	})

	t.Run("time off added through the API", func(t *testing.T) {
		start, end := romeSlot(3, 15, 0, 120)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/time_off/records", cast.Tokens[hookstest.Tutor2],
			map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
		require.Equal(t, 200, res.Status, string(res.Body))
		res = book(3, 15)
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), `"start":{"code":"outside_availability"`)
	})

	t.Run("a renamed subject", func(t *testing.T) {
		b, err := app.FindRecordById("bookings", res.JSON()["id"].(string))
		require.NoError(t, err)
		require.Equal(t, "Mathematics", booking.LessonEvent(app, b, "booking_created").Subject)
		s, err := app.FindRecordById("subjects", subject)
		require.NoError(t, err)
		s.Set("name", "Maths")
		require.NoError(t, app.Save(s))
		require.Equal(t, "Maths", booking.LessonEvent(app, b, "booking_created").Subject)
	})
}
