package hooks_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/stretchr/testify/require"
)

const (
	reportsURL = "/api/collections/lesson_reports/records"
	notesURL   = "/api/collections/tutor_notes/records"
	secretNote = "Private: anxious before tests" // the fixture note's body
)

func homeworkDoneURL(id string) string { return "/api/lesson-reports/" + id + "/homework-done" }

// The tutors' private notes never reach a student: not listed, viewed,
// filtered on, expanded nor heard over realtime (a real SSE client), while
// their author and staff read and hear them, and the student hears of
// their own report.
func TestPrivateNotesUnreachableByStudents(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	student, tutor := cast.Tokens[hookstest.Student], cast.Tokens[hookstest.Tutor]
	noteID := cast.IDs["tutor_note"]

	// a note linked to a lesson, so a back-relation could walk to it
	res := hookstest.Call(t, srv, http.MethodPost, notesURL, tutor, map[string]any{
		"student": cast.Users[hookstest.Student], "booking": cast.IDs["completed_booking"], "body": secretNote + " (lesson)"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, cast.Users[hookstest.Tutor], res.JSON()["author"], "the author is whoever writes")

	for _, path := range []string{
		notesURL,
		notesURL + "/" + noteID,
		notesURL + "?filter=" + url.QueryEscape("body ~ 'anxious'"),
		notesURL + "?filter=" + url.QueryEscape("student = '"+cast.Users[hookstest.Student]+"'"),
		reportsURL + "?filter=" + url.QueryEscape("@collection.tutor_notes.body ~ 'anxious'"),
		reportsURL + "?expand=booking.tutor_notes_via_booking",
		"/api/collections/bookings/records/" + cast.IDs["completed_booking"] + "?expand=tutor_notes_via_booking",
		"/api/collections/bookings/records?filter=" + url.QueryEscape("tutor_notes_via_booking.body ~ 'anxious'"),
	} {
		res := hookstest.Call(t, srv, http.MethodGet, path, student, nil)
		require.NotContains(t, string(res.Body), "anxious", path)
		require.NotContains(t, string(res.Body), noteID, path)
		if res.Status == 200 && strings.Contains(path, "tutor_notes/records") && !strings.Contains(path, noteID) {
			require.EqualValues(t, 0, res.JSON()["totalItems"], path)
		}
	}
	res = hookstest.Call(t, srv, http.MethodGet, notesURL, tutor, nil)
	require.Contains(t, string(res.Body), "anxious", "the author reads them")
	require.EqualValues(t, 2, res.JSON()["totalItems"])

	students := []*hookstest.SSE{
		hookstest.Subscribe(t, srv, student, "tutor_notes/*"),
		hookstest.Subscribe(t, srv, student, "tutor_notes/"+noteID),
		hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Student2], "tutor_notes/*"),
		hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Tutor2], "tutor_notes/*"),
		hookstest.Subscribe(t, srv, "", "tutor_notes/*"),
	}
	author := hookstest.Subscribe(t, srv, tutor, "tutor_notes/*")
	admin := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Admin], "tutor_notes/"+noteID)
	reports := hookstest.Subscribe(t, srv, student, "lesson_reports/*")

	res = hookstest.Call(t, srv, http.MethodPatch, notesURL+"/"+noteID, tutor, map[string]any{"body": secretNote + ", less now"})
	require.Equal(t, 200, res.Status, string(res.Body))
	res = hookstest.Call(t, srv, http.MethodPatch, reportsURL+"/"+cast.IDs["lesson_report"], tutor, map[string]any{"comment": "Well done"})
	require.Equal(t, 200, res.Status, string(res.Body))

	for who, c := range map[string]struct {
		sse   *hookstest.SSE
		topic string
	}{"the author": {author, "tutor_notes/*"}, "staff": {admin, "tutor_notes/" + noteID}} {
		ev, ok := c.sse.Until(c.topic, 5*time.Second)
		require.True(t, ok, who+" hears the change")
		require.Equal(t, noteID, ev.Data["record"].(map[string]any)["id"])
	}
	ev, ok := reports.Until("lesson_reports/*", 5*time.Second)
	require.True(t, ok, "the student hears of their own report")
	require.Equal(t, "Well done", ev.Data["record"].(map[string]any)["comment"])
	for i, c := range students {
		_, ok := c.Next(300 * time.Millisecond)
		require.False(t, ok, "subscriber %d hears nothing of the notes", i)
	}
}

