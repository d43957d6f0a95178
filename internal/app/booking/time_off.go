package booking

import (
	"net/http"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// CancelForTimeOff is POST /api/time-off/{id}/cancel-lessons: the tutor
// (or staff) cancels every pending or confirmed lesson a time off covers,
// each by the cancel path of the booking actions, as the tutor cancels:
// the student is told, a package credit comes back and a paid lesson is
// refunded in full (billing.ByTutor; ByAdmin for staff), with the reason
// "time_off". The lessons are read again inside the write transaction, so
// a second request (or a lesson moved meanwhile) cancels nothing twice.
// Answers {"cancelled": [booking ids]}.
func (s *Service) CancelForTimeOff(e *core.RequestEvent) error {
	off, err := e.App.FindRecordById("time_off", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	staff := platform.IsStaff(e)
	if !staff && off.GetString("tutor_user") != e.Auth.Id {
		return e.NotFoundError("", nil)
	}
	policy := billing.ByTutor
	if staff {
		policy = billing.ByAdmin
	}
	var c cancellations
	err = e.App.RunInTransaction(func(tx core.App) error {
		lessons, err := CoveredBy(tx, off)
		if err != nil {
			return err
		}
		return s.cancelAll(tx, &c, lessons, e.Auth, notify.ReasonTimeOff, policy)
	})
	if err != nil {
		return err
	}
	s.notifyLater(e.App, c.events...)
	s.payments.ProcessRefunds(e.App, c.refunds...)
	cancelled := c.ids
	if staff && len(cancelled) > 0 {
		platform.Audit(e, "time_off.cancel_lessons", "time_off", off.Id, map[string]any{"bookings": cancelled})
	}
	return e.JSON(http.StatusOK, map[string]any{"cancelled": cancelled})
}

// CoveredBy lists the pending and confirmed lessons of a time off's tutor
// that overlap it, soonest first.
func CoveredBy(app core.App, off *core.Record) ([]*core.Record, error) {
	return app.FindRecordsByFilter("bookings",
		"tutor = {:tutor} && start < {:end} && end > {:start} && (status = 'pending' || status = 'confirmed')", "start", 0, 0,
		dbx.Params{"tutor": off.GetString("tutor"), "start": off.GetString("start"), "end": off.GetString("end")})
}

// cancellations is what cancelling several lessons in one transaction
// leaves for after the commit: the events to tell, the refunds to hand to
// the provider, and the ids cancelled.
type cancellations struct {
	events  []*BookingEvent
	refunds []*core.Record
	ids     []string
}

// cancelAll cancels lessons in tx as by, for reason, under policy, the
// cancel path of the booking actions; c starts afresh, as a retried
// transaction must.
func (s *Service) cancelAll(tx core.App, c *cancellations, lessons []*core.Record, by *core.Record, reason string, policy billing.CancelActor) error {
	*c = cancellations{ids: []string{}}
	now := s.env.Now()
	for _, b := range lessons {
		ev, refund, err := s.CancelBooking(tx, b, by, reason, false, policy, now)
		if err != nil {
			return err
		}
		c.events = append(c.events, ev)
		if refund != nil {
			c.refunds = append(c.refunds, refund)
		}
		c.ids = append(c.ids, b.Id)
	}
	return nil
}
