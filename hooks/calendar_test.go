package hooks_test

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/calendar"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// feedEvent is one VEVENT of a feed: property name -> value as written
// (parameters dropped, TEXT still escaped).
type feedEvent map[string]string

// readFeed checks the feed's content lines (CRLF, at most 75 octets) and
// returns its events by UID.
func readFeed(t testing.TB, body []byte) map[string]feedEvent {
	t.Helper()
	s := string(body)
	require.True(t, strings.HasPrefix(s, "BEGIN:VCALENDAR\r\n"), "the feed starts a VCALENDAR:\n%s", s)
	require.True(t, strings.HasSuffix(s, "END:VCALENDAR\r\n"), "the feed ends its VCALENDAR")
	for _, l := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		require.NotContains(t, l, "\n", "a bare LF in the feed")
		require.LessOrEqual(t, len(l), 75, "line too long: %q", l)
	}
	unfolded := strings.ReplaceAll(s, "\r\n ", "")
	events := map[string]feedEvent{}
	var cur feedEvent
	for _, l := range strings.Split(unfolded, "\r\n") {
		switch {
		case l == "BEGIN:VEVENT":
			cur = feedEvent{}
		case l == "END:VEVENT":
			require.NotEmpty(t, cur["UID"], "every event has a UID")
			require.NotEmpty(t, cur["DTSTAMP"], "every event has a DTSTAMP")
			require.NotEmpty(t, cur["DTSTART"], "every event has a DTSTART")
			events[cur["UID"]] = cur
			cur = nil
		case cur != nil:
			name, value, ok := strings.Cut(l, ":")
			require.True(t, ok, "content line without a value: %q", l)
			name, _, _ = strings.Cut(name, ";")
			cur[name] = value
		}
	}
	return events
}

