package hooks_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/assist"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// suggestWorld is a clone with a fixed history relative to the cast's
// clock. Sara had three lessons with Tom on tomorrow's weekday at 10:00
// (Rome), 6, 13 and 20 days ago, and three with Bea on the weekday of five
// days ago at 15:00; Tom is free for the next six such weekdays, Bea has
// time off on one; Pia had one lesson with Tom 13 days ago.
type suggestWorld struct {
	app                 *tests.TestApp
	srv                 *httptest.Server
	tom, subject        string // Tom's tutors id, the subject of his lessons with Sara
	sara                *core.Record
	saraToken, tomToken string
}

type suggestAnswer struct {
	Series []assist.SeriesJSON `json:"series"`
	Gaps   []assist.GapJSON    `json:"gaps"`
}

func newSuggestWorld(t *testing.T) *suggestWorld {
	t.Helper()
	app := cast.Clone(t)
	t.Cleanup(app.Cleanup)
	hookstest.NoRateLimits(app)
	save := func(collection string, data map[string]any) string {
		col, err := app.FindCachedCollectionByNameOrId(collection)
		require.NoError(t, err)
		r := core.NewRecord(col)
		r.Load(data)
		require.NoError(t, app.SaveWithContext(importedCtx(), r), "%s %v", collection, data)
		return r.Id
	}
	tutor := func(email, name string) string {
		u, err := hookstest.CreateUser(app, email, name, platform.RoleTutor)
		require.NoError(t, err)
		r, err := app.FindFirstRecordByData("tutors", "user", u.Id)
		require.NoError(t, err)
		r.Set("verified", true)
		require.NoError(t, app.Save(r))
		for wd := 1; wd <= 7; wd++ {
			save("availability", map[string]any{"tutor": r.Id, "weekday": wd, "start": "08:00", "end": "20:00", "timezone": "Europe/Rome"})
		}
		return r.Id
	}
	w := &suggestWorld{app: app, subject: cast.IDs["subject"]}
	var bea string
	w.tom, bea = tutor("tom@suggest.localhost", "Tom Teach"), tutor("bea@suggest.localhost", "Bea Busy")
	var err error
	w.sara, err = hookstest.CreateUser(app, "sara@suggest.localhost", "Sara Steady", platform.RoleStudent)
	require.NoError(t, err)
	w.sara.Set("locale", "en")
	require.NoError(t, app.Save(w.sara))
	w.saraToken, err = w.sara.NewAuthToken()
	require.NoError(t, err)
	for _, d := range []int{-6, -13, -20} {
		save("bookings", map[string]any{"tutor": w.tom, "student": w.sara.Id, "subject": w.subject, "start": romeTime(d, 10, 0), "end": romeTime(d, 11, 0), "status": "completed"})
	}
	save("bookings", map[string]any{"tutor": w.tom, "student": w.sara.Id, "start": romeTime(-27, 10, 0), "end": romeTime(-27, 11, 0), "status": "cancelled"})
	for _, d := range []int{-5, -12, -19} {
		save("bookings", map[string]any{"tutor": bea, "student": w.sara.Id, "start": romeTime(d, 15, 0), "end": romeTime(d, 16, 0), "status": "completed"})
	}
	pia, err := hookstest.CreateUser(app, "pia@suggest.localhost", "Pia Past", platform.RoleStudent)
	require.NoError(t, err)
	save("bookings", map[string]any{"tutor": w.tom, "student": pia.Id, "start": romeTime(-13, 10, 0), "end": romeTime(-13, 11, 0), "status": "completed"})
	save("bookings", map[string]any{"tutor": bea, "student": pia.Id, "start": romeTime(-1, 12, 0), "end": romeTime(-1, 13, 0), "status": "cancelled"})
	save("time_off", map[string]any{"tutor": bea, "start": romeTime(16, 0, 0), "end": romeTime(17, 0, 0), "reason": "Away"})
	tomUser, err := app.FindAuthRecordByEmail("users", "tom@suggest.localhost")
	require.NoError(t, err)
	tomUser.Set("locale", "en")
	require.NoError(t, app.Save(tomUser))
	w.tomToken, err = tomUser.NewAuthToken()
	require.NoError(t, err)
	w.srv = hookstest.Serve(t, app)
	return w
}

