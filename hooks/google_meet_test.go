package hooks_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/booking"
	"tutorbase/internal/notify"
	"tutorbase/jobs"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// confirmedWithTutor2 books Tutor2 and confirms the lesson (by the tutor
// when it waits for them); it answers the lesson as the student sees it.
func confirmedWithTutor2(t *testing.T, srv *httptest.Server, app *tests.TestApp, day, hh int) (string, map[string]any) {
	t.Helper()
	id := bookTutor2(t, srv, day, hh)
	b, err := app.FindRecordById("bookings", id)
	require.NoError(t, err)
	if b.GetString("status") == "pending" {
		res := hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+id+"/confirm", cast.Tokens[hookstest.Tutor2], map[string]any{})
		require.Equal(t, 200, res.Status, string(res.Body))
	}
	res := hookstest.Call(t, srv, http.MethodGet, "/api/collections/bookings/records/"+id, cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status)
	return id, res.JSON()
}

// TestGoogleMeetLinkAfterCommit: a tutor who chose Meet, with Google
// Calendar connected, gets lessons whose link is "being created" until
// Google answers (here after a 503 and a retry): then the lesson's join
// link is the Meet URL of the calendar event.
func TestGoogleMeetLinkAfterCommit(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	connectGoogle(t, srv, fake, hookstest.Tutor2)
	res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/tutors/records/"+cast.Tutors[hookstest.Tutor2], cast.Tokens[hookstest.Tutor2], map[string]any{"google_meet": true})
	require.Equal(t, 200, res.Status, string(res.Body))

	fake.FailNext("POST /calendar/v3/calendars/", http.StatusServiceUnavailable)
	id, b := confirmedWithTutor2(t, srv, app, 5, 15)
	require.Equal(t, "confirmed", b["status"])
	row := outboxRow(t, app, id, cast.Users[hookstest.Tutor2])
	require.True(t, row.GetBool("meet"))
	eventually(t, "the 503 is recorded", func() bool { return outboxRow(t, app, id, cast.Users[hookstest.Tutor2]).GetInt("attempts") == 1 })
	res = hookstest.Call(t, srv, http.MethodGet, "/api/collections/bookings/records/"+id, cast.Tokens[hookstest.Student], nil)
	require.Equal(t, true, res.JSON()["meet_pending"], "the link is being created")
	require.Equal(t, "", res.JSON()["meeting_url"])

	require.NoError(t, jobs.SyncGoogle(hookstest.ServicesOf(app), app, cast.Now().Add(time.Minute)))
	ev := fake.Events()[row.GetString("event_id")]
	require.True(t, strings.HasPrefix(ev.Meet, "https://meet.google.com/"), "%+v", ev)
	res = hookstest.Call(t, srv, http.MethodGet, "/api/collections/bookings/records/"+id, cast.Tokens[hookstest.Student], nil)
	require.Equal(t, ev.Meet, res.JSON()["meeting_url"])
	require.Equal(t, false, res.JSON()["meet_pending"])

	res = hookstest.Call(t, srv, http.MethodPatch, "/api/collections/bookings/records/"+id, cast.Tokens[hookstest.Student], map[string]any{"meet_pending": true})
	require.Equal(t, 400, res.Status, "the server's field: %s", res.Body)
}

// TestGoogleMeetFallsBackToJitsi: the school chose Meet; when Google
// refuses the event for good, the lesson gets a Jitsi room and its tutor
// is told once.
func TestGoogleMeetFallsBackToJitsi(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	connectGoogle(t, srv, fake, hookstest.Tutor2)
	school, err := app.FindFirstRecordByFilter("school", "id != ''")
	require.NoError(t, err)
	res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/school/records/"+school.Id, cast.Tokens[hookstest.Admin], map[string]any{"google_meet": true})
	require.Equal(t, 200, res.Status, string(res.Body))

	fake.FailNext("POST /calendar/v3/calendars/", http.StatusBadRequest)
	id, _ := confirmedWithTutor2(t, srv, app, 5, 15)
	eventually(t, "Jitsi after all", func() bool {
		b, err := app.FindRecordById("bookings", id)
		return err == nil && strings.HasPrefix(b.GetString("meeting_url"), booking.JitsiBase) && !b.GetBool("meet_pending")
	})
	n, err := app.CountRecords("notifications", dbx.HashExp{"user": cast.Users[hookstest.Tutor2], "kind": notify.KindMeetFailed})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	require.Empty(t, fake.Events())
}