// A report belongs to a lesson that is over; its parties come from the
// lesson; ratings, due dates and server fields are checked.
func TestLessonReportRules(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	tutor := cast.Tokens[hookstest.Tutor]
	subject := cast.IDs["subject"]
	cancelled := saveBooking(t, app, hookstest.Tutor, hookstest.Student, cast.Now().Add(-50*time.Hour), "cancelled")

	for name, c := range map[string]struct {
		body        map[string]any
		field, code string
	}{
		"a lesson still ahead":   {map[string]any{"booking": cast.IDs["booking"]}, "booking", "lesson_not_over"},
		"a cancelled lesson":     {map[string]any{"booking": cancelled.Id}, "booking", "no_lesson"},
		"a rating of 6":          {map[string]any{"booking": cast.IDs["unreviewed_booking"], "ratings": map[string]any{subject: 6}}, "ratings", "bad_rating"},
		"a half rating":          {map[string]any{"booking": cast.IDs["unreviewed_booking"], "ratings": map[string]any{subject: 2.5}}, "ratings", "bad_rating"},
		"an unknown subject":     {map[string]any{"booking": cast.IDs["unreviewed_booking"], "ratings": map[string]any{"nosuchsubject00": 3}}, "ratings", "bad_rating"},
		"a due date, no work":    {map[string]any{"booking": cast.IDs["unreviewed_booking"], "due": cast.Now().Add(48 * time.Hour)}, "due", "homework_required"},
		"naming the student":     {map[string]any{"booking": cast.IDs["unreviewed_booking"], "student": cast.Users[hookstest.Student2]}, "student", "server_owned"},
		"marking homework done":  {map[string]any{"booking": cast.IDs["unreviewed_booking"], "homework_done_at": cast.Now()}, "homework_done_at", "server_owned"},
		"a second report":        {map[string]any{"booking": cast.IDs["completed_booking"]}, "booking", "validation_not_unique"},
		"another tutor's lesson": {map[string]any{"booking": cast.IDs["past_confirmed"]}, "", ""},
	} {
		res := hookstest.Call(t, srv, http.MethodPost, reportsURL, tutor, c.body)
		require.Equal(t, 400, res.Status, name+": "+string(res.Body))
		if c.field != "" {
			require.Contains(t, string(res.Body), `"`+c.field+`":{"code":"`+c.code+`"`, name)
		}
	}
	n, err := app.CountRecords("lesson_reports")
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "nothing was written")

	res := hookstest.Call(t, srv, http.MethodPost, reportsURL, tutor, map[string]any{
		"booking": cast.IDs["unreviewed_booking"], "topics": "Equations", "homework": "Page 12",
		"due": cast.Now().Add(72 * time.Hour), "ratings": map[string]any{subject: 4}, "comment": "Keep going"})
	require.Equal(t, 200, res.Status, string(res.Body))
	got := res.JSON()
	require.Equal(t, cast.Users[hookstest.Student], got["student"])
	require.Equal(t, cast.Users[hookstest.Tutor], got["tutor_user"])
	require.Equal(t, cast.Tutors[hookstest.Tutor], got["tutor"])
	require.NotEmpty(t, got["lesson_start"])

	res = hookstest.Call(t, srv, http.MethodPatch, reportsURL+"/"+got["id"].(string), tutor, map[string]any{"booking": cast.IDs["completed_booking"]})
	require.Equal(t, 400, res.Status, "the lesson of a report never changes")
	res = hookstest.Call(t, srv, http.MethodPatch, reportsURL+"/"+got["id"].(string), cast.Tokens[hookstest.Student], map[string]any{"comment": "Great!"})
	require.Equal(t, 404, res.Status, "a student does not edit the report")
}

