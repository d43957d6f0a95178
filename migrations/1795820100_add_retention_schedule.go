package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// retentionDefaults are the school's retention schedule as shipped, in
// days (0 keeps forever); notifications keep their retention_days (180).
var retentionDefaults = map[string]int{
	"keep_login_attempts_days": 30,  // quiet sign-in failure counts (an email each)
	"keep_deliveries_days":     90,  // what was sent where (an address each), once sent or given up
	"keep_audit_days":          730, // the audit log: who did what, sign-ins
	"keep_logs_days":           14,  // the server's request and error logs (auxiliary.db)
}

// The retention schedule: how long the school keeps login attempts,
// deliveries, audit entries and server logs; the daily tutorbase_retention
// job applies it (internal/app/privacy, docs/privacy.md).
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("school")
		if err != nil {
			return err
		}
		for _, name := range []string{"keep_login_attempts_days", "keep_deliveries_days", "keep_audit_days", "keep_logs_days"} {
			c.Fields.Add(integer(name, 1, 3650, false))
		}
		if err := app.Save(c); err != nil {
			return err
		}
		r, err := app.FindRecordById("school", SchoolId)
		if err != nil {
			return err
		}
		for name, days := range retentionDefaults {
			r.Set(name, days)
		}
		return app.SaveNoValidate(r)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("school")
		if err != nil {
			return err
		}
		for name := range retentionDefaults {
			c.Fields.RemoveByName(name)
		}
		return app.Save(c)
	})
}
