package migrations_test

import (
	"strings"
	"testing"

	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// collections are the tables these migrations own.
var collections = []string{
	"school", "subjects", "tutors", "students", "packages", "purchases", "availability", "time_off",
	"series", "bookings", "payments", "invoices", "payouts", "stripe_events", "reviews", "materials",
	"notifications", "deliveries", "audit_log", "login_attempts", "contact_proofs", "calendar_feeds", "busy_times", "material_downloads", "lesson_reports", "tutor_notes", "report_reminders",
}

func TestUpDownUp(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir()) // empty dir: system + our migrations run
	require.NoError(t, err)
	defer app.Cleanup()

	requireSchema(t, app, true)
	school, err := app.FindRecordById("school", migrations.SchoolId)
	require.NoError(t, err)
	require.Equal(t, "Europe/Rome", school.GetString("timezone"))
	require.Equal(t, "EUR", school.GetString("currency"))
	require.EqualValues(t, 20, school.GetFloat("commission_percent"))
	require.Equal(t, 24, school.GetInt("cancel_window_hours"))
	require.Equal(t, 30, school.GetInt("slot_step_minutes"))
	require.JSONEq(t, `[1440,60]`, school.GetString("reminder_offsets"))
	require.True(t, app.Settings().RateLimits.Enabled)
	require.Contains(t, app.Settings().RateLimits.Rules, core.RateLimitRule{Label: "/api/reports/", MaxRequests: 300, Duration: 60},
		"the reports page's ten requests a view fit many views a minute")

	runner := core.NewMigrationsRunner(app, core.AppMigrations)
	reverted, err := runner.Down(len(core.AppMigrations.Items()))
	require.NoError(t, err)
	require.Len(t, reverted, len(core.AppMigrations.Items()))
	requireSchema(t, app, false)
	users, err := app.FindCollectionByNameOrId("users")
	require.NoError(t, err)
	require.Nil(t, users.Fields.GetByName("role"), "users is back to PocketBase's own shape")

	applied, err := runner.Up()
	require.NoError(t, err)
	require.Len(t, applied, len(core.AppMigrations.Items()))
	requireSchema(t, app, true)
}

func requireSchema(t *testing.T, app core.App, present bool) {
	t.Helper()
	for _, name := range collections {
		_, err := app.FindCollectionByNameOrId(name)
		if present {
			require.NoError(t, err, name)
		} else {
			require.Error(t, err, name)
		}
	}
	// the overlap and length backstop triggers, report_days' three, and
	// three each for report_tutor_days, report_student_months and
	// report_student_days; reviews and lesson reports feed the totals too
	for table, want := range map[string]int{"bookings": 14, "reviews": 3, "lesson_reports": 6} {
		var triggers int
		require.NoError(t, app.DB().NewQuery("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = {:t}").
			Bind(dbx.Params{"t": table}).Row(&triggers))
		if present {
			require.Equal(t, want, triggers, table)
		} else {
			require.Zero(t, triggers, table)
		}
	}
}

// The backstop triggers refuse overlapping active bookings whatever writes
// them, here a raw insert that bypasses every hook.
func TestOverlapTriggers(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	require.NoError(t, err)
	defer app.Cleanup()

	insert := func(id, tutor, student, start, end, status string) error {
		_, err := app.DB().NewQuery(`INSERT INTO bookings (id, tutor, student, start, "end", status) VALUES ({:id}, {:tutor}, {:student}, {:start}, {:end}, {:status})`).
			Bind(map[string]any{"id": id, "tutor": tutor, "student": student, "start": start, "end": end, "status": status}).Execute()
		return err
	}
	const nine, ten, eleven = "2027-03-01 09:00:00.000Z", "2027-03-01 10:00:00.000Z", "2027-03-01 11:00:00.000Z"
	require.NoError(t, insert("b1", "t1", "s1", nine, ten, "confirmed"))
	require.ErrorContains(t, insert("b2", "t1", "s2", "2027-03-01 09:30:00.000Z", eleven, "pending"), "booking_overlap", "same tutor")
	require.ErrorContains(t, insert("b3", "t2", "s1", "2027-03-01 09:30:00.000Z", eleven, "pending"), "booking_overlap", "same student")
	require.NoError(t, insert("b4", "t1", "s2", ten, eleven, "pending"), "back to back is fine")
	require.NoError(t, insert("b5", "t1", "s3", nine, ten, "cancelled"), "cancelled bookings never conflict")
	_, err = app.DB().NewQuery(`UPDATE bookings SET status = 'confirmed' WHERE id = 'b5'`).Execute()
	require.ErrorContains(t, err, "booking_overlap", "reviving a cancelled booking over another")
	_, err = app.DB().NewQuery(`UPDATE bookings SET "end" = '2027-03-01 10:30:00.000Z' WHERE id = 'b1'`).Execute()
	require.ErrorContains(t, err, "booking_overlap", "stretching a booking over the next one")
	require.ErrorContains(t, insert("b6", "t9", "s9", "2027-03-02 08:00:00.000Z", "2027-03-02 16:30:00.000Z", "confirmed"), "booking_too_long",
		"the 8-hour bound the overlap search relies on")
	require.ErrorContains(t, insert("b7", "t1", "s7", "2027-03-01 02:00:00.000Z", "2027-03-01 09:30:00.000Z", "confirmed"), "booking_overlap",
		"a 7.5-hour lesson that started long before is still found")
}

func TestOrderRateLimits(t *testing.T) {
	in := []core.RateLimitRule{
		{Label: "*:auth"}, {Label: "/api/"}, {Label: "POST /api/bookings/"}, {Label: "/api/batch"}, {Label: "/api/search/"}, {Label: "/api/a/b/"},
	}
	var got []string
	for _, r := range migrations.OrderRateLimits(in) {
		got = append(got, r.Label)
	}
	want := []string{"*:auth", "POST /api/bookings/", "/api/search/", "/api/batch", "/api/a/b/", "/api/"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("OrderRateLimits = %v, want %v", got, want)
	}
}
