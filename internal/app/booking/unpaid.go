package booking

import (
	"fmt"
	"net/http"
	"time"

	"tutorbase/internal/app/payments"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Codes of the limits on lessons booked and not paid.
const (
	// CodeUnpaidLimit: the student already holds the school's cap of
	// upcoming lessons neither paid nor covered by a credit.
	CodeUnpaidLimit = "unpaid_limit"
	// ReasonUnpaid is the cancel_reason of a lesson not paid by its pay_by.
	ReasonUnpaid = notify.ReasonUnpaid
)

// isUnpaid reports whether a booking is a pay-per-lesson one still owed.
func isUnpaid(b *core.Record) bool { return b.GetString("payment_status") == "unpaid" }

// setPayBy gives a new unpaid lesson its payment deadline (billing.PayBy,
// with the school's cancel window and pay window). A rescheduled lesson
// keeps the old one's deadline if that is earlier: moving a lesson does not
// buy time to pay it.
func setPayBy(app core.App, b *core.Record, school *platform.School, now time.Time) {
	if !isUnpaid(b) || school.UnpaidPayWindow <= 0 {
		return
	}
	payBy := billing.PayBy(now, b.GetDateTime("start").Time(), school.CancelWindow, school.UnpaidPayWindow)
	if from := b.GetString("rescheduled_from"); from != "" {
		if old, err := app.FindRecordById("bookings", from); err == nil {
			if was := old.GetDateTime("pay_by").Time(); !was.IsZero() && was.Before(payBy) {
				payBy = was
			}
		}
	}
	b.Set("pay_by", payBy)
}

// checkUnpaidCap refuses, in the write transaction that has just inserted
// b, an unpaid lesson that takes its student over the school's cap of
// upcoming unpaid lessons. Each unpaid lesson of a series counts; lessons
// paid, free or spent from a credit do not. Concurrent bookings are
// counted one after another (the transaction holds the write lock).
func checkUnpaidCap(tx core.App, b *core.Record, school *platform.School, now time.Time) error {
	if !isUnpaid(b) || school.MaxUnpaidLessons <= 0 {
		return nil
	}
	n, err := countUnpaidUpcoming(tx, b.GetString("student"), now)
	if err != nil {
		return err
	}
	if n <= school.MaxUnpaidLessons {
		return nil
	}
	return platform.RuleError(http.StatusBadRequest, "purchase", CodeUnpaidLimit, fmt.Sprintf(
		"You already have %d upcoming lessons that are not paid for. Pay for one of them, or book with a package credit.",
		school.MaxUnpaidLessons))
}

// countUnpaidUpcoming counts a student's active lessons not started yet and
// not paid (nor free, nor from a credit), from the (student, start) index.
func countUnpaidUpcoming(app core.App, student string, now time.Time) (int, error) {
	var n int
	err := app.DB().Select("count(*)").From("bookings").Where(dbx.NewExp(
		"student = {:s} AND start > {:now} AND status IN "+platform.ActiveStatusesSQL+" AND payment_status = 'unpaid'",
		dbx.Params{"s": student, "now": platform.DBTime(now)})).Row(&n)
	return n, err
}

// CancelOverdue cancels b with reason "unpaid" if it is still an active,
// unpaid lesson whose pay_by has passed at now, re-read under the write
// lock (a payment that lands first wins); its pending payments fail. Both
// parties are told. It returns nil, nil when there was nothing to do;
// hand the event to WriteChanges once done.
func (s *Service) CancelOverdue(app core.App, b *core.Record, now time.Time) (*BookingEvent, error) {
	var ev *BookingEvent
	var refund *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById("bookings", b.Id)
		if err != nil {
			return err
		}
		payBy := fresh.GetDateTime("pay_by").Time()
		active := fresh.GetString("status") == platform.StatusPending || fresh.GetString("status") == platform.StatusConfirmed
		if !active || !isUnpaid(fresh) || payBy.IsZero() || payBy.After(now) {
			return nil
		}
		if ev, refund, err = s.CancelBooking(tx, fresh, nil, ReasonUnpaid, false, billing.ByAdmin, now); err != nil {
			return err
		}
		return payments.FailPending(tx, "booking", fresh.Id)
	})
	if err == nil && refund != nil {
		s.payments.ProcessRefunds(app, refund)
	}
	return ev, err
}
