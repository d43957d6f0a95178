package hooks_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/assist"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// TestStudentSeriesSuggestions (and the tutor's gaps): a fixed history relative to the cast's
// clock. Sara had three lessons with Tom on tomorrow's weekday at 10:00
// (Rome), 6, 13 and 20 days ago, and three with Bea on the weekday of five
// days ago at 15:00; Tom is free for the next six such weekdays, Bea has
// time off on one. Only Tom's habit is suggested, with its six starts, and
// booking them all through the series route takes them.
func TestStudentSeriesSuggestions(t *testing.T) {
	t.Parallel()
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
	tom, bea := tutor("tom@suggest.localhost", "Tom Teach"), tutor("bea@suggest.localhost", "Bea Busy")
	sara, err := hookstest.CreateUser(app, "sara@suggest.localhost", "Sara Steady", platform.RoleStudent)
	require.NoError(t, err)
	sara.Set("locale", "en")
	require.NoError(t, app.Save(sara))
	token, err := sara.NewAuthToken()
	require.NoError(t, err)
	subject := cast.IDs["subject"]
	for _, d := range []int{-6, -13, -20} {
		save("bookings", map[string]any{"tutor": tom, "student": sara.Id, "subject": subject, "start": romeTime(d, 10, 0), "end": romeTime(d, 11, 0), "status": "completed"})
	}
	save("bookings", map[string]any{"tutor": tom, "student": sara.Id, "start": romeTime(-27, 10, 0), "end": romeTime(-27, 11, 0), "status": "cancelled"})
	for _, d := range []int{-5, -12, -19} {
		save("bookings", map[string]any{"tutor": bea, "student": sara.Id, "start": romeTime(d, 15, 0), "end": romeTime(d, 16, 0), "status": "completed"})
	}
	pia, err := hookstest.CreateUser(app, "pia@suggest.localhost", "Pia Past", platform.RoleStudent)
	require.NoError(t, err)
	save("bookings", map[string]any{"tutor": tom, "student": pia.Id, "start": romeTime(-13, 10, 0), "end": romeTime(-13, 11, 0), "status": "completed"})
	save("bookings", map[string]any{"tutor": bea, "student": pia.Id, "start": romeTime(-1, 12, 0), "end": romeTime(-1, 13, 0), "status": "cancelled"})
	save("time_off", map[string]any{"tutor": bea, "start": romeTime(16, 0, 0), "end": romeTime(17, 0, 0), "reason": "Away"})
	srv := hookstest.Serve(t, app)

	type answer struct {
		Series []assist.SeriesJSON `json:"series"`
		Gaps   []assist.GapJSON    `json:"gaps"`
	}
	ask := func(token string) answer {
		res := hookstest.Call(t, srv, http.MethodGet, "/api/suggestions", token, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		var out answer
		require.NoError(t, json.Unmarshal(res.Body, &out))
		return out
	}
	get := func(token string) []assist.SeriesJSON { return ask(token).Series }
	got := get(token)
	require.Len(t, got, 1, "Bea's habit is not free every week")
	weekday := romeTime(1, 10, 0).In(rome).Weekday().String()
	want := assist.SeriesJSON{
		Text: "Your usual " + weekday + " 10:00 with Tom Teach is free for the next 6 weeks.", Tutor: tom, TutorName: "Tom Teach",
		Subject: subject, Start: utc3339(romeTime(1, 10, 0)), End: utc3339(romeTime(1, 11, 0)), Weeks: 6, Timezone: "Europe/Rome", Lessons: 3,
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
	tomUser, err := app.FindAuthRecordByEmail("users", "tom@suggest.localhost")
	require.NoError(t, err)
	tomToken, err := tomUser.NewAuthToken()
	require.NoError(t, err)
	tomUser.Set("locale", "en")
	require.NoError(t, app.Save(tomUser))
	day := func(d int) string { return romeTime(d, 0, 0).In(rome).Weekday().String() }
	require.Equal(t, []assist.GapJSON{
		{Text: day(1) + " 10:00 is free: 2 of your students have lessons then.", Start: utc3339(romeTime(1, 10, 0)), End: utc3339(romeTime(1, 11, 0)), Students: 2},
		{Text: day(2) + " 15:00 is free: 1 of your students has lessons then.", Start: utc3339(romeTime(2, 15, 0)), End: utc3339(romeTime(2, 16, 0)), Students: 1},
	}, ask(tomToken).Gaps)
	require.Empty(t, ask(token).Gaps, "students get series, not gaps")

	// a tutor who teaches 45 minutes is offered gaps of 45 minutes; a
	// tutor without past students, none; a suspended tutor's habit is
	// not suggested
	setTutorData := func(id string, data map[string]any) {
		r, err := app.FindRecordById("tutors", id)
		require.NoError(t, err)
		r.Load(data)
		require.NoError(t, app.Save(r))
	}
	setTutorData(tom, map[string]any{"lesson_minutes": []int{45}})
	gaps := ask(tomToken).Gaps
	require.Len(t, gaps, 2)
	for _, g := range gaps {
		start, err := time.Parse(time.RFC3339, g.Start)
		require.NoError(t, err)
		end, err := time.Parse(time.RFC3339, g.End)
		require.NoError(t, err)
		require.Equal(t, 45*time.Minute, end.Sub(start), g.Text)
	}
	setTutorData(tom, map[string]any{"lesson_minutes": nil})
	newcomer, err := hookstest.CreateUser(app, "nico@suggest.localhost", "Nico New", platform.RoleTutor)
	require.NoError(t, err)
	newcomerToken, err := newcomer.NewAuthToken()
	require.NoError(t, err)
	require.Empty(t, ask(newcomerToken).Gaps)
	setTutorData(tom, map[string]any{"status": "suspended"})
	require.Empty(t, get(token), "Tom is away: his habit waits")
	setTutorData(tom, map[string]any{"status": "active"})
	require.Len(t, get(token), 1)

	// "book them all": the suggestion is the series route's body
	res := hookstest.Call(t, srv, http.MethodPost, "/api/series", token, map[string]any{
		"tutor": got[0].Tutor, "start": got[0].Start, "end": got[0].End, "weeks": got[0].Weeks, "subject": got[0].Subject})
	require.Equal(t, 200, res.Status, string(res.Body))
	n, err := app.CountRecords("bookings", dbx.HashExp{"student": sara.Id, "series": seriesID(t, res.Body)})
	require.NoError(t, err)
	require.EqualValues(t, 6, n)
	require.Empty(t, get(token), "booked: nothing left to suggest")
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
