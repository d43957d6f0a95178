package migrations_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// Migration 1795934000 fills the readers of the threads that exist: their
// participants and their student's accepted guardians (not an open
// invitation).
func TestThreadReadersFilled(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	require.NoError(t, err)
	defer app.Cleanup()
	runner := core.NewMigrationsRunner(app, core.AppMigrations)
	later := 0
	for _, m := range core.AppMigrations.Items() {
		if strings.Compare(m.File, "1795934000") >= 0 {
			later++
		}
	}
	_, err = runner.Down(later)
	require.NoError(t, err)

	person := func(email, role string) string {
		users, err := app.FindCollectionByNameOrId("users")
		require.NoError(t, err)
		u := core.NewRecord(users)
		u.Load(map[string]any{"email": email, "name": role, "role": role, "locale": "en", "timezone": "Europe/Rome"})
		u.SetPassword("a-long-password-for-tests")
		require.NoError(t, app.Save(u))
		return u.Id
	}
	save := func(collection string, data map[string]any) string {
		c, err := app.FindCollectionByNameOrId(collection)
		require.NoError(t, err)
		r := core.NewRecord(c)
		r.Load(data)
		require.NoError(t, app.Save(r))
		return r.Id
	}
	student, tutor, guardian := person("s@test.localhost", "student"), person("t@test.localhost", "tutor"), person("g@test.localhost", "guardian")
	save("guardians", map[string]any{"student": student, "guardian": guardian, "status": "accepted"})
	save("guardians", map[string]any{"student": student, "email": "later@test.localhost", "status": "invited", "token_hash": "x"})
	thread := save("threads", map[string]any{"kind": "direct", "participants": []string{tutor, student}, "student": student, "status": "open"})
	lone := save("threads", map[string]any{"kind": "direct", "participants": []string{tutor, guardian}, "status": "open"})

	_, err = runner.Up()
	require.NoError(t, err)
	got, err := app.FindRecordById("threads", thread)
	require.NoError(t, err)
	require.Equal(t, []string{tutor, student, guardian}, got.GetStringSlice("readers"))
	got, err = app.FindRecordById("threads", lone)
	require.NoError(t, err)
	require.Equal(t, []string{tutor, guardian}, got.GetStringSlice("readers"))
}