var unescapeText = strings.NewReplacer(`\\`, `\`, `\n`, "\n", `\N`, "\n", `\,`, ",", `\;`, ";")

// calendarToken reads a cast member's calendar token; the cast's clones all
// share it.
func calendarToken(t testing.TB, app core.App, role string) string {
	t.Helper()
	u, err := app.FindRecordById("users", cast.Users[role])
	require.NoError(t, err)
	token := u.GetString("calendar_token")
	require.Len(t, token, 32)
	return token
}

func castCalendarToken(t testing.TB, role string) string {
	t.Helper()
	app := cast.Clone(t)
	defer app.Cleanup()
	return calendarToken(t, app, role)
}

func feedPath(token string) string { return "/api/calendar/" + token + ".ics" }

func icsTime(t testing.TB, app core.App, bookingId, field string) string {
	t.Helper()
	b, err := app.FindRecordById("bookings", bookingId)
	require.NoError(t, err)
	return b.GetDateTime(field).Time().UTC().Format("20060102T150405Z")
}

// saveLesson stores a booking the way an import would (past times allowed).
func saveLesson(t testing.TB, app core.App, tutorRole, studentRole string, start time.Time, status string) *core.Record {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId("bookings")
	require.NoError(t, err)
	b := core.NewRecord(col)
	b.Load(map[string]any{
		"tutor": cast.Tutors[tutorRole], "student": cast.Users[studentRole], "start": start, "end": start.Add(time.Hour),
		"status": status, "price": 4000, "currency": "EUR",
	})
	require.NoError(t, app.SaveWithContext(platform.Imported(context.Background()), b))
	return b
}

// lessonsOf lists the ids of a user's lessons in the feed's window, as the
// records API's filter finds them.
func lessonsOf(t testing.TB, app core.App, role string) []string {
	t.Helper()
	from := types.NowDateTime().Add(-calendar.CalendarWindow)
	rs, err := app.FindRecordsByFilter("bookings", "(student = {:u} || tutor_user = {:u}) && start >= {:from}", "start", 0, 0,
		dbx.Params{"u": cast.Users[role], "from": from.String()})
	require.NoError(t, err)
	ids := make([]string, 0, len(rs))
	for _, r := range rs {
		ids = append(ids, r.Id)
	}
	return ids
}

func uids(events map[string]feedEvent) []string {
	out := make([]string, 0, len(events))
	for uid := range events {
		out = append(out, strings.TrimSuffix(uid, "@tutorbase"))
	}
	return out
}

func TestCalendarFeed(t *testing.T) {
	t.Parallel()
	studentToken := castCalendarToken(t, hookstest.Student)
	tutorToken := castCalendarToken(t, hookstest.Tutor)
	otherToken := castCalendarToken(t, hookstest.Student2)
	fixtureLessons := []string{cast.IDs["booking"], cast.IDs["completed_booking"], cast.IDs["unreviewed_booking"]}
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 11)
	now := time.Now().UTC().Truncate(time.Hour)

	// extra lessons, named in the ids map: another student's with the same
	// tutor, and the student's own just outside and just inside the window
	var extra map[string]string
	addLessons := func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
		extra = map[string]string{
			"other":      saveLesson(t, app, hookstest.Tutor, hookstest.Student2, day.Add(9*time.Hour), platform.StatusPending).Id,
			"too_old":    saveLesson(t, app, hookstest.Tutor2, hookstest.Student, now.Add(-calendar.CalendarWindow-time.Hour), platform.StatusCompleted).Id,
			"in_window":  saveLesson(t, app, hookstest.Tutor2, hookstest.Student, now.Add(-calendar.CalendarWindow+time.Hour), platform.StatusCompleted).Id,
			"no_show":    saveLesson(t, app, hookstest.Tutor2, hookstest.Student, now.AddDate(0, 0, -20), platform.StatusNoShow).Id,
			"subject_of": saveLesson(t, app, hookstest.Tutor2, hookstest.Student, day.Add(14*time.Hour), platform.StatusPending).Id,
		}
		b, err := app.FindRecordById("bookings", extra["subject_of"])
		require.NoError(t, err)
		b.Set("subject", cast.IDs["subject"])
		require.NoError(t, app.Save(b))
		b, err = app.FindRecordById("bookings", cast.IDs["booking"])
		require.NoError(t, err)
		b.Set("notes", "Bring the exercises, please;\nchapter 3 \\ 4")
		require.NoError(t, app.Save(b))
	}

	scenarios := []tests.ApiScenario{
		{
			Name:               "the student's feed lists every lesson of theirs and nothing of others",
			Method:             http.MethodGet,
			URL:                feedPath(studentToken),
			ExpectedStatus:     200,
			ExpectedContent:    []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + calendar.CalendarProdID, "METHOD:PUBLISH", "CALSCALE:GREGORIAN"},
			NotExpectedContent: []string{"@test.localhost", "Otto Other", studentToken, "EUR"},
			TestAppFactory:     cast.Factory,
			BeforeTestFunc:     addLessons,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				require.Equal(t, "text/calendar; charset=utf-8", res.Header.Get("Content-Type"))
				require.Equal(t, "private, max-age=300", res.Header.Get("Cache-Control"))
				body, err := io.ReadAll(res.Body)
				require.NoError(t, err)
				events := readFeed(t, body)
				require.ElementsMatch(t, lessonsOf(t, app, hookstest.Student), uids(events), "exactly the student's lessons in the window")
				for _, id := range append([]string{extra["in_window"], extra["no_show"], extra["subject_of"]}, fixtureLessons...) {
					ev, ok := events[id+"@tutorbase"]
					require.True(t, ok, "lesson %s is in the feed", id)
					assert.Equal(t, icsTime(t, app, id, "start"), ev["DTSTART"], "DTSTART in UTC")
					assert.Equal(t, icsTime(t, app, id, "end"), ev["DTEND"], "DTEND in UTC")
					assert.True(t, strings.HasSuffix(ev["DTSTART"], "Z"))
					b, err := app.FindRecordById("bookings", id)
					require.NoError(t, err)
					updated := b.GetDateTime("updated").Time()
					assert.Equal(t, strconv.Itoa(int(updated.Sub(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))/time.Second)), ev["SEQUENCE"])
					assert.Equal(t, updated.UTC().Format("20060102T150405Z"), ev["LAST-MODIFIED"])
				}

				confirmed := events[cast.IDs["booking"]+"@tutorbase"]
				b, err := app.FindRecordById("bookings", cast.IDs["booking"])
				require.NoError(t, err)
				meeting := b.GetString("meeting_url")
				require.NotEmpty(t, meeting)
				assert.Equal(t, "Lesson with Tina Tutor", confirmed["SUMMARY"])
				assert.Equal(t, "CONFIRMED", confirmed["STATUS"])
				assert.Equal(t, meeting, confirmed["URL"])
				assert.Equal(t, meeting, confirmed["LOCATION"])
				assert.Equal(t, "Join: "+meeting+"\nNotes: Bring the exercises, please;\nchapter 3 \\ 4\nLesson page: http://127.0.0.1:8090/lessons/"+b.Id,
					unescapeText.Replace(confirmed["DESCRIPTION"]))

				completed := events[cast.IDs["completed_booking"]+"@tutorbase"]
				assert.Equal(t, "CONFIRMED", completed["STATUS"])
				assert.Empty(t, completed["URL"], "no meeting link once the lesson is over")

				assert.Equal(t, "Lesson: Mathematics with Theo Tutor", events[extra["subject_of"]+"@tutorbase"]["SUMMARY"])
				assert.Equal(t, "TENTATIVE", events[extra["subject_of"]+"@tutorbase"]["STATUS"], "pending lessons are tentative")
				assert.Equal(t, "Lesson with Theo Tutor (no-show)", events[extra["no_show"]+"@tutorbase"]["SUMMARY"])
				assert.Equal(t, "CONFIRMED", events[extra["no_show"]+"@tutorbase"]["STATUS"])
				assert.NotContains(t, events, extra["other"]+"@tutorbase", "another student's lesson")
				assert.NotContains(t, events, extra["too_old"]+"@tutorbase", "a lesson before the window")
			},
		},
		{
			Name:               "the tutor's feed lists the same lessons, named after the student",
			Method:             http.MethodGet,
			URL:                feedPath(tutorToken),
			ExpectedStatus:     200,
			ExpectedContent:    []string{"BEGIN:VCALENDAR"},
			NotExpectedContent: []string{"@test.localhost", "Theo Tutor"},
			TestAppFactory:     cast.Factory,
			BeforeTestFunc:     addLessons,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				body, err := io.ReadAll(res.Body)
				require.NoError(t, err)
				events := readFeed(t, body)
				require.ElementsMatch(t, lessonsOf(t, app, hookstest.Tutor), uids(events), "exactly the tutor's lessons in the window")
				for _, id := range fixtureLessons {
					ev, ok := events[id+"@tutorbase"]
					require.True(t, ok, "lesson %s is in the tutor's feed", id)
					assert.Equal(t, icsTime(t, app, id, "start"), ev["DTSTART"])
					assert.Equal(t, "Lesson with Stella Student", ev["SUMMARY"])
				}
				other := events[extra["other"]+"@tutorbase"]
				assert.Equal(t, "Lesson with Otto Other", other["SUMMARY"])
				assert.Equal(t, "TENTATIVE", other["STATUS"])
			},
		},
		{
			Name:               "a user without lessons gets a valid empty feed",
			Method:             http.MethodGet,
			URL:                feedPath(otherToken),
			ExpectedStatus:     200,
			ExpectedContent:    []string{"BEGIN:VCALENDAR", "BEGIN:VTIMEZONE", "END:VCALENDAR"},
			NotExpectedContent: []string{"BEGIN:VEVENT"},
			TestAppFactory:     cast.Factory,
		},
	}
	for _, path := range []struct{ name, url string }{
		{"an unknown token", feedPath(strings.Repeat("A", 32))},
		{"a token without .ics", "/api/calendar/" + studentToken},
		{"another suffix", "/api/calendar/" + studentToken + ".ical"},
		{"an upper-case suffix", "/api/calendar/" + studentToken + ".ICS"},
		{"a token with extra characters", feedPath(studentToken + "x")},
		{"a truncated token", feedPath(studentToken[:31])},
		{"an empty token", "/api/calendar/.ics"},
		{"a token in another case", feedPath(strings.ToUpper(studentToken[:16]) + strings.ToLower(studentToken[16:]))},
		{"a path beyond the file", feedPath(studentToken) + "/x"},
	} {
		scenarios = append(scenarios, tests.ApiScenario{
			Name:               path.name + " is a 404",
			Method:             http.MethodGet,
			URL:                path.url,
			ExpectedStatus:     404,
			ExpectedContent:    []string{`"status":404`},
			NotExpectedContent: []string{"VCALENDAR"},
			TestAppFactory:     cast.Factory,
		})
	}
	for _, s := range scenarios {
		s.Test(t)
	}
}

func TestCalendarCancelledLesson(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	feed := feedPath(calendarToken(t, app, hookstest.Student))
	uid := cast.IDs["booking"] + "@tutorbase"

	before := readFeed(t, hookstest.Call(t, srv, http.MethodGet, feed, "", nil).Body)[uid]
	require.Equal(t, "CONFIRMED", before["STATUS"])

	time.Sleep(1100 * time.Millisecond) // SEQUENCE counts seconds
	res := hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+cast.IDs["booking"]+"/cancel", cast.Tokens[hookstest.Student],
		map[string]any{"reason": "private reason, not for calendars"})
	require.Equal(t, 200, res.Status, string(res.Body))

	for _, token := range []string{calendarToken(t, app, hookstest.Student), calendarToken(t, app, hookstest.Tutor)} {
		res = hookstest.Call(t, srv, http.MethodGet, feedPath(token), "", nil)
		require.Equal(t, 200, res.Status)
		require.NotContains(t, string(res.Body), "private reason")
		after, ok := readFeed(t, res.Body)[uid]
		require.True(t, ok, "a cancelled lesson stays in the feed")
		require.Equal(t, "CANCELLED", after["STATUS"])
		require.Equal(t, "TRANSPARENT", after["TRANSP"])
		require.True(t, strings.HasPrefix(after["SUMMARY"], "Cancelled: Lesson with "), after["SUMMARY"])
		require.Empty(t, after["URL"], "no meeting link for a cancelled lesson")
		require.NotContains(t, after["DESCRIPTION"], "meet.jit.si")
		require.Equal(t, before["DTSTART"], after["DTSTART"])
		seqBefore, _ := strconv.Atoi(before["SEQUENCE"])
		seqAfter, _ := strconv.Atoi(after["SEQUENCE"])
		require.Greater(t, seqAfter, seqBefore, "SEQUENCE grows so calendar apps take the change")
	}
}

func TestCalendarLink(t *testing.T) {
	t.Parallel()
	token := castCalendarToken(t, hookstest.Student)
	scenarios := []tests.ApiScenario{
		{
			Name:            "a visitor gets a 401",
			Method:          http.MethodGet,
			URL:             "/api/calendar",
			ExpectedStatus:  401,
			ExpectedContent: []string{`"status":401`},
			TestAppFactory:  cast.Factory,
		},
		{
			Name:            "a superuser has no feed",
			Method:          http.MethodGet,
			URL:             "/api/calendar",
			Headers:         cast.Auth(hookstest.Superuser),
			ExpectedStatus:  403,
			ExpectedContent: []string{`"status":403`},
			TestAppFactory:  cast.Factory,
		},
		{
			Name:           "a student gets their feed's URL",
			Method:         http.MethodGet,
			URL:            "/api/calendar",
			Headers:        cast.Auth(hookstest.Student),
			ExpectedStatus: 200,
			ExpectedContent: []string{
				`"url":"http://127.0.0.1:8090/api/calendar/` + token + `.ics"`,
				`"webcal":"webcal://127.0.0.1:8090/api/calendar/` + token + `.ics"`,
			},
			TestAppFactory: cast.Factory,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				require.Equal(t, "no-store", res.Header.Get("Cache-Control"))
			},
		},
		{
			Name:            "the URL follows the app URL",
			Method:          http.MethodGet,
			URL:             "/api/calendar",
			Headers:         cast.Auth(hookstest.Tutor),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"url":"https://school.example/api/calendar/`, `"webcal":"webcal://school.example/api/calendar/`},
			TestAppFactory:  cast.Factory,
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				app.Settings().Meta.AppURL = "https://school.example/"
			},
		},
		{
			Name:            "a user without a token gets one",
			Method:          http.MethodGet,
			URL:             "/api/calendar",
			Headers:         cast.Auth(hookstest.Student2),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"url":"http://127.0.0.1:8090/api/calendar/`},
			TestAppFactory:  cast.Factory,
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				u, err := app.FindRecordById("users", cast.Users[hookstest.Student2])
				require.NoError(t, err)
				u.Set("calendar_token", "")
				require.NoError(t, app.Save(u))
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				token := calendarToken(t, app, hookstest.Student2)
				body, err := io.ReadAll(res.Body)
				require.NoError(t, err)
				require.Contains(t, string(body), feedPath(token))
			},
		},
		{
			Name:            "rotating needs a signed-in user",
			Method:          http.MethodPost,
			URL:             "/api/calendar/rotate",
			ExpectedStatus:  401,
			ExpectedContent: []string{`"status":401`},
			TestAppFactory:  cast.Factory,
		},
	}
	for _, s := range scenarios {
		s.Test(t)
	}
}

