package jobs_test

import (
	"errors"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/jobs"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// TestRetentionReportsWhatItCannotDelete: when the old rows of one table
// cannot be deleted (here a trigger refuses, as a locked or broken
// database would), the job fails naming that table instead of reporting
// success, and the old rows stay until it can.
func TestRetentionReportsWhatItCannotDelete(t *testing.T) {
	for _, table := range []string{"deliveries", "audit_log", "_logs"} {
		t.Run(table, func(t *testing.T) {
			app := cast.Clone(t)
			defer app.Cleanup()
			setSchool(t, app, map[string]any{"keep_deliveries_days": 30, "keep_audit_days": 365, "keep_logs_days": 21})
			now := time.Now().UTC()
			old := now.Add(-400 * 24 * time.Hour)
			note := save(t, app, "notifications", map[string]any{"user": cast.Users[hookstest.Student], "kind": "payment_received", "title": "Paid"})
			d := save(t, app, "deliveries", map[string]any{"notification": note.Id, "user": cast.Users[hookstest.Student], "channel": "email", "status": "sent"})
			aged(t, app.DB(), "deliveries", d.Id, old)
			a := save(t, app, "audit_log", map[string]any{"action": "auth.signin", "ip": "127.0.0.1"})
			aged(t, app.DB(), "audit_log", a.Id, old)
			ids := map[string]string{"deliveries": d.Id, "audit_log": a.Id, "_logs": logLine(t, app, old)}
			var db dbx.Builder = app.DB()
			if table == "_logs" {
				db = app.AuxDB()
			}
			_, err := db.NewQuery("CREATE TRIGGER stuck BEFORE DELETE ON " + table + " BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END").Execute()
			require.NoError(t, err)

			err = jobs.Retention(app, now)
			require.ErrorContains(t, err, "retention of "+table)
			require.True(t, exists(t, db, table, ids[table]), "kept until it can be deleted")
			_, err = db.NewQuery("DROP TRIGGER stuck").Execute()
			require.NoError(t, err)
			require.NoError(t, jobs.Retention(app, now))
			require.False(t, exists(t, db, table, ids[table]))
		})
	}
}

// TestRetentionReportsSettingsItCannotSave: when PocketBase's own log
// clean-up cannot be set to the school's days, the job says so.
func TestRetentionReportsSettingsItCannotSave(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	setSchool(t, app, map[string]any{"keep_logs_days": 21})
	app.OnModelUpdate().BindFunc(func(e *core.ModelEvent) error {
		if _, ok := e.Model.(*core.Settings); ok {
			return errors.New("read-only database")
		}
		return e.Next()
	})
	require.ErrorContains(t, jobs.Retention(app, time.Now()), "logs' retention")
	require.NotEqual(t, 21, app.Settings().Logs.MaxDays)
}