// A tutor writes notes only about their own students, and links them
// only to their own lessons.
func TestTutorNotesOwnStudents(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	res := hookstest.Call(t, srv, http.MethodPost, notesURL, cast.Tokens[hookstest.Tutor], map[string]any{"student": cast.Users[hookstest.Student2], "body": "x"})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"code":"not_your_student"`)
	res = hookstest.Call(t, srv, http.MethodPost, notesURL, cast.Tokens[hookstest.Tutor2], map[string]any{
		"student": cast.Users[hookstest.Student], "booking": cast.IDs["completed_booking"], "body": "x"})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"code":"not_your_booking"`)
	res = hookstest.Call(t, srv, http.MethodPost, notesURL, cast.Tokens[hookstest.Tutor], map[string]any{
		"student": cast.Users[hookstest.Student], "author": cast.Users[hookstest.Tutor2], "body": "x"})
	require.Equal(t, 400, res.Status, "nobody writes in another's name")
	res = hookstest.Call(t, srv, http.MethodPatch, notesURL+"/"+cast.IDs["tutor_note"], cast.Tokens[hookstest.Tutor], map[string]any{"student": cast.Users[hookstest.Student2]})
	require.Equal(t, 400, res.Status, "a note stays about its student")
}

// Eight identical "done" requests at once: one marks the homework done and
// tells the tutor once; the others are told it is done already.
func TestHomeworkDoneRace(t *testing.T) {
	t.Parallel()
	app, srv := racingApp(t)
	id := cast.IDs["lesson_report"]
	rs := hookstest.Fire(t, srv, racers, http.MethodPost, homeworkDoneURL(id), cast.Tokens[hookstest.Student], nil)
	won := oneWinner(t, rs, 400)
	require.NotEmpty(t, won.JSON()["homework_done_at"])
	for _, r := range rs {
		if r.Status == 400 {
			require.Contains(t, string(r.Body), `"homework_done_at":{"code":"bad_state"`)
		}
	}
	n, err := app.CountRecords("notifications", dbx.HashExp{"kind": "homework_done", "user": cast.Users[hookstest.Tutor]})
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "the tutor is told once")
	d, err := app.CountRecords("deliveries", dbx.NewExp("notification IN (SELECT id FROM notifications WHERE kind = 'homework_done')"))
	require.NoError(t, err)
	require.LessOrEqual(t, d, int64(4), "one delivery per channel at most")
}

// The student attaches a file; only the student marks homework done.
func TestHomeworkDoneWithFile(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	id := cast.IDs["lesson_report"]
	for role, want := range map[string]int{hookstest.Tutor: 403, hookstest.Admin: 403, hookstest.Student2: 404, hookstest.Tutor2: 404, hookstest.Visitor: 401} {
		res := hookstest.Call(t, srv, http.MethodPost, homeworkDoneURL(id), cast.Tokens[role], nil)
		require.Equal(t, want, res.Status, role)
	}
	res := hookstest.Call(t, srv, http.MethodPost, homeworkDoneURL("nosuchreport00"), cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 404, res.Status)

	body, w, err := tests.MockMultipartData(map[string]string{}, "file")
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, srv.URL+homeworkDoneURL(id), body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", cast.Tokens[hookstest.Student])
	r, err := srv.Client().Do(req)
	require.NoError(t, err)
	data, _ := io.ReadAll(r.Body)
	r.Body.Close()
	require.Equal(t, 200, r.StatusCode, string(data))

	rep, err := app.FindRecordById("lesson_reports", id)
	require.NoError(t, err)
	require.NotEmpty(t, rep.GetString("homework_file"), "the file is kept")
	require.False(t, rep.GetDateTime("homework_done_at").IsZero())
	// the tutor sees it done, with the file
	res = hookstest.Call(t, srv, http.MethodGet, reportsURL+"/"+id, cast.Tokens[hookstest.Tutor], nil)
	require.Equal(t, 200, res.Status)
	require.Equal(t, rep.GetString("homework_file"), res.JSON()["homework_file"])
}

