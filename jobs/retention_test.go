package jobs_test

import (
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/jobs"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/stretchr/testify/require"
)

// aged sets the created time of a row of table (data.db or, for _logs,
// auxiliary.db) to at.
func aged(t *testing.T, db dbx.Builder, table, id string, at time.Time) {
	t.Helper()
	_, err := db.Update(table, dbx.Params{"created": at.UTC().Format("2006-01-02 15:04:05.000Z")}, dbx.HashExp{"id": id}).Execute()
	require.NoError(t, err)
}

func logLine(t *testing.T, app core.App, at time.Time) string {
	t.Helper()
	id := security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789")
	_, err := app.AuxDB().Insert("_logs", dbx.Params{"id": id, "level": 0, "message": "GET /api/health", "data": "{}",
		"created": at.UTC().Format("2006-01-02 15:04:05.000Z")}).Execute()
	require.NoError(t, err)
	return id
}

func exists(t *testing.T, db dbx.Builder, table, id string) bool {
	t.Helper()
	var n int
	require.NoError(t, db.Select("count(*)").From(table).Where(dbx.HashExp{"id": id}).Row(&n))
	return n > 0
}

// TestRetentionSchedule: the daily job deletes finished deliveries, audit
// entries and server logs older than the school's settings, keeps younger
// ones and deliveries still to send, and sets PocketBase's own clean-up of
// its logs to the same days.
func TestRetentionSchedule(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	setSchool(t, app, map[string]any{"keep_deliveries_days": 30, "keep_audit_days": 365, "keep_logs_days": 21})
	now := time.Now().UTC()
	delivery := func(status string, age time.Duration) string {
		note := save(t, app, "notifications", map[string]any{"user": cast.Users[hookstest.Student], "kind": "payment_received", "title": "Paid"})
		d := save(t, app, "deliveries", map[string]any{"notification": note.Id, "user": cast.Users[hookstest.Student], "channel": "email", "status": status})
		aged(t, app.DB(), "deliveries", d.Id, now.Add(-age))
		return d.Id
	}
	oldSent, oldQueued, newSent := delivery("sent", 31*24*time.Hour), delivery("queued", 31*24*time.Hour), delivery("sent", 29*24*time.Hour)
	audit := func(age time.Duration) string {
		a := save(t, app, "audit_log", map[string]any{"action": "auth.signin", "ip": "127.0.0.1"})
		aged(t, app.DB(), "audit_log", a.Id, now.Add(-age))
		return a.Id
	}
	oldAudit, newAudit := audit(366*24*time.Hour), audit(364*24*time.Hour)
	oldLog, newLog := logLine(t, app, now.Add(-22*24*time.Hour)), logLine(t, app, now.Add(-20*24*time.Hour))

	require.NoError(t, jobs.Retention(app, now))
	for _, c := range []struct {
		db          dbx.Builder
		table, id   string
		kept        bool
		description string
	}{
		{app.DB(), "deliveries", oldSent, false, "a sent delivery older than 30 days"},
		{app.DB(), "deliveries", oldQueued, true, "a delivery still to send"},
		{app.DB(), "deliveries", newSent, true, "a sent delivery of 29 days"},
		{app.DB(), "audit_log", oldAudit, false, "an audit entry older than 365 days"},
		{app.DB(), "audit_log", newAudit, true, "an audit entry of 364 days"},
		{app.AuxDB(), "_logs", oldLog, false, "a log line older than 21 days"},
		{app.AuxDB(), "_logs", newLog, true, "a log line of 20 days"},
	} {
		require.Equal(t, c.kept, exists(t, c.db, c.table, c.id), c.description)
	}
	require.Equal(t, 21, app.Settings().Logs.MaxDays, "PocketBase's own clean-up keeps the same days")
}

// TestRetentionKeepsForeverAtZero: 0 keeps forever, login attempts
// included.
func TestRetentionKeepsForeverAtZero(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	setSchool(t, app, map[string]any{"keep_deliveries_days": 0, "keep_audit_days": 0, "keep_logs_days": 0, "keep_login_attempts_days": 0})
	now := time.Now().UTC()
	a := save(t, app, "audit_log", map[string]any{"action": "auth.signin"})
	aged(t, app.DB(), "audit_log", a.Id, now.Add(-3650*24*time.Hour))
	l := logLine(t, app, now.Add(-3650*24*time.Hour))
	attempt := save(t, app, "login_attempts", map[string]any{"identity": "old@test.localhost", "failures": 1, "last_failure": now.Add(-3000 * 24 * time.Hour)})
	require.NoError(t, jobs.Retention(app, now))
	require.NoError(t, jobs.CleanupLoginAttempts(app, now))
	require.True(t, exists(t, app.DB(), "audit_log", a.Id))
	require.True(t, exists(t, app.AuxDB(), "_logs", l))
	require.True(t, exists(t, app.DB(), "login_attempts", attempt.Id))
}

// TestLoginAttemptsFollowTheSchedule: a school keeping sign-in failures 7
// days forgets one quiet for 8.
func TestLoginAttemptsFollowTheSchedule(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	setSchool(t, app, map[string]any{"keep_login_attempts_days": 7})
	now := time.Now().UTC()
	quiet := save(t, app, "login_attempts", map[string]any{"identity": "quiet@test.localhost", "failures": 2, "last_failure": now.Add(-8 * 24 * time.Hour)})
	recent := save(t, app, "login_attempts", map[string]any{"identity": "recent@test.localhost", "failures": 2, "last_failure": now.Add(-6 * 24 * time.Hour)})
	require.NoError(t, jobs.CleanupLoginAttempts(app, now))
	require.False(t, exists(t, app.DB(), "login_attempts", quiet.Id))
	require.True(t, exists(t, app.DB(), "login_attempts", recent.Id))
}
