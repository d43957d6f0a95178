package hooks_test

import (
	"encoding/json"
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

const bookingsURL = "/api/collections/bookings/records"

func bookingBody(tutorRole string, start, end string, extra ...any) *strings.Reader {
	m := map[string]any{"tutor": cast.Tutors[tutorRole], "start": start, "end": end}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i].(string)] = extra[i+1]
	}
	b, _ := json.Marshal(m)
	return strings.NewReader(string(b))
}

// setTutor changes tutor profile fields before a scenario.
func setTutor(role string, fields map[string]any) func(testing.TB, *tests.TestApp, *core.ServeEvent) {
	return func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
		r, err := app.FindRecordById("tutors", cast.Tutors[role])
		require.NoError(t, err)
		r.Load(fields)
		require.NoError(t, app.Save(r))
	}
}

// bookingCount is how many bookings exist; a refused request must not
// change it.
func bookingCount(want int64) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, app *tests.TestApp, res *http.Response) {
		n, err := app.CountRecords("bookings")
		require.NoError(t, err)
		require.Equal(t, want, n, "bookings written")
	}
}

// fixtureBookings is the number of bookings in the fixture.
const fixtureBookings = 4

func TestBookingCreateRules(t *testing.T) {
	t.Parallel()
	s10, e10 := romeSlot(3, 10, 0, 60)
	student := cast.Auth(hookstest.Student)
	unchanged := bookingCount(fixtureBookings)
	scenarios := []tests.ApiScenario{
		{
			Name: "a student books a free aligned slot", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body:           bookingBody(hookstest.Tutor2, s10, e10, "notes", "Chapter 3 please"),
			ExpectedStatus: 200,
			ExpectedContent: []string{`"status":"confirmed"`, `"price":4000`, `"currency":"EUR"`, `"meeting_url":"https://meet.jit.si/tutorbase-`,
				`"student":"` + cast.Users[hookstest.Student] + `"`, `"tutor_user":"` + cast.Users[hookstest.Tutor2] + `"`,
				`"tutor_name":"Theo Tutor"`, `"student_name":"Stella Student"`, `"notes":"Chapter 3 please"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				requireNotified(t, app, hookstest.Tutor2, "booking_created", 1)  // the tutor is told
				requireNotified(t, app, hookstest.Student, "booking_created", 1) // and the student, who booked
			},
		},
		{
			Name: "a tutor who confirms by hand gets a pending request", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body:           bookingBody(hookstest.Tutor2, s10, e10),
			BeforeTestFunc: setTutor(hookstest.Tutor2, map[string]any{"auto_confirm": false}),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"pending"`, `"meeting_url":""`},
		},
		{
			Name: "the tutor's own meeting link is used", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body:           bookingBody(hookstest.Tutor2, s10, e10),
			BeforeTestFunc: setTutor(hookstest.Tutor2, map[string]any{"meeting_url": "https://zoom.example/j/123"}),
			ExpectedStatus: 200, ExpectedContent: []string{`"meeting_url":"https://zoom.example/j/123"`},
		},
		{
			Name: "server-owned fields are refused", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body:            bookingBody(hookstest.Tutor2, s10, e10, "status", "completed", "price", 0, "meeting_url", "https://evil.example"),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"status":{"code":"server_owned"`, `"price":{"code":"server_owned"`, `"meeting_url":{"code":"server_owned"`},
			AfterTestFunc:   unchanged,
		},
		{
			Name: "a student cannot book for another student", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body:           bookingBody(hookstest.Tutor2, s10, e10, "student", cast.Users[hookstest.Student2]),
			ExpectedStatus: 400, ExpectedContent: []string{`"student":{"code":"server_owned"`}, AfterTestFunc: unchanged,
		},
		{
			Name: "an unverified tutor takes no bookings", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body:           bookingBody(hookstest.TutorPending, s10, e10),
			ExpectedStatus: 400, ExpectedContent: []string{`"tutor":{"code":"tutor_unavailable"`}, AfterTestFunc: unchanged,
		},
		{
			Name: "a start off the slot grid", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body:           bookingBody(hookstest.Tutor2, mustRome(3, 10, 15), mustRome(3, 11, 15)),
			ExpectedStatus: 400, ExpectedContent: []string{`"start":{"code":"misaligned"`}, AfterTestFunc: unchanged,
		},
		{
			Name: "a length the tutor does not teach", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body:           bookingBody(hookstest.Tutor2, s10, mustRome(3, 10, 50)),
			ExpectedStatus: 400, ExpectedContent: []string{`"end":{"code":"bad_length"`}, AfterTestFunc: unchanged,
		},
		{
			Name: "outside the tutor's hours", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body:           bookingBody(hookstest.Tutor2, mustRome(3, 20, 0), mustRome(3, 21, 0)),
			ExpectedStatus: 400, ExpectedContent: []string{`"start":{"code":"outside_availability"`}, AfterTestFunc: unchanged,
		},
		{
			Name: "during the tutor's time off", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body: bookingBody(hookstest.Tutor2, s10, e10),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				saveRecord(t, app, "time_off", map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": mustRome(3, 0, 0), "end": mustRome(4, 0, 0)})
			},
			ExpectedStatus: 400, ExpectedContent: []string{`"start":{"code":"outside_availability"`}, AfterTestFunc: unchanged,
		},
		{
			Name: "the tutor already teaches then", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body:           bookingBody(hookstest.Tutor2, mustRome(3, 10, 30), mustRome(3, 11, 30)),
			BeforeTestFunc: bookedBy(hookstest.Student2, hookstest.Tutor2, s10, e10),
			ExpectedStatus: 409, ExpectedContent: []string{`"status":409`, `"start":{"code":"slot_conflict"`},
			NotExpectedContent: []string{"Otto"}, AfterTestFunc: bookingCount(fixtureBookings + 1),
		},
		{
			Name: "the tutor's buffer keeps the next slot free", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body: bookingBody(hookstest.Tutor2, e10, mustRome(3, 12, 0)),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				setTutor(hookstest.Tutor2, map[string]any{"buffer_minutes": 15})(t, app, e)
				bookedBy(hookstest.Student2, hookstest.Tutor2, s10, e10)(t, app, e)
			},
			ExpectedStatus: 409, ExpectedContent: []string{`"start":{"code":"slot_conflict"`}, AfterTestFunc: bookingCount(fixtureBookings + 1),
		},
		{
			Name: "back to back without a buffer is fine", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body:           bookingBody(hookstest.Tutor2, e10, mustRome(3, 12, 0)),
			BeforeTestFunc: bookedBy(hookstest.Student2, hookstest.Tutor2, s10, e10),
			ExpectedStatus: 200, ExpectedContent: []string{`"status":"confirmed"`},
		},
		{
			Name: "the student already has a lesson then, with another tutor", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body: bookingBody(hookstest.Tutor2, s10, e10),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				saveImported(t, app, "bookings", map[string]any{"tutor": cast.Tutors[hookstest.Tutor], "student": cast.Users[hookstest.Student],
					"start": s10, "end": e10, "status": "confirmed"})
			},
			ExpectedStatus: 409, ExpectedContent: []string{`"start":{"code":"slot_conflict"`}, AfterTestFunc: bookingCount(fixtureBookings + 1),
		},
		{
			Name: "less than the tutor's notice ahead", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body: bookingBody(hookstest.Tutor2, soon(time.Hour), soon(2*time.Hour)),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				allDay(t, app, hookstest.Tutor2)
			},
			ExpectedStatus: 400, ExpectedContent: []string{`"start":{"code":"too_soon"`}, AfterTestFunc: unchanged,
		},
		{
			Name: "exactly the notice ahead is fine", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body: bookingBody(hookstest.Tutor2, soon(3*time.Hour), soon(4*time.Hour)),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				allDay(t, app, hookstest.Tutor2)
				setTutor(hookstest.Tutor2, map[string]any{"min_notice_minutes": 150})(t, app, e)
			},
			ExpectedStatus:  200,
			ExpectedContent: []string{`"status":"confirmed"`},
		},
		{
			Name: "further ahead than the tutor takes bookings", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body:           bookingBody(hookstest.Tutor2, mustRome(100, 10, 0), mustRome(100, 11, 0)),
			ExpectedStatus: 400, ExpectedContent: []string{`"start":{"code":"too_far"`}, AfterTestFunc: unchanged,
		},
		{
			Name: "the first failing rule is reported: misaligned before outside hours", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body:           bookingBody(hookstest.Tutor2, mustRome(3, 21, 10), mustRome(3, 22, 10)),
			ExpectedStatus: 400, ExpectedContent: []string{`"start":{"code":"misaligned"`}, AfterTestFunc: unchanged,
		},
		{
			Name: "the first failing rule is reported: a conflict before too far", Method: http.MethodPost, URL: bookingsURL, Headers: student,
			Body: bookingBody(hookstest.Tutor2, mustRome(100, 10, 0), mustRome(100, 11, 0)),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				start, end := romeSlot(100, 10, 0, 60)
				saveImported(t, app, "bookings", map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "student": cast.Users[hookstest.Student2],
					"start": start, "end": end, "status": "confirmed"})
			},
			ExpectedStatus: 409, ExpectedContent: []string{`"start":{"code":"slot_conflict"`},
		},
		{
			Name: "an admin books for a student", Method: http.MethodPost, URL: bookingsURL, Headers: cast.Auth(hookstest.Admin),
			Body:           bookingBody(hookstest.Tutor2, s10, e10, "student", cast.Users[hookstest.Student2]),
			ExpectedStatus: 200, ExpectedContent: []string{`"student":"` + cast.Users[hookstest.Student2] + `"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				for _, u := range []string{hookstest.Student2, hookstest.Tutor2} {
					requireNotified(t, app, u, "booking_created", 1) // staff booking tells both parties
				}
			},
		},
		{
			Name: "an admin must say for whom", Method: http.MethodPost, URL: bookingsURL, Headers: cast.Auth(hookstest.Admin),
			Body:           bookingBody(hookstest.Tutor2, s10, e10),
			ExpectedStatus: 400, ExpectedContent: []string{`"student":{"code":"validation_required"`}, AfterTestFunc: unchanged,
		},
		{
			Name: "a tutor cannot book, not even themselves", Method: http.MethodPost, URL: bookingsURL, Headers: cast.Auth(hookstest.Tutor2),
			Body:           bookingBody(hookstest.Tutor2, s10, e10),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, AfterTestFunc: unchanged,
		},
		{
			Name: "staff cannot book a tutor's own account as the student", Method: http.MethodPost, URL: bookingsURL, Headers: cast.Auth(hookstest.Admin),
			Body:           bookingBody(hookstest.Tutor2, s10, e10, "student", cast.Users[hookstest.Tutor2]),
			ExpectedStatus: 400, ExpectedContent: []string{`"student":{"code":"not_a_student"`}, AfterTestFunc: unchanged,
		},
		{
			Name: "a visitor cannot book", Method: http.MethodPost, URL: bookingsURL,
			Body:           bookingBody(hookstest.Tutor2, s10, e10),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, AfterTestFunc: unchanged,
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = cast.Factory
		s.Test(t)
	}
}

func TestBookingBadInput(t *testing.T) {
	t.Parallel()
	s10, e10 := romeSlot(3, 10, 0, 60)
	student := cast.Auth(hookstest.Student)
	unchanged := bookingCount(fixtureBookings)
	cases := []struct {
		name, body string
		status     int
		want       string
	}{
		{"dates that do not parse", `{"tutor":"` + cast.Tutors[hookstest.Tutor2] + `","start":"next tuesday","end":"soon"}`, 400, `"start":{"code":"validation_required"`},
		{"end before start", `{"tutor":"` + cast.Tutors[hookstest.Tutor2] + `","start":"` + e10 + `","end":"` + s10 + `"}`, 400, `"end":{"code":"bad_length"`},
		{"zero duration", `{"tutor":"` + cast.Tutors[hookstest.Tutor2] + `","start":"` + s10 + `","end":"` + s10 + `"}`, 400, `"end":{"code":"bad_length"`},
		{"a huge duration", `{"tutor":"` + cast.Tutors[hookstest.Tutor2] + `","start":"` + s10 + `","end":"` + mustRome(30, 10, 0) + `"}`, 400, `"end":{"code":"bad_length"`},
		{"a missing tutor", `{"tutor":"nosuchtutor0000","start":"` + s10 + `","end":"` + e10 + `"}`, 400, `"tutor":{"code":"validation_missing_rel_records"`},
		{"no tutor at all", `{"start":"` + s10 + `","end":"` + e10 + `"}`, 400, `"tutor":`},
		{"a tutor of the wrong type", `{"tutor":42,"start":"` + s10 + `","end":"` + e10 + `"}`, 400, `"tutor":`},
		{"10 MB of notes", `{"tutor":"` + cast.Tutors[hookstest.Tutor2] + `","start":"` + s10 + `","end":"` + e10 + `","notes":"` + strings.Repeat("n", 10<<20) + `"}`, 400, `"notes":{"code":"validation_max_text_constraint"`},
		{"not JSON", `{"tutor": `, 400, `"status":400`},
	}
	for _, c := range cases {
		s := tests.ApiScenario{
			Name: c.name, Method: http.MethodPost, URL: bookingsURL, Headers: student, Body: strings.NewReader(c.body),
			ExpectedStatus: c.status, ExpectedContent: []string{c.want}, AfterTestFunc: unchanged, TestAppFactory: cast.Factory,
		}
		s.Test(t)
	}
}

func TestBookingDirectUpdates(t *testing.T) {
	t.Parallel()
	id := cast.IDs["booking"]
	scenarios := []tests.ApiScenario{
		{
			Name: "the student edits the notes", Method: http.MethodPatch, URL: bookingsURL + "/" + id, Headers: cast.Auth(hookstest.Student),
			Body: strings.NewReader(`{"notes":"Bring the workbook"}`), ExpectedStatus: 200, ExpectedContent: []string{`"notes":"Bring the workbook"`},
		},
		{
			Name: "the student cannot move the lesson by editing it", Method: http.MethodPatch, URL: bookingsURL + "/" + id, Headers: cast.Auth(hookstest.Student),
			Body: strings.NewReader(`{"start":"2030-01-01 10:00:00.000Z","end":"2030-01-01 11:00:00.000Z"}`), ExpectedStatus: 400,
			ExpectedContent: []string{`"start":{"code":"read_only"`, `"end":{"code":"read_only"`},
		},
		{
			Name: "the tutor cannot complete by editing", Method: http.MethodPatch, URL: bookingsURL + "/" + id, Headers: cast.Auth(hookstest.Tutor),
			Body: strings.NewReader(`{"status":"completed"}`), ExpectedStatus: 400, ExpectedContent: []string{`"status":{"code":"read_only"`},
		},
		{
			Name: "an admin cannot either", Method: http.MethodPatch, URL: bookingsURL + "/" + id, Headers: cast.Auth(hookstest.Admin),
			Body: strings.NewReader(`{"price":1}`), ExpectedStatus: 400, ExpectedContent: []string{`"price":{"code":"read_only"`},
		},
		{
			Name: "a superuser in the dashboard cannot move a lesson either", Method: http.MethodPatch, URL: bookingsURL + "/" + id,
			Headers: cast.Auth(hookstest.Superuser), Body: strings.NewReader(`{"start":"2030-01-01 10:00:00.000Z"}`), ExpectedStatus: 400,
			ExpectedContent: []string{`"start":{"code":"immutable"`},
		},
		{
			Name: "nor revive a cancelled one", Method: http.MethodPatch, URL: bookingsURL + "/" + id, Headers: cast.Auth(hookstest.Superuser),
			Body: strings.NewReader(`{"status":"pending"}`), ExpectedStatus: 400, ExpectedContent: []string{`"status":{"code":"bad_state"`},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				b, err := app.FindRecordById("bookings", id)
				require.NoError(t, err)
				b.Set("status", "cancelled")
				require.NoError(t, app.Save(b))
			},
		},
		{
			Name: "students never delete a booking", Method: http.MethodDelete, URL: bookingsURL + "/" + id, Headers: cast.Auth(hookstest.Student),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = cast.Factory
		s.Test(t)
	}
}

// helpers

func mustRome(days, hh, mm int) string { return romeTime(days, hh, mm).Format(time.RFC3339) }

// soon is now+d rounded up to the next half hour, RFC 3339.
func soon(d time.Duration) string {
	return cast.Now().Add(d).Truncate(30 * time.Minute).Add(30 * time.Minute).UTC().Format(time.RFC3339)
}

func saveRecord(t testing.TB, app core.App, collection string, data map[string]any) *core.Record {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId(collection)
	require.NoError(t, err)
	r := core.NewRecord(col)
	r.Load(data)
	require.NoError(t, app.Save(r))
	return r
}

func saveImported(t testing.TB, app core.App, collection string, data map[string]any) *core.Record {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId(collection)
	require.NoError(t, err)
	r := core.NewRecord(col)
	r.Load(data)
	require.NoError(t, app.SaveWithContext(importedCtx(), r))
	return r
}

// bookedBy books a lesson through the rules (not imported) before a test.
func bookedBy(studentRole, tutorRole, start, end string) func(testing.TB, *tests.TestApp, *core.ServeEvent) {
	return func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
		saveRecord(t, app, "bookings", map[string]any{"tutor": cast.Tutors[tutorRole], "student": cast.Users[studentRole], "start": start, "end": end})
	}
}

// allDay replaces a tutor's windows with 00:00-24:00 every day.
func allDay(t testing.TB, app core.App, tutorRole string) {
	t.Helper()
	rows, err := app.FindAllRecords("availability", dbx.HashExp{"tutor": cast.Tutors[tutorRole]})
	require.NoError(t, err)
	for _, r := range rows {
		require.NoError(t, app.Delete(r))
	}
	for d := 1; d <= 7; d++ {
		saveRecord(t, app, "availability", map[string]any{"tutor": cast.Tutors[tutorRole], "weekday": d, "start": "00:00", "end": "24:00"})
	}
}
