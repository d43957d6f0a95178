package jobs_test

import (
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/jobs"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// A student's guardians get the lesson reminders too, naming the student,
// unless they muted that student's notices; a guardian of another student
// gets nothing.
func TestGuardianReminders(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	links, err := app.FindCachedCollectionByNameOrId("guardians")
	require.NoError(t, err)
	guardian := func(email, student string, muted bool) string {
		u, err := hookstest.CreateUser(app, email, "Guardian "+email, "guardian")
		require.NoError(t, err)
		l := core.NewRecord(links)
		l.Load(map[string]any{"student": cast.Users[student], "guardian": u.Id, "status": "accepted", "muted": muted})
		require.NoError(t, app.Save(l))
		return u.Id
	}
	gina := guardian("gina@test.localhost", hookstest.Student, false)
	quiet := guardian("quiet@test.localhost", hookstest.Student, true)
	other := guardian("olga@test.localhost", hookstest.Student2, false)

	now := time.Now().UTC().Truncate(time.Minute)
	start := now.Add(36 * time.Hour)
	b := bookFor(t, app, hookstest.Tutor, hookstest.Student, start, "confirmed")
	require.NoError(t, jobs.SendReminders(hookstest.ServicesOf(app), app, start.Add(-24*time.Hour)))
	require.EqualValues(t, 3, reminders(t, app, b.Id), "student, tutor and the guardian")
	got := func(user string) []*core.Record {
		rs, err := app.FindAllRecords("notifications", dbx.HashExp{"user": user, "kind": "reminder"})
		require.NoError(t, err)
		return rs
	}
	require.Len(t, got(gina), 1)
	require.Contains(t, got(gina)[0].GetString("body"), "Stella Student", "the guardian reads whose lesson it is")
	require.Empty(t, got(quiet), "muted")
	require.Empty(t, got(other), "another family")
}
