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
	now := s.env.Now()
	var events []*BookingEvent
	var refunds []*core.Record
	cancelled := []string{}
	err := app.RunInTransaction(func(tx core.App) error {
		events, refunds, cancelled = events[:0], refunds[:0], cancelled[:0]
		lessons, err := tx.FindRecordsByFilter("bookings",
			"(student = {:user} || tutor_user = {:user}) && start > {:now} && (status = 'pending' || status = 'confirmed')",
			"start", 0, 0, dbx.Params{"user": user, "now": platform.DBTime(now)})
		if err != nil {
			return err
		}
		for _, b := range lessons {
			ev, refund, err := s.CancelBooking(tx, b, by, notify.ReasonClosed, false, billing.ByTutor, now)
			if err != nil {
				return err
			}
			events = append(events, ev)
			if refund != nil {
				refunds = append(refunds, refund)
			}
			cancelled = append(cancelled, b.Id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.WriteChanges(app, events...)
	s.payments.ProcessRefunds(app, refunds...)
	return cancelled, nil
}
