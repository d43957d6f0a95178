package cmd_test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"tutorbase/cmd"
	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"
)

// runCLI runs the tutorbase command line with args on app, as main wires it.
func runCLI(t *testing.T, app *tests.TestApp, args ...string) (string, error) {
	t.Helper()
	pb := &pocketbase.PocketBase{App: app, RootCmd: &cobra.Command{Use: "tutorbase"}}
	cmd.Register(pb, hookstest.ServicesOf(app))
	var out bytes.Buffer
	pb.RootCmd.SetArgs(args)
	pb.RootCmd.SetOut(&out)
	pb.RootCmd.SetErr(io.Discard)
	err := pb.RootCmd.Execute()
	return out.String(), err
}

func TestPayoutsRunFlags(t *testing.T) {
	app := hookstest.NewApp(t)
	defer app.Cleanup()
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"missing dates", []string{"payouts", "run"}, `required flag(s) "from", "to" not set`},
		{"to before from", []string{"payouts", "run", "--from", "2026-03-08", "--to", "2026-03-01"}, "must end after it starts"},
		{"empty period", []string{"payouts", "run", "--from", "2026-03-08", "--to", "2026-03-08"}, "must end after it starts"},
		{"too long", []string{"payouts", "run", "--from", "2026-01-01", "--to", "2026-04-01"}, "at most 62 days"},
		{"not a date", []string{"payouts", "run", "--from", "08/03/2026", "--to", "2026-03-15"}, "YYYY-MM-DD"},
		{"not over", []string{"payouts", "run", "--from", time.Now().Format(time.DateOnly), "--to", time.Now().AddDate(0, 0, 7).Format(time.DateOnly)}, "has not come yet"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := runCLI(t, app, c.args...)
			require.ErrorContains(t, err, c.want)
		})
	}
	n, err := app.CountRecords("payouts")
	require.NoError(t, err)
	require.Zero(t, n)
}

func TestPayoutsRunCommand(t *testing.T) {
	app := hookstest.NewApp(t)
	defer app.Cleanup()
	tutor, err := hookstest.CreateUser(app, "tina@test.localhost", "Tina Tutor", platform.RoleTutor)
	require.NoError(t, err)
	student, err := hookstest.CreateUser(app, "stella@test.localhost", "Stella Student", platform.RoleStudent)
	require.NoError(t, err)
	profile, err := app.FindFirstRecordByData("tutors", "user", tutor.Id)
	require.NoError(t, err)
	col, err := app.FindCachedCollectionByNameOrId("bookings")
	require.NoError(t, err)
	for _, start := range []time.Time{time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC), time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)} {
		b := core.NewRecord(col)
		b.Load(map[string]any{"tutor": profile.Id, "student": student.Id, "start": start, "end": start.Add(time.Hour),
			"status": "completed", "price": 4550, "currency": "EUR", "payment_status": "paid"})
		require.NoError(t, app.SaveWithContext(platform.Imported(context.Background()), b))
	}

	out, err := runCLI(t, app, "payouts", "run", "--from", "2026-03-02", "--to", "2026-03-09")
	require.NoError(t, err)
	require.Contains(t, out, "Europe/Rome")
	require.Regexp(t, `Tina Tutor\s+2\s+91\.00\s+18\.20\s+72\.80\s+EUR\s+pending`, out)

	again, err := runCLI(t, app, "payouts", "run", "--from", "2026-03-02", "--to", "2026-03-09")
	require.NoError(t, err)
	require.Equal(t, out, again, "a second run shows the same payout")
	n, err := app.CountRecords("payouts")
	require.NoError(t, err)
	require.EqualValues(t, 1, n)

	out, err = runCLI(t, app, "payouts", "run", "--from", "2026-03-09", "--to", "2026-03-16")
	require.NoError(t, err)
	require.Contains(t, out, "No lessons to pay out.")
}
