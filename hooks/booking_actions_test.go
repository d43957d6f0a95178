package hooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// actionApp is a clone with one future lesson of the student with Tutor2,
// booked through the rules; its id is returned.
func actionApp(t testing.TB, tutorFields map[string]any, days int) (*tests.TestApp, string) {
	app := cast.Clone(t)
	if tutorFields != nil {
		setTutor(hookstest.Tutor2, tutorFields)(t, app, nil)
	}
	start, end := romeSlot(days, 10, 0, 60)
	b := saveRecord(t, app, "bookings", map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "student": cast.Users[hookstest.Student], "start": start, "end": end})
	return app, b.Id
}

func requireBooking(t testing.TB, app core.App, id string, fields map[string]any) *core.Record {
	t.Helper()
	b, err := app.FindRecordById("bookings", id)
	require.NoError(t, err)
	for k, v := range fields {
		require.Equal(t, v, b.Get(k), k)
	}
	return b
}

func TestBookingActions(t *testing.T) {
	t.Parallel()
	type step struct {
		role, action, body string
		status             int
		want               string
	}
	cases := []struct {
		name   string
		tutor  map[string]any // Tutor2's settings
		days   int            // lesson this many days ahead
		steps  []step
		after  func(t *testing.T, app *tests.TestApp, id string)
		before func(t *testing.T, app *tests.TestApp, id string)
	}{
		{
			name: "the tutor confirms a pending request", tutor: map[string]any{"auto_confirm": false}, days: 3,
			steps: []step{
				{hookstest.Student, "confirm", "", 403, `"status":403`},
				{hookstest.Tutor, "confirm", "", 404, `"status":404`},
				{hookstest.Visitor, "confirm", "", 401, `"status":401`},
				{hookstest.Tutor2, "confirm", "", 200, `"status":"confirmed"`},
				{hookstest.Tutor2, "confirm", "", 400, `"status":{"code":"bad_state"`},
			},
			after: func(t *testing.T, app *tests.TestApp, id string) {
				b := requireBooking(t, app, id, map[string]any{"status": "confirmed"})
				require.True(t, strings.HasPrefix(b.GetString("meeting_url"), "https://meet.jit.si/tutorbase-"), "a confirmed lesson gets a room")
				requireNotified(t, app, hookstest.Student, "booking_confirmed", 1)
			},
		},
		{
			name: "a student cancels in good time", days: 3,
			steps: []step{{hookstest.Student, "cancel", `{"reason":"Exam moved"}`, 200, `"late_cancel":false`}},
			after: func(t *testing.T, app *tests.TestApp, id string) {
				b := requireBooking(t, app, id, map[string]any{"status": "cancelled", "cancel_reason": "Exam moved", "cancelled_by": cast.Users[hookstest.Student]})
				require.False(t, b.GetDateTime("cancelled_at").IsZero())
				requireNotified(t, app, hookstest.Tutor2, "booking_cancelled", 1)
			},
		},
		{
			name: "a student's cancel inside the window is late", tutor: map[string]any{"min_notice_minutes": 0}, days: 0,
			before: func(t *testing.T, app *tests.TestApp, id string) {}, // replaced below with a lesson in a few hours
			steps:  []step{{hookstest.Student, "cancel", ``, 200, `"late_cancel":true`}},
		},
		{
			name: "a tutor's cancel is never late", tutor: map[string]any{"min_notice_minutes": 0}, days: 0,
			steps: []step{{hookstest.Tutor2, "cancel", `{"reason":"Ill"}`, 200, `"late_cancel":false`}},
			after: func(t *testing.T, app *tests.TestApp, id string) {
				requireNotified(t, app, hookstest.Student, "booking_cancelled", 1)
			},
		},
		{
			name: "nothing twice, and no essays", days: 3,
			steps: []step{
				{hookstest.Student, "cancel", `{"reason":"` + strings.Repeat("r", 501) + `"}`, 400, `"reason":{"code":"validation_max_text_constraint"`},
				{hookstest.Student2, "cancel", ``, 404, `"status":404`},
				{hookstest.Admin, "cancel", ``, 200, `"status":"cancelled"`},
				{hookstest.Student, "cancel", ``, 400, `"status":{"code":"bad_state"`},
				{hookstest.Student, "reschedule", `{"start":"` + mustRome(4, 10, 0) + `","end":"` + mustRome(4, 11, 0) + `"}`, 400, `"status":{"code":"bad_state"`},
			},
			after: func(t *testing.T, app *tests.TestApp, id string) {
				requireNotified(t, app, hookstest.Student, "booking_cancelled", 1)
				requireNotified(t, app, hookstest.Tutor2, "booking_cancelled", 1)
				requireAudit(t, app, "booking.cancel", cast.Users[hookstest.Admin], id)
			},
		},
		{
			name: "a student moves a lesson, overlapping its own old slot", days: 3,
			steps: []step{{hookstest.Student, "reschedule", `{"start":"` + mustRome(3, 10, 30) + `","end":"` + mustRome(3, 11, 30) + `"}`, 200, `"rescheduled_from":"`}},
			after: func(t *testing.T, app *tests.TestApp, id string) {
				requireBooking(t, app, id, map[string]any{"status": "cancelled", "cancel_reason": "rescheduled"})
				moved, err := app.FindFirstRecordByData("bookings", "rescheduled_from", id)
				require.NoError(t, err)
				require.Equal(t, "confirmed", moved.GetString("status"))
				require.Equal(t, mustRome(3, 10, 30), moved.GetDateTime("start").Time().Format(time.RFC3339))
				requireNotified(t, app, hookstest.Tutor2, "booking_rescheduled", 1)
			},
		},
		{
			name: "a reschedule that conflicts changes nothing", days: 3,
			before: func(t *testing.T, app *tests.TestApp, id string) {
				bookedBy(hookstest.Student2, hookstest.Tutor2, mustRome(4, 10, 0), mustRome(4, 11, 0))(t, app, nil)
			},
			steps: []step{{hookstest.Student, "reschedule", `{"start":"` + mustRome(4, 10, 0) + `","end":"` + mustRome(4, 11, 0) + `"}`, 409, `"start":{"code":"slot_conflict"`}},
			after: func(t *testing.T, app *tests.TestApp, id string) {
				requireBooking(t, app, id, map[string]any{"status": "confirmed", "cancel_reason": ""})
				_, err := app.FindFirstRecordByData("bookings", "rescheduled_from", id)
				require.Error(t, err, "no new booking")
			},
		},
		{
			name: "a reschedule follows every booking rule", days: 3,
			steps: []step{
				{hookstest.Student, "reschedule", `{"start":"` + mustRome(4, 10, 10) + `","end":"` + mustRome(4, 11, 10) + `"}`, 400, `"start":{"code":"misaligned"`},
				{hookstest.Student, "reschedule", `{"start":"` + mustRome(4, 22, 0) + `","end":"` + mustRome(4, 23, 0) + `"}`, 400, `"start":{"code":"outside_availability"`},
				{hookstest.Student, "reschedule", `{"start":"nonsense"}`, 400, `"status":400`},
			},
			after: func(t *testing.T, app *tests.TestApp, id string) {
				requireBooking(t, app, id, map[string]any{"status": "confirmed"})
			},
		},
		{
			name: "students move lessons only outside the cancel window; tutors any time", tutor: map[string]any{"min_notice_minutes": 0}, days: 0,
			steps: []step{
				{hookstest.Student, "reschedule", `{"start":"` + mustRome(5, 10, 0) + `","end":"` + mustRome(5, 11, 0) + `"}`, 400, `"start":{"code":"too_late"`},
				{hookstest.Tutor2, "reschedule", `{"start":"` + mustRome(5, 10, 0) + `","end":"` + mustRome(5, 11, 0) + `"}`, 200, `"status":"confirmed"`},
			},
		},
		{
			name: "a tutor's reschedule of a pending request is confirmed", tutor: map[string]any{"auto_confirm": false}, days: 3,
			steps: []step{{hookstest.Tutor2, "reschedule", `{"start":"` + mustRome(5, 10, 0) + `","end":"` + mustRome(5, 11, 0) + `"}`, 200, `"status":"confirmed"`}},
			after: func(t *testing.T, app *tests.TestApp, id string) {
				requireNotified(t, app, hookstest.Student, "booking_rescheduled", 1)
			},
		},
		{
			name: "a future lesson cannot be completed or marked a no-show", days: 3,
			steps: []step{
				{hookstest.Tutor2, "complete", ``, 400, `"end":{"code":"too_soon"`},
				{hookstest.Tutor2, "no-show", ``, 400, `"start":{"code":"too_soon"`},
				{hookstest.Student, "complete", ``, 403, `"status":403`},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app, id := actionApp(t, c.tutor, max(c.days, 1))
			defer app.Cleanup()
			if c.days == 0 { // a lesson a few hours from now, inside the 24 h cancel window
				require.NoError(t, app.Delete(requireBooking(t, app, id, nil)))
				allDay(t, app, hookstest.Tutor2)
				start := soon(3 * time.Hour)
				end := soon(4 * time.Hour)
				id = saveRecord(t, app, "bookings", map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "student": cast.Users[hookstest.Student], "start": start, "end": end}).Id
			}
			if c.before != nil {
				c.before(t, app, id)
			}
			srv := hookstest.Serve(t, app)
			for _, s := range c.steps {
				var body any
				if s.body != "" {
					body = rawJSON(s.body)
				}
				res := hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+id+"/"+s.action, cast.Tokens[s.role], body)
				require.Equal(t, s.status, res.Status, "%s %s: %s", s.role, s.action, res.Body)
				require.Contains(t, string(res.Body), s.want)
			}
			if c.after != nil {
				c.after(t, app, id)
			}
		})
	}
}