// ask is GET /api/suggestions as token.
func (w *suggestWorld) ask(t *testing.T, token string) suggestAnswer {
	t.Helper()
	res := hookstest.Call(t, w.srv, http.MethodGet, "/api/suggestions", token, nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	var out suggestAnswer
	require.NoError(t, json.Unmarshal(res.Body, &out))
	return out
}

// TestStudentSeriesSuggestions (and the tutor's gaps), in suggestWorld:
// only Tom's habit is suggested to Sara, with its six starts, and booking
// them all through the series route takes them.
func TestStudentSeriesSuggestions(t *testing.T) {
	t.Parallel()
	w := newSuggestWorld(t)
	get := func(token string) []assist.SeriesJSON { return w.ask(t, token).Series }
	got := get(w.saraToken)
	require.Len(t, got, 1, "Bea's habit is not free every week")
	weekday := romeTime(1, 10, 0).In(rome).Weekday().String()
	want := assist.SeriesJSON{
		Text: "Your usual " + weekday + " 10:00 with Tom Teach is free for the next 6 weeks.", Tutor: w.tom, TutorName: "Tom Teach",
		Subject: w.subject, Start: utc3339(romeTime(1, 10, 0)), End: utc3339(romeTime(1, 11, 0)), Weeks: 6, Timezone: "Europe/Rome", Lessons: 3,
	}
	for i := 0; i < 6; i++ {
		want.Starts = append(want.Starts, utc3339(romeTime(1+7*i, 10, 0)))
	}
	require.Equal(t, want, got[0])
	require.Empty(t, get(cast.Tokens[hookstest.Student2]), "another student's history is theirs")
	require.Empty(t, get(cast.Tokens[hookstest.Tutor]))

	// Tom's gaps: his free hours of the next week when his past students
	// (Sara and Pia) have lessons, with him or with Bea; a cancelled
	// lesson is no liking
	day := func(d int) string { return romeTime(d, 0, 0).In(rome).Weekday().String() }
	require.Equal(t, []assist.GapJSON{
		{Text: day(1) + " 10:00 is free: 2 of your students have lessons then.", Start: utc3339(romeTime(1, 10, 0)), End: utc3339(romeTime(1, 11, 0)), Students: 2},
		{Text: day(2) + " 15:00 is free: 1 of your students has lessons then.", Start: utc3339(romeTime(2, 15, 0)), End: utc3339(romeTime(2, 16, 0)), Students: 1},
	}, w.ask(t, w.tomToken).Gaps)
	require.Empty(t, w.ask(t, w.saraToken).Gaps, "students get series, not gaps")

	// "book them all": the suggestion is the series route's body
	res := hookstest.Call(t, w.srv, http.MethodPost, "/api/series", w.saraToken, map[string]any{
		"tutor": got[0].Tutor, "start": got[0].Start, "end": got[0].End, "weeks": got[0].Weeks, "subject": got[0].Subject})
	require.Equal(t, 200, res.Status, string(res.Body))
	n, err := w.app.CountRecords("bookings", dbx.HashExp{"student": w.sara.Id, "series": seriesID(t, res.Body)})
	require.NoError(t, err)
	require.EqualValues(t, 6, n)
	require.Empty(t, get(w.saraToken), "booked: nothing left to suggest")
}

// TestSuggestionsFollowTheTutor, in suggestWorld: a tutor who teaches 45
// minutes is offered gaps of 45 minutes; a tutor without past students,
// none; a suspended tutor's habit is not suggested until they are back.
func TestSuggestionsFollowTheTutor(t *testing.T) {
	t.Parallel()
	w := newSuggestWorld(t)
	setTutor := func(data map[string]any) {
		r, err := w.app.FindRecordById("tutors", w.tom)
		require.NoError(t, err)
		r.Load(data)
		require.NoError(t, w.app.Save(r))
	}
	setTutor(map[string]any{"lesson_minutes": []int{45}})
	gaps := w.ask(t, w.tomToken).Gaps
	require.Len(t, gaps, 2)
	for _, g := range gaps {
		start, err := time.Parse(time.RFC3339, g.Start)
		require.NoError(t, err)
		end, err := time.Parse(time.RFC3339, g.End)
		require.NoError(t, err)
		require.Equal(t, 45*time.Minute, end.Sub(start), g.Text)
	}
	newcomer, err := hookstest.CreateUser(w.app, "nico@suggest.localhost", "Nico New", platform.RoleTutor)
	require.NoError(t, err)
	newcomerToken, err := newcomer.NewAuthToken()
	require.NoError(t, err)
	require.Empty(t, w.ask(t, newcomerToken).Gaps)

	setTutor(map[string]any{"lesson_minutes": nil, "status": "suspended"})
	require.Empty(t, w.ask(t, w.saraToken).Series, "Tom is away: his habit waits")
	setTutor(map[string]any{"status": "active"})
	require.Len(t, w.ask(t, w.saraToken).Series, 1)
}

// seriesID reads the series id of a POST /api/series answer.
func seriesID(t *testing.T, body []byte) string {
	t.Helper()
	var out struct {
		Series struct {
			ID string `json:"id"`
		} `json:"series"`
	}
	require.NoError(t, json.Unmarshal(body, &out))
	require.NotEmpty(t, out.Series.ID, string(body))
	return out.Series.ID
}