func TestCalendarRotate(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	auth := cast.Tokens[hookstest.Student]
	oldToken := calendarToken(t, app, hookstest.Student)

	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, feedPath(oldToken), "", nil).Status)

	res := hookstest.Call(t, srv, http.MethodPost, "/api/calendar/rotate", auth, nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	newToken := calendarToken(t, app, hookstest.Student)
	require.NotEqual(t, oldToken, newToken)
	require.Equal(t, map[string]any{
		"url":    "http://127.0.0.1:8090" + feedPath(newToken),
		"webcal": "webcal://127.0.0.1:8090" + feedPath(newToken),
	}, res.JSON())

	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodGet, feedPath(oldToken), "", nil).Status, "the old URL is dead")
	res = hookstest.Call(t, srv, http.MethodGet, feedPath(newToken), "", nil)
	require.Equal(t, 200, res.Status)
	require.Contains(t, readFeed(t, res.Body), cast.IDs["booking"]+"@tutorbase")

	res = hookstest.Call(t, srv, http.MethodGet, "/api/calendar", auth, nil)
	require.Equal(t, 200, res.Status, "the sign-in token survives the rotation")
	require.Equal(t, "http://127.0.0.1:8090"+feedPath(newToken), res.JSON()["url"])

	entry, err := app.FindFirstRecordByFilter("audit_log", "action = 'calendar.rotate' && record = {:user}", dbx.Params{"user": cast.Users[hookstest.Student]})
	require.NoError(t, err, "the rotation is audited")
	require.Equal(t, cast.Users[hookstest.Student], entry.GetString("actor"))
	require.NotContains(t, entry.GetString("details"), newToken)

	other := calendarToken(t, app, hookstest.Tutor)
	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, feedPath(other), "", nil).Status, "other users' feeds are untouched")
}