// One reminder of a missing report, through the notifications engine, a
// day after a completed lesson without one; none for a lesson with a
// report, one not completed or one that ended less than a day ago.
func TestMissingReportReminderOnce(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	s := hookstest.ServicesOf(app)
	now := cast.Now().UTC()
	recent := saveBooking(t, app, hookstest.Tutor2, hookstest.Student2, now.Add(-20*time.Hour), "completed")

	count := func(booking string) int64 {
		n, err := app.CountRecords("notifications", dbx.NewExp("kind = 'report_missing' AND json_extract(data, '$.booking') = {:b}", dbx.Params{"b": booking}))
		require.NoError(t, err)
		return n
	}
	require.NoError(t, s.Teaching.RemindMissingReports(app, now))
	require.NoError(t, s.Teaching.RemindMissingReports(app, now.Add(time.Minute)))
	require.EqualValues(t, 1, count(cast.IDs["unreviewed_booking"]), "a completed lesson without a report: once")
	n, err := app.CountRecords("notifications", dbx.HashExp{"kind": "report_missing", "user": cast.Users[hookstest.Tutor]})
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "to its tutor")
	require.Zero(t, count(cast.IDs["completed_booking"]), "a lesson with a report")
	require.Zero(t, count(cast.IDs["past_confirmed"]), "a lesson not completed")
	require.Zero(t, count(recent.Id), "less than a day after the lesson")

	require.NoError(t, s.Teaching.RemindMissingReports(app, now.Add(5*time.Hour)))
	require.EqualValues(t, 1, count(recent.Id), "a day after it")
	require.NoError(t, s.Teaching.RemindMissingReports(app, now.Add(6*time.Hour)))
	require.EqualValues(t, 1, count(recent.Id))
	d, err := app.CountRecords("deliveries", dbx.HashExp{"user": cast.Users[hookstest.Tutor2]})
	require.NoError(t, err)
	require.NotZero(t, d, "queued for delivery like every notification")
}

