package jobs

import (
	"time"

	"tutorbase/hooks"
	"tutorbase/internal/app/booking"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// batchSize bounds one pass of a job over bookings; a job loops until done.
const batchSize = 200

// CompleteEnded marks confirmed lessons whose end has passed as completed.
func CompleteEnded(app core.App, now time.Time) error {
	return eachBooking(app, "status = 'confirmed' && end <= {:now}", now, func(b *core.Record) error {
		b.Set("status", platform.StatusCompleted)
		if err := app.Save(b); !platform.IsStale(err) { // a tutor's no-show meanwhile wins
			return err
		}
		return nil
	})
}

// ExpirePending cancels requests the tutor never answered: those whose
// start has come, and those older than the school's pending_expiry_hours;
// and lessons still unpaid at their pay_by (reason "unpaid", the slot
// freed). Both parties are told.
func ExpirePending(s *hooks.Services, app core.App, now time.Time) error {
	if err := expireRequests(s, app, now); err != nil {
		return err
	}
	return eachBooking(app, "payment_status = 'unpaid' && (status = 'pending' || status = 'confirmed') && pay_by != '' && pay_by <= {:now}", now,
		func(b *core.Record) error {
			ev, err := s.Booking.CancelOverdue(app, b, now)
			if err == nil && ev != nil {
				s.Booking.WriteChanges(app, ev)
			}
			return err
		})
}

func expireRequests(s *hooks.Services, app core.App, now time.Time) error {
	school, err := platform.LoadSchool(app)
	if err != nil {
		return err
	}
	stale := now.Add(-school.PendingExpiry)
	if school.PendingExpiry <= 0 {
		stale = time.Time{}
	}
	filter := "status = 'pending' && (start <= {:now} || created <= {:stale})"
	return eachBooking(app, filter, now, func(b *core.Record) error {
		var ev *booking.BookingEvent
		var refund *core.Record
		err := app.RunInTransaction(func(tx core.App) error {
			var err error
			ev, refund, err = s.Booking.CancelBooking(tx, b, nil, "expired", false, billing.ByAdmin, now)
			return err
		})
		if platform.IsStale(err) { // confirmed or cancelled meanwhile
			return nil
		}
		if err != nil {
			return err
		}
		s.Booking.WriteChanges(app, ev)
		if refund != nil {
			s.Payments.ProcessRefunds(app, refund)
		}
		return nil
	}, dbx.Params{"stale": stale})
}

// eachBooking applies fn to every booking matching filter ({:now} bound),
// in batches, oldest end first.
func eachBooking(app core.App, filter string, now time.Time, fn func(*core.Record) error, extra ...dbx.Params) error {
	params := dbx.Params{"now": now}
	for _, p := range extra {
		for k, v := range p {
			params[k] = v
		}
	}
	for k, v := range params { // compare dates the way PocketBase stores them
		if t, ok := v.(time.Time); ok {
			params[k] = t.UTC().Format(types.DefaultDateLayout)
		}
	}
	for {
		batch, err := app.FindRecordsByFilter("bookings", filter, "end", batchSize, 0, params)
		if err != nil {
			return err
		}
		for _, b := range batch {
			if err := fn(b); err != nil {
				return err
			}
		}
		if len(batch) < batchSize {
			return nil
		}
	}
}

// WriteOwedNotifications writes the notifications of booking changes that
// a stopped process (or a failed write) left owed for over a minute.
func WriteOwedNotifications(s *hooks.Services, app core.App, now time.Time) error {
	return s.Booking.ReplayNoteOutbox(app, now.Add(-time.Minute))
}
