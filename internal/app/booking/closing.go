package booking

import (
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// CancelLessonsOf cancels every lesson of user (as student or tutor) that
// has not started and is pending or confirmed, as a tutor cancels
// (billing.ByTutor: a package credit comes back, a paid lesson is refunded
// in full), with the reason "account_closed"; by is who closes the
// account (nil: the school). It is the cancel path of the booking actions:
// the lessons are read again inside the write transaction, so a lesson
// cancelled meanwhile is not cancelled twice. The other party's
// notifications are written before it returns (an erasure follows, which
// must find them written), and the refunds handed to the provider.
// Answers the cancelled bookings' ids.
func (s *Service) CancelLessonsOf(app core.App, user string, by *core.Record) ([]string, error) {
	var c cancellations
	err := app.RunInTransaction(func(tx core.App) error {
		lessons, err := tx.FindRecordsByFilter("bookings",
			"(student = {:user} || tutor_user = {:user}) && start > {:now} && (status = 'pending' || status = 'confirmed')",
			"start", 0, 0, dbx.Params{"user": user, "now": platform.DBTime(s.env.Now())})
		if err != nil {
			return err
		}
		return s.cancelAll(tx, &c, lessons, by, notify.ReasonClosed, billing.ByTutor)
	})
	if err != nil {
		return nil, err
	}
	s.WriteChanges(app, c.events...)
	s.payments.ProcessRefunds(app, c.refunds...)
	return c.ids, nil
}
