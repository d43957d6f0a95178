package cmd_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"tutorbase/cmd"
	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

var seeded = []string{"users", "tutors", "students", "subjects", "availability", "packages", "bookings", "school", "_superusers", "purchases", "credit_ledger", "reviews", "payments", "invoices"}

// snapshot hashes every row of the seeded tables.
func snapshot(t *testing.T, app core.App) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range seeded {
		var rows []dbx.NullStringMap
		require.NoError(t, app.DB().NewQuery(fmt.Sprintf("SELECT * FROM %q ORDER BY id", table)).All(&rows))
		b, err := json.Marshal(rows)
		require.NoError(t, err)
		out[table] = fmt.Sprintf("%d rows %x", len(rows), sha256.Sum256(b))
	}
	return out
}

func TestSeedDemoIsIdempotent(t *testing.T) {
	app := hookstest.NewApp(t)
	defer app.Cleanup()
	now := time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC)

	require.NoError(t, cmd.SeedDemo(hookstest.ServicesOf(app), app, now))
	first := snapshot(t, app)
	require.NoError(t, cmd.SeedDemo(hookstest.ServicesOf(app), app, now.Add(36*time.Hour)), "a later second run")
	require.Equal(t, first, snapshot(t, app), "the second run changes nothing")

	count := func(collection string, where dbx.Expression) int64 {
		n, err := app.CountRecords(collection, where)
		require.NoError(t, err)
		return n
	}
	require.GreaterOrEqual(t, count("subjects", nil), int64(3))
	require.EqualValues(t, 4, count("tutors", dbx.HashExp{"verified": true, "status": "active"}))
	require.EqualValues(t, 6, count("users", dbx.HashExp{"role": "student"}))
	require.Greater(t, count("packages", dbx.HashExp{"status": "published"}), int64(3))
	require.Greater(t, count("bookings", dbx.NewExp("start < {:now}", dbx.Params{"now": "2027-03-10 12:00:00.000Z"})), int64(0), "past lessons")
	require.Greater(t, count("bookings", dbx.NewExp("start > {:now}", dbx.Params{"now": "2027-03-10 12:00:00.000Z"})), int64(0), "future lessons")
	// the notes are the students' own words: no seeding key shows on screen
	require.EqualValues(t, 0, count("bookings", dbx.NewExp("notes LIKE '%demo%' OR notes LIKE '%:%'")), "internal markers in lesson notes")
	require.Greater(t, count("reviews", nil), int64(0), "last week's lessons are reviewed")
	var zones int
	require.NoError(t, app.DB().NewQuery("SELECT count(DISTINCT timezone) FROM availability").Row(&zones))
	require.GreaterOrEqual(t, zones, 2, "tutors in at least two zones")

	// every demo account signs in with the printed password
	u, err := app.FindAuthRecordByEmail("users", "luca@demo.tutorbase.localhost")
	require.NoError(t, err)
	require.True(t, u.ValidatePassword(cmd.DemoPassword))
	su, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, cmd.DemoSuperuserEmail)
	require.NoError(t, err)
	require.True(t, su.ValidatePassword(cmd.DemoSuperuserPassword))
}
