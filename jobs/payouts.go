package jobs

import (
	"time"

	"tutorbase/hooks"
	"tutorbase/internal/app/payouts"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"
)

// PayLastWeek makes the payouts of the last complete week in the school's
// zone (Monday 00:00 to Monday 00:00 local) before now. It is scheduled
// daily: the first run after a week ends pays it, the later ones find the
// payouts made and change nothing, so a school west of UTC, whose week
// has not ended yet at the first run, is paid a day later, not a week.
func PayLastWeek(s *hooks.Services, app core.App, now time.Time) error {
	school, err := platform.LoadSchool(app)
	if err != nil {
		return err
	}
	from, to := payouts.LastPayoutWeek(now, school.Location)
	_, err = s.Payouts.RunPayouts(app, from, to, now)
	return err
}
