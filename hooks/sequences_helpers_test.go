package hooks_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// The seeded sequences' ids (migrations/1795930000_create_sequences.go).
var seqIDs = map[string]string{
	"welcome": "seqwelcome00000", "first_lesson": "seqfirstlesson0", "win_back": "seqwinback00000",
	"package_low": "seqpackagelow00", "review_request": "seqreview000000", "report_nudge": "seqreportnudge0",
}

// seqWorld is a clone where the cast's people have unsubscribed from every
// sequence and nothing was sent yet, so a scenario's expectations are about its own people only.
func seqWorld(t *testing.T) (*tests.TestApp, *httptest.Server) {
	t.Helper()
	app := cast.Clone(t)
	t.Cleanup(app.Cleanup)
	_, err := app.DB().NewQuery(`INSERT INTO sequence_optouts (id, person, sequence, all_sequences, created, updated)
		SELECT substr(lower(hex(randomblob(8))), 1, 15), id, 'seqwelcome00000', TRUE, '', '' FROM users
		WHERE id NOT IN (SELECT person FROM sequence_optouts)`).Execute()
	require.NoError(t, err)
	_, err = app.DB().NewQuery(`UPDATE sequence_optouts SET all_sequences = TRUE`).Execute()
	require.NoError(t, err)
	_, err = app.DB().NewQuery(`DELETE FROM sequence_sends`).Execute() // the fixture's
	require.NoError(t, err)
	return app, hookstest.Serve(t, app)
}

// seqPerson adds a person of role who signed up at created, reading in
// locale.
func seqPerson(t *testing.T, app core.App, name, role, locale string, created time.Time) string {
	t.Helper()
	u, err := hookstest.CreateUser(app, name+"@seq.test.localhost", name, role)
	require.NoError(t, err)
	_, err = app.DB().NewQuery("UPDATE users SET created = {:c}, locale = {:l} WHERE id = {:id}").
		Bind(dbx.Params{"c": platform.DBTime(created), "l": locale, "id": u.Id}).Execute()
	require.NoError(t, err)
	return u.Id
}

// seqTutor is the tutors record of a tutor user.
func seqTutor(t *testing.T, app core.App, user string) string {
	t.Helper()
	r, err := app.FindFirstRecordByData("tutors", "user", user)
	require.NoError(t, err)
	return r.Id
}

// seqLesson stores an hour's lesson from start, as an import would.
func seqLesson(t *testing.T, app core.App, tutor, student string, start time.Time, status string) string {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId("bookings")
	require.NoError(t, err)
	b := core.NewRecord(col)
	b.Load(map[string]any{"tutor": tutor, "student": student, "start": start, "end": start.Add(time.Hour), "status": status})
	require.NoError(t, app.SaveWithContext(platform.Imported(context.Background()), b))
	return b.Id
}

// turnOn switches sequences on as staff, through the records API.
func turnOn(t *testing.T, srv *httptest.Server, triggers ...string) {
	t.Helper()
	for _, tr := range triggers {
		res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/sequences/records/"+seqIDs[tr], cast.Tokens[hookstest.Admin],
			map[string]any{"active": true})
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	}
}

// sentTo lists whom a sequence was sent to, sorted.
func sentTo(t *testing.T, app core.App, trigger string) []string {
	t.Helper()
	var ids []string
	require.NoError(t, app.DB().NewQuery("SELECT person FROM sequence_sends WHERE sequence = {:s} ORDER BY person").
		Bind(dbx.Params{"s": seqIDs[trigger]}).Column(&ids))
	return ids
}

func sorted(ids ...string) []string {
	out := append([]string{}, ids...)
	sort.Strings(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

// runSequences runs the sequences job at now.
func runSequences(t *testing.T, app core.App, now time.Time) {
	t.Helper()
	require.NoError(t, hookstest.ServicesOf(app).Sequences.Run(app, now))
}
