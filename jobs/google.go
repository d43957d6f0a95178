package jobs

import (
	"errors"
	"time"

	"tutorbase/hooks"

	"github.com/pocketbase/pocketbase/core"
)

// SyncGoogle pushes the lessons owed to Google Calendars that the writer
// did not (a crash between commit and push, Google's 5xx or 429 backing
// off), then reads the busy times of the connections due.
func SyncGoogle(s *hooks.Services, app core.App, now time.Time) error {
	return errors.Join(s.Google.PushDue(app, now), s.Google.ImportDue(app, now))
}
