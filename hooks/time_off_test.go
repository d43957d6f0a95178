package hooks_test

import (
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestTimeOffCancelsTheLessonsItCovers: a tutor adds time off over two
// booked lessons and cancels them (8 identical requests at once): each
// lesson is cancelled once, with the reason time_off, as the tutor cancels
// (the paid one refunded in full, each student told once, in their
// language); the lesson outside it stays; nobody else may do it but staff,
// whose cancelling is audited.
func TestTimeOffCancelsTheLessonsItCovers(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	noUnpaidCap(t, app)
	allDay(t, app, hookstest.Tutor2)
	srv := hookstest.Serve(t, app)
	book := func(student string, days, hour int) string {
		start, end := romeSlot(days, hour, 0, 60)
		res := hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		return res.JSON()["id"].(string)
	}
	unpaid := book(hookstest.Student, 4, 10)
	paid := book(hookstest.Student2, 4, 12)
	outside := book(hookstest.Student, 6, 10)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+paid+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))

	from, _ := romeSlot(4, 8, 0, 0)
	to, _ := romeSlot(4, 18, 0, 0)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/time_off/records", cast.Tokens[hookstest.Tutor2], map[string]any{
		"tutor": cast.Tutors[hookstest.Tutor2], "start": from, "end": to, "reason": "Conference"})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	off := res.JSON()["id"].(string)
	path := "/api/time-off/" + off + "/cancel-lessons"

	for _, who := range []string{hookstest.Tutor, hookstest.Student} {
		require.Equal(t, http.StatusNotFound, hookstest.Call(t, srv, http.MethodPost, path, cast.Tokens[who], nil).Status, who)
	}
	require.Equal(t, int64(0), countWhere(t, app, "bookings", dbx.HashExp{"status": "cancelled", "cancel_reason": "time_off"}), "refusals cancel nothing")

	total := 0
	for _, r := range hookstest.Fire(t, srv, 8, http.MethodPost, path, cast.Tokens[hookstest.Tutor2], nil) {
		require.Equal(t, http.StatusOK, r.Status, string(r.Body))
		total += len(r.JSON()["cancelled"].([]any))
	}
	require.Equal(t, 2, total, "each covered lesson is cancelled by exactly one request")
	for _, id := range []string{unpaid, paid} {
		b, err := app.FindRecordById("bookings", id)
		require.NoError(t, err)
		require.Equal(t, "cancelled", b.GetString("status"))
		require.Equal(t, "time_off", b.GetString("cancel_reason"))
		require.False(t, b.GetBool("late_cancel"))
	}
	b, err := app.FindRecordById("bookings", outside)
	require.NoError(t, err)
	require.Equal(t, "confirmed", b.GetString("status"), "a lesson outside the time off stays")
	require.Equal(t, int64(1), countWhere(t, app, "refunds", dbx.HashExp{"booking": paid}), "the paid lesson is refunded once")
	requireNotified(t, app, hookstest.Student, "booking_cancelled", 1)
	requireNotified(t, app, hookstest.Student2, "booking_cancelled", 1)
	n, err := app.FindFirstRecordByFilter("notifications", "user = {:u} && kind = 'booking_cancelled'", dbx.Params{"u": cast.Users[hookstest.Student]})
	require.NoError(t, err)
	require.Contains(t, n.GetString("app"), "Motivo: il tutor è assente", "the reason in the student's language")

	// staff may do it for the tutor too, and it is audited
	later := book(hookstest.Student2, 5, 10)
	from, _ = romeSlot(5, 9, 0, 0)
	to, _ = romeSlot(5, 12, 0, 0)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/time_off/records", cast.Tokens[hookstest.Tutor2], map[string]any{
		"tutor": cast.Tutors[hookstest.Tutor2], "start": from, "end": to})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	res = hookstest.Call(t, srv, http.MethodPost, "/api/time-off/"+res.JSON()["id"].(string)+"/cancel-lessons", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	require.Equal(t, []any{later}, res.JSON()["cancelled"])
	require.Equal(t, int64(1), countWhere(t, app, "audit_log", dbx.HashExp{"action": "time_off.cancel_lessons", "actor": cast.Users[hookstest.Admin]}))
}