// TestCalendarQueryPlan pins the feed's query to the bookings indexes: a
// plan that scans the table grows with every booking of the school.
func TestCalendarQueryPlan(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	q := calendar.CalendarQuery(app, cast.Users[hookstest.Student], time.Now().Add(-calendar.CalendarWindow))
	var rows []struct {
		Detail string `db:"detail"`
	}
	require.NoError(t, app.DB().NewQuery("EXPLAIN QUERY PLAN "+q.SQL()).Bind(q.Params()).All(&rows))
	var plan []string
	for _, r := range rows {
		plan = append(plan, r.Detail)
	}
	joined := strings.Join(plan, "\n")
	require.Contains(t, joined, "idx_bookings_student_start", joined)
	require.Contains(t, joined, "idx_bookings_tutor_user_start", joined)
	for _, line := range plan {
		require.False(t, strings.HasPrefix(line, "SCAN b") && !strings.Contains(line, "INDEX"), "a full scan of bookings: %s", joined)
	}

	var n int
	from := types.NowDateTime().Add(-calendar.CalendarWindow).String()
	require.NoError(t, app.DB().NewQuery(`SELECT count(*) FROM bookings WHERE (student = {:u} OR tutor_user = {:u}) AND start >= {:from}`).
		Bind(dbx.Params{"u": cast.Users[hookstest.Student], "from": from}).Row(&n))
	var lessons []struct {
		Id string `db:"id"`
	}
	require.NoError(t, q.All(&lessons))
	require.Len(t, lessons, n, "the query finds what the plain OR finds")
}
