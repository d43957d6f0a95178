package jobs

import (
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// loginAttemptsRetention is how long a quiet sign-in failure record is kept.
const loginAttemptsRetention = 30 * 24 * time.Hour

// CleanupLoginAttempts forgets failure counts of identities that have been
// quiet for 30 days and are not locked.
func CleanupLoginAttempts(app core.App, now time.Time) error {
	cutoff, err := types.ParseDateTime(now.Add(-loginAttemptsRetention))
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
