package privacy

import (
	"fmt"
	"time"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// ApplyRetention deletes what the school's retention schedule says is
// kept long enough by now: deliveries that are over (sent, failed or
// skipped), audit entries and the server's logs, each older than its
// setting (0 keeps forever). PocketBase's own clean-up of its logs is set
// to the same number of days, so neither keeps them longer. Login attempts
// are the job of tutorbase_login_attempts_cleanup, notifications of
// tutorbase_retention's first part (retention_days).
func ApplyRetention(app core.App, now time.Time) error {
	school, err := platform.LoadSchool(app)
	if err != nil {
		return err
	}
	keep := school.Retention
	if keep.Deliveries > 0 {
		if err := deleteBefore(app, app.DB(), "deliveries", "status NOT IN ('queued', 'sending')", now.Add(-keep.Deliveries)); err != nil {
			return err
		}
	}
	if keep.Audit > 0 {
		if err := deleteBefore(app, app.DB(), "audit_log", "", now.Add(-keep.Audit)); err != nil {
			return err
		}
	}
	if keep.Logs > 0 {
		if err := deleteBefore(app, app.AuxDB(), "_logs", "", now.Add(-keep.Logs)); err != nil {
			return err
		}
		if days := int(keep.Logs / (24 * time.Hour)); app.Settings().Logs.MaxDays != days {
			// a copy: the app's settings change only once saved (reloaded)
			s, err := app.Settings().Clone()
			if err == nil {
				s.Logs.MaxDays = days
				err = app.Save(s)
			}
			if err != nil {
				return fmt.Errorf("failed to set the logs' retention: %w", err)
			}
		}
	}
	return nil
}

// deleteBefore deletes, a batch at a time, the rows of table created
// before cutoff (and matching where).
func deleteBefore(app core.App, db dbx.Builder, table, where string, cutoff time.Time) error {
	cond := "created < {:cutoff}"
	if where != "" {
		cond += " AND " + where
	}
	for {
		q := fmt.Sprintf("DELETE FROM {{%s}} WHERE rowid IN (SELECT rowid FROM {{%s}} WHERE %s LIMIT 1000)", table, table, cond)
		res, err := db.NewQuery(q).Bind(dbx.Params{"cutoff": platform.DBTime(cutoff)}).Execute()
		if err != nil {
			return fmt.Errorf("failed to apply the retention of %s: %w", table, err)
		}
		if n, _ := res.RowsAffected(); n < 1000 {
			return nil
		}
	}
}
