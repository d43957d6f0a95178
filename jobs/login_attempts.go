package jobs

import (
	"time"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// CleanupLoginAttempts forgets failure counts of identities that have been
// quiet for the school's keep_login_attempts_days (30) and are not locked;
// 0 keeps them.
func CleanupLoginAttempts(app core.App, now time.Time) error {
	school, err := platform.LoadSchool(app)
	if err != nil {
		return err
	}
	if school.Retention.LoginAttempts <= 0 {
		return nil
	}
	cutoff, err := types.ParseDateTime(now.Add(-school.Retention.LoginAttempts))
	if err != nil {
		return err
	}
	nowDT, err := types.ParseDateTime(now)
	if err != nil {
		return err
	}
	_, err = app.DB().Delete("login_attempts", dbx.NewExp(
		"last_failure < {:cutoff} AND (locked_until = '' OR locked_until < {:now})",
		dbx.Params{"cutoff": cutoff.String(), "now": nowDT.String()},
	)).Execute()
	return err
}