func TestCompleteAndNoShow(t *testing.T) {
	t.Parallel()
	id := cast.IDs["past_confirmed"]
	scenarios := []tests.ApiScenario{
		{Name: "the tutor completes an ended lesson", Method: http.MethodPost, URL: "/api/bookings/" + id + "/complete", Headers: cast.Auth(hookstest.Tutor2),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"completed"`}},
		{Name: "the tutor records a no-show", Method: http.MethodPost, URL: "/api/bookings/" + id + "/no-show", Headers: cast.Auth(hookstest.Tutor2),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"no_show"`}},
		{Name: "the student cannot record a no-show", Method: http.MethodPost, URL: "/api/bookings/" + id + "/no-show", Headers: cast.Auth(hookstest.Student),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}},
		{Name: "the student cannot cancel a lesson that has started", Method: http.MethodPost, URL: "/api/bookings/" + id + "/cancel", Headers: cast.Auth(hookstest.Student),
			ExpectedStatus: 400, ExpectedContent: []string{`"start":{"code":"too_late"`}},
		{Name: "a completed lesson stays completed", Method: http.MethodPost, URL: "/api/bookings/" + cast.IDs["completed_booking"] + "/cancel", Headers: cast.Auth(hookstest.Tutor),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":{"code":"bad_state"`}},
		{Name: "an unknown booking", Method: http.MethodPost, URL: "/api/bookings/nosuchbooking00/cancel", Headers: cast.Auth(hookstest.Admin),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = cast.Factory
		s.Test(t)
	}
}

type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

// requireNotified waits (notifications are written after the answer) for
// exactly want notifications of kind for role.
func requireNotified(t testing.TB, app core.App, role, kind string, want int64) {
	t.Helper()
	var n int64
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var err error
		n, err = app.CountRecords("notifications", dbx.HashExp{"user": cast.Users[role], "kind": kind})
		require.NoError(t, err)
		if n >= want || time.Now().After(deadline) {
			break
		}
	}
	time.Sleep(20 * time.Millisecond) // and no more than that
	n2, err := app.CountRecords("notifications", dbx.HashExp{"user": cast.Users[role], "kind": kind})
	require.NoError(t, err)
	require.Equal(t, want, max(n, n2), "%s notifications for %s", kind, role)
}