// saveBooking stores a lesson of an hour from start between a cast tutor
// and student, as an import would.
func saveBooking(t *testing.T, app *tests.TestApp, tutor, student string, start time.Time, status string) *core.Record {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId("bookings")
	require.NoError(t, err)
	b := core.NewRecord(col)
	b.Load(map[string]any{"tutor": cast.Tutors[tutor], "student": cast.Users[student],
		"start": start, "end": start.Add(time.Hour), "status": status})
	require.NoError(t, app.SaveWithContext(platform.Imported(context.Background()), b))
	return b
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// progressOf asks for a student's progress as role.
func progressOf(t *testing.T, srv *httptest.Server, role, student string) hookstest.Response {
	t.Helper()
	return hookstest.Call(t, srv, http.MethodGet, "/api/students/"+student+"/progress", cast.Tokens[role], nil)
}

// Progress per subject: ratings over time, lessons taken and homework done
// on time, for the student, staff and their tutors (their own lessons).
func TestStudentProgress(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	student := cast.Users[hookstest.Student]
	res := hookstest.Call(t, srv, http.MethodPost, homeworkDoneURL(cast.IDs["lesson_report"]), cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status, string(res.Body))

	res = progressOf(t, srv, hookstest.Student, student)
	require.Equal(t, 200, res.Status, string(res.Body))
	subjects := res.JSON()["subjects"].([]any)
	require.Len(t, subjects, 2, string(res.Body))
	maths, general := subjects[0].(map[string]any), subjects[1].(map[string]any)
	require.Equal(t, "Mathematics", maths["name"])
	ratings := maths["ratings"].([]any)
	require.Len(t, ratings, 1)
	require.EqualValues(t, 3, ratings[0].(map[string]any)["rating"])
	require.Equal(t, "", general["subject"], "lessons without a subject")
	require.EqualValues(t, 2, general["lessons"], "two completed lessons")
	require.Equal(t, map[string]any{"set": 1.0, "done": 1.0, "on_time": 1.0}, general["homework"])

	for role, want := range map[string]int{hookstest.Admin: 200, hookstest.Tutor: 200, hookstest.Tutor2: 200, hookstest.Student2: 404, hookstest.Visitor: 401} {
		res := progressOf(t, srv, role, student)
		require.Equal(t, want, res.Status, role)
		if role == hookstest.Tutor2 {
			require.NotContains(t, string(res.Body), `"rating":3`, "another tutor sees only their own lessons")
		}
	}
	require.Equal(t, 404, progressOf(t, srv, hookstest.Tutor, cast.Users[hookstest.Student2]).Status, "not their student")
	require.Equal(t, 404, progressOf(t, srv, hookstest.Admin, cast.Users[hookstest.Tutor]).Status, "not a student")
}

// The calendar views' agenda: each viewer's lessons in range, a tutor's
// availability and time off, in the viewer's zone.
func TestAgenda(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	b, err := app.FindRecordById("bookings", cast.IDs["booking"])
	require.NoError(t, err)
	start := b.GetDateTime("start").Time()
	from, to := start.Add(-72*time.Hour), start.Add(72*time.Hour) // six days touching seven dates: one Monday of availability
	q := "/api/agenda?from=" + url.QueryEscape(from.Format(time.RFC3339)) + "&to=" + url.QueryEscape(to.Format(time.RFC3339))

	agenda := func(role, extra string) map[string]any {
		res := hookstest.Call(t, srv, http.MethodGet, q+extra, cast.Tokens[role], nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		return res.JSON()
	}
	has := func(a map[string]any, id string) bool { return strings.Contains(toJSON(t, a["lessons"]), `"`+id+`"`) }

	tutor := agenda(hookstest.Tutor, "")
	require.True(t, has(tutor, b.Id))
	require.Len(t, tutor["available"].([]any), 1, "the Monday window")
	student := agenda(hookstest.Student, "")
	require.True(t, has(student, b.Id))
	require.Empty(t, student["available"])
	require.False(t, has(agenda(hookstest.Student2, ""), b.Id))
	require.False(t, has(agenda(hookstest.Tutor2, ""), b.Id))
	staff := agenda(hookstest.Admin, "&tutor="+cast.Tutors[hookstest.Tutor])
	require.True(t, has(staff, b.Id))
	require.Len(t, staff["available"].([]any), 1)
	require.True(t, has(agenda(hookstest.Superuser, ""), b.Id), "staff see every lesson")

	tz := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/users/records/"+cast.Users[hookstest.Student], cast.Tokens[hookstest.Student], map[string]any{"timezone": "America/New_York"})
	require.Equal(t, 200, tz.Status, string(tz.Body))
	res := hookstest.Call(t, srv, http.MethodGet, q, cast.Tokens[hookstest.Student], nil)
	require.Equal(t, "America/New_York", res.JSON()["timezone"], "the viewer's zone")

	for name, path := range map[string]string{
		"reversed": "/api/agenda?from=" + url.QueryEscape(to.Format(time.RFC3339)) + "&to=" + url.QueryEscape(from.Format(time.RFC3339)),
		"too long": "/api/agenda?from=" + url.QueryEscape(from.Format(time.RFC3339)) + "&to=" + url.QueryEscape(from.Add(60*24*time.Hour).Format(time.RFC3339)),
		"missing":  "/api/agenda",
	} {
		res := hookstest.Call(t, srv, http.MethodGet, path, cast.Tokens[hookstest.Tutor], nil)
		require.Equal(t, 400, res.Status, name)
	}
	require.Equal(t, 401, hookstest.Call(t, srv, http.MethodGet, q, "", nil).Status)
}

// A report's materials are the tutor's own, and saving the report shares
// them with the student.
func TestReportMaterialsShared(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	col, err := app.FindCachedCollectionByNameOrId("materials")
	require.NoError(t, err)
	material := func(owner string) string {
		f, err := filesystem.NewFileFromBytes([]byte("1 + 1"), "sheet.txt")
		require.NoError(t, err)
		m := core.NewRecord(col)
		m.Load(map[string]any{"owner": cast.Users[owner], "title": "Sheet", "file": f, "version": 1})
		require.NoError(t, app.Save(m))
		return m.Id
	}
	mine, theirs := material(hookstest.Tutor), material(hookstest.Tutor2)

	res := hookstest.Call(t, srv, http.MethodPost, reportsURL, cast.Tokens[hookstest.Tutor], map[string]any{
		"booking": cast.IDs["unreviewed_booking"], "homework": "Do the sheet", "materials": []string{mine, theirs}})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"materials":{"code":"not_your_material"`)

	res = hookstest.Call(t, srv, http.MethodPost, reportsURL, cast.Tokens[hookstest.Tutor], map[string]any{
		"booking": cast.IDs["unreviewed_booking"], "homework": "Do the sheet", "materials": []string{mine}})
	require.Equal(t, 200, res.Status, string(res.Body))
	m, err := app.FindRecordById("materials", mine)
	require.NoError(t, err)
	require.Contains(t, m.GetStringSlice("shared_with"), cast.Users[hookstest.Student], "shared with the student")
	res = hookstest.Call(t, srv, http.MethodGet, "/api/collections/materials/records/"+mine, cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status, "who now sees it")
}

// The agenda's availability leaves out time off, which it lists.
func TestAgendaTimeOff(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	// next week's Monday, 09:00-17:00 in Rome for the tutor; off 11:00-12:00
	monday := nextMondayInRome(t)
	col, err := app.FindCachedCollectionByNameOrId("time_off")
	require.NoError(t, err)
	off := core.NewRecord(col)
	off.Load(map[string]any{"tutor": cast.Tutors[hookstest.Tutor], "start": monday.Add(11 * time.Hour), "end": monday.Add(12 * time.Hour), "reason": "Dentist"})
	require.NoError(t, app.Save(off))

	q := "/api/agenda?from=" + url.QueryEscape(monday.Format(time.RFC3339)) + "&to=" + url.QueryEscape(monday.AddDate(0, 0, 1).Format(time.RFC3339))
	res := hookstest.Call(t, srv, http.MethodGet, q, cast.Tokens[hookstest.Tutor], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	a := res.JSON()
	require.Len(t, a["time_off"].([]any), 1)
	require.Equal(t, "Dentist", a["time_off"].([]any)[0].(map[string]any)["reason"])
	avail := a["available"].([]any)
	require.Len(t, avail, 2, "the window, less the hour off")
	require.Equal(t, monday.Add(9*time.Hour).UTC().Format(time.RFC3339), avail[0].(map[string]any)["start"])
	require.Equal(t, monday.Add(11*time.Hour).UTC().Format(time.RFC3339), avail[0].(map[string]any)["end"])
	require.Equal(t, monday.Add(17*time.Hour).UTC().Format(time.RFC3339), avail[1].(map[string]any)["end"])

	res = hookstest.Call(t, srv, http.MethodGet, q, cast.Tokens[hookstest.Student], nil)
	require.Empty(t, res.JSON()["time_off"], "a student sees no tutor's time off")
}

// TestAgendaBusyTimes: the busy times read from a tutor's own calendars
// are in their agenda (instants only) and take their hours out of the
// availability, as time off does; a student sees none.
func TestAgendaBusyTimes(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	monday := nextMondayInRome(t)
	feeds, err := app.FindCachedCollectionByNameOrId("calendar_feeds")
	require.NoError(t, err)
	feed := core.NewRecord(feeds)
	feed.Load(map[string]any{"tutor": cast.Tutors[hookstest.Tutor], "url": "https://calendar.example.com/private.ics", "name": "Personal"})
	require.NoError(t, app.Save(feed))
	col, err := app.FindCachedCollectionByNameOrId("busy_times")
	require.NoError(t, err)
	busy := core.NewRecord(col)
	busy.Load(map[string]any{"feed": feed.Id, "tutor": cast.Tutors[hookstest.Tutor], "tutor_user": cast.Users[hookstest.Tutor],
		"start": monday.Add(13 * time.Hour), "end": monday.Add(14 * time.Hour)})
	require.NoError(t, app.Save(busy))

	q := "/api/agenda?from=" + url.QueryEscape(monday.Format(time.RFC3339)) + "&to=" + url.QueryEscape(monday.AddDate(0, 0, 1).Format(time.RFC3339))
	res := hookstest.Call(t, srv, http.MethodGet, q, cast.Tokens[hookstest.Tutor], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	a := res.JSON()
	require.Len(t, a["busy"].([]any), 1)
	b := a["busy"].([]any)[0].(map[string]any)
	require.Len(t, b, 2, "instants only")
	require.Equal(t, monday.Add(13*time.Hour).UTC().Format(time.RFC3339), b["start"])
	avail := a["available"].([]any)
	require.Len(t, avail, 2, "the window, less the busy hour")
	require.Equal(t, monday.Add(13*time.Hour).UTC().Format(time.RFC3339), avail[0].(map[string]any)["end"])

	res = hookstest.Call(t, srv, http.MethodGet, q, cast.Tokens[hookstest.Student], nil)
	require.Empty(t, res.JSON()["busy"], "a student sees no tutor's busy times")
}

// nextMondayInRome is the midnight that starts next week's Monday in
// Rome (the tutor's zone), after the cast's clock.
func nextMondayInRome(t *testing.T) time.Time {
	t.Helper()
	rome, err := time.LoadLocation("Europe/Rome")
	require.NoError(t, err)
	now := cast.Now().In(rome)
	monday := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, rome)
	return monday.AddDate(0, 0, 7-(int(monday.Weekday())+6)%7)
}
