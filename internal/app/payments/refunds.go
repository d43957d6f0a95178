package payments

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"math"
	"net/http"
	"time"

	"tutorbase/internal/app/credits"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
	"tutorbase/internal/notify"
	"tutorbase/internal/oneline"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// Refund statuses.
const (
	RefundPending   = "pending"
	RefundSucceeded = "succeeded"
	RefundFailed    = "failed"
)

// refundRetry is how refunds the provider refused for now are retried.
var refundRetry = notify.DefaultRetry()

type refundBody struct {
	Amount *int64 `json:"amount"`
	Reason string `json:"reason"`
}

// Refund lets staff refund a payment: by default a package's unused
// credits (unused × the discounted unit price) or a lesson in full; or any
// amount up to what is left to refund.
func (s *Service) Refund(e *core.RequestEvent) error {
	var in refundBody
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError(`The body must be JSON: {"amount": 1000, "reason": "..."}.`, nil)
	}
	if len([]rune(in.Reason)) > 500 {
		return platform.RuleError(http.StatusBadRequest, "reason", "validation_max_text_constraint", "Keep the reason under 500 characters.")
	}
	pay, err := e.App.FindRecordById("payments", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	amount, credits, err := defaultRefund(e.App, pay)
	if err != nil {
		return err
	}
	if in.Amount != nil { // money back, not the package's lessons (a refund of all that is left takes them, see applyRefund)
		amount, credits = *in.Amount, 0
	}
	r, err := s.RequestRefund(e.App, pay, RefundRequest{Amount: amount, Credits: credits, Reason: in.Reason})
	if err != nil {
		return err
	}
	platform.Audit(e, "payment.refund", "payments", pay.Id, map[string]any{"amount": amount, "refund": r.Id})
	if err := apis.EnrichRecord(e, r); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, r)
}

// defaultRefund is what a refund of pay gives back by default: for a
// package, its unused credits at the discounted unit price (the credits are
// taken back); for a lesson, all that is left.
func defaultRefund(app core.App, pay *core.Record) (amount int64, unused int, err error) {
	left := int64(pay.GetInt("amount") - pay.GetInt("refunded_amount"))
	id := pay.GetString("purchase")
	if id == "" {
		return left, 0, nil
	}
	p, err := app.FindRecordById("purchases", id)
	if err != nil {
		return 0, 0, err
	}
	unused = credits.Left(p)
	price, discount := int64(p.GetInt("list_price")), int64(p.GetInt("discount_percent"))
	if liveRedemption(app, pay.Id) != nil { // a promotion code made the charge: refund its share of that
		price, discount = int64(pay.GetInt("amount")), 0
	}
	amount = billing.PackageRefund(price, discount, int64(p.GetInt("lessons")),
		int64(unused), int64(pay.GetInt("amount")), int64(pay.GetInt("refunded_amount")))
	return amount, unused, nil
}

// RefundRequest is a refund to make.
type RefundRequest struct {
	Amount  int64
	Credits int    // package credits taken back with it
	Booking string // the lesson it is for, if any
	Reason  string
}

// RequestRefund records a refund of pay and carries it out: at once for a
// manual payment (the school returns the money itself), through Stripe's
// Refunds API for a card payment. The refund is written (pending) before
// Stripe is called, with its id as the idempotency key, so a crash or a
// refused call is retried by a job and never refunds twice.
func (s *Service) RequestRefund(app core.App, pay *core.Record, req RefundRequest) (*core.Record, error) {
	var r *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		var err error
		r, err = queueRefund(tx, pay, req)
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, s.ProcessRefund(app, r, s.env.Now())
}

// queueRefund records a pending refund of pay in tx, checked against what
// is left to refund; ProcessRefund carries it out after the commit (the
// retry job does, if the process stops first).
func queueRefund(tx core.App, pay *core.Record, req RefundRequest) (*core.Record, error) {
	fresh, err := tx.FindRecordById("payments", pay.Id)
	if err != nil {
		return nil, err
	}
	if err := checkRefundable(tx, fresh, req.Amount); err != nil {
		return nil, err
	}
	col, err := tx.FindCachedCollectionByNameOrId("refunds")
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{
		"payment": fresh.Id, "user": fresh.GetString("user"), "booking": cmp.Or(req.Booking, fresh.GetString("booking")),
		"amount": req.Amount, "currency": fresh.GetString("currency"), "reason": req.Reason,
		"provider": fresh.GetString("provider"), "status": RefundPending, "credits": req.Credits,
	})
	return r, tx.Save(r)
}

func checkRefundable(tx core.App, pay *core.Record, amount int64) error {
	if pay.GetString("status") != PaymentPaid && pay.GetString("status") != PaymentPartiallyRefunded {
		return platform.RuleError(http.StatusBadRequest, "payment", platform.CodeBadState, "Only a paid payment can be refunded.")
	}
	var pending int64
	if err := tx.DB().Select("COALESCE(SUM(amount), 0)").From("refunds").
		Where(dbx.HashExp{"payment": pay.Id, "status": RefundPending}).Row(&pending); err != nil {
		return err
	}
	left := int64(pay.GetInt("amount")-pay.GetInt("refunded_amount")) - pending
	if amount <= 0 {
		return platform.RuleError(http.StatusBadRequest, "amount", "validation_min_number_constraint", "A refund is a positive amount.")
	}
	if amount > left {
		return platform.RuleError(http.StatusBadRequest, "amount", "too_much", "At most "+billing.Format(left, pay.GetString("currency"), "en")+" is left to refund.")
	}
	return nil
}

// ProcessRefund carries out a pending refund (again: it is idempotent).
func (s *Service) ProcessRefund(app core.App, r *core.Record, now time.Time) error {
	if r.GetString("status") != RefundPending {
		return nil
	}
	provider := s.providerOf(r.GetString("provider"))
	if provider == nil {
		return s.refundFailedTry(app, r, errors.New(r.GetString("provider")+" is not configured"), now)
	}
	pay, err := app.FindRecordById("payments", r.GetString("payment"))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	res, err := provider.Refund(ctx, billing.RefundRequest{Payment: pay.GetString("provider_id"), Amount: int64(r.GetInt("amount")), Key: "refund-" + r.Id})
	cancel()
	if err != nil {
		return s.refundFailedTry(app, r, err, now)
	}
	if res.ID != "" {
		r.Set("provider_id", res.ID)
	}
	switch res.Status {
	case billing.RefundFailed:
		return s.settleRefund(app, r, RefundFailed)
	case billing.RefundPending:
		return app.Save(r) // the provider reports the outcome with its webhook
	}
	return s.settleRefund(app, r, RefundSucceeded)
}

// refundFailedTry records a failed attempt; the job retries with backoff,
// then gives up (staff see it failed).
func (s *Service) refundFailedTry(app core.App, r *core.Record, cause error, now time.Time) error {
	attempts := r.GetInt("attempts") + 1
	r.Set("attempts", attempts)
	r.Set("last_error", oneline.Truncate(cause.Error(), 1000))
	if _, ok := refundRetry.Next(attempts, now); !ok {
		r.Set("status", RefundFailed)
	}
	if err := app.Save(r); err != nil {
		return err
	}
	return apis.NewApiError(http.StatusBadGateway, "The refund is recorded; the payment provider did not answer and it will be retried.", nil)
}

// settleRefund applies a refund's outcome in one transaction: on success
// the payment's refunded amount and status, the lesson's payment status,
// the package credits taken back, the credit note and the buyer's
// notification.
func (s *Service) settleRefund(app core.App, r *core.Record, status string) error {
	err := app.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById("refunds", r.Id)
		if err != nil {
			return err
		}
		if fresh.GetString("status") != RefundPending {
			return nil // settled already (a webhook and a response racing)
		}
		fresh.Set("provider_id", r.GetString("provider_id"))
		fresh.Set("status", status)
		if err := tx.Save(fresh); err != nil {
			return err
		}
		*r = *fresh
		if status != RefundSucceeded {
			return nil
		}
		if err := s.applyRefund(tx, fresh); err != nil {
			return err
		}
		s.notes.Notify(tx, []string{fresh.GetString("user")}, notify.Event{Kind: notify.KindRefund, Amount: int64(fresh.GetInt("amount")),
			Currency: fresh.GetString("currency"), Reason: fresh.GetString("reason"), Link: tx.Settings().Meta.AppURL + "/payments"},
			map[string]any{"refund": fresh.Id})
		return nil
	})
	return err
}

func (s *Service) applyRefund(tx core.App, r *core.Record) error {
	pay, err := tx.FindRecordById("payments", r.GetString("payment"))
	if err != nil {
		return err
	}
	refunded := pay.GetInt("refunded_amount") + r.GetInt("amount")
	pay.Set("refunded_amount", refunded)
	whole := refunded >= pay.GetInt("amount")
	pay.Set("status", map[bool]string{true: PaymentRefunded, false: PaymentPartiallyRefunded}[whole])
	if err := tx.Save(pay); err != nil {
		return err
	}
	if id := pay.GetString("booking"); id != "" {
		if b, err := tx.FindRecordById("bookings", id); err == nil {
			b.Set("payment_status", map[bool]string{true: "refunded", false: "partially_refunded"}[whole])
			if err := tx.Save(b); err != nil {
				return err
			}
		}
	}
	n := r.GetInt("credits")
	if whole { // all that was paid is back: so are the lessons left
		n = math.MaxInt
	}
	if n > 0 && pay.GetString("purchase") != "" {
		if err := credits.TakeBack(tx, pay.GetString("purchase"), n, r.Id, whole); err != nil {
			return err
		}
	}
	_, err = s.issueInvoice(tx, pay, r)
	return err
}

// RetryRefunds processes the refunds still pending (a job): those the
// provider refused for now, once their backoff has passed, and any a crash
// left behind.
func (s *Service) RetryRefunds(app core.App, now time.Time) error {
	pending, err := app.FindRecordsByFilter("refunds", "status = 'pending' && updated <= {:before}", "updated", 50, 0,
		dbx.Params{"before": platform.DBTime(now.Add(-time.Minute))})
	if err != nil {
		return err
	}
	var errs []error
	for _, r := range pending {
		if at, ok := refundRetry.Next(r.GetInt("attempts"), r.GetDateTime("updated").Time()); ok && r.GetInt("attempts") > 0 && at.After(now) {
			continue
		}
		if err := s.ProcessRefund(app, r, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// PolicyRefund records, in tx (the transaction of the cancel), the refund
// the school's policy owes for a cancelled pay-per-lesson lesson: in full
// when the tutor or the school cancels or the student cancels in time,
// late_cancel_refund_percent when the student cancels late; nil when none
// is owed. Credit lessons return their credit instead (see CancelBooking).
// Carry the refund out with ProcessRefund after the commit; the retry job
// does if the process stops first, so a cancel never loses its refund.
func PolicyRefund(tx core.App, b *core.Record, by billing.CancelActor) (*core.Record, error) {
	if b.GetString("payment_status") != "paid" {
		return nil, nil
	}
	pay, err := tx.FindFirstRecordByFilter("payments", "booking = {:b} && status = 'paid'", dbx.Params{"b": b.Id})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	school, err := platform.LoadSchool(tx)
	if err != nil {
		return nil, err
	}
	amount := billing.CancelRefund(int64(pay.GetInt("amount")), by, b.GetBool("late_cancel"), school.LateCancelRefundPercent)
	if amount <= 0 {
		return nil, nil
	}
	r, err := queueRefund(tx, pay, RefundRequest{Amount: amount, Booking: b.Id, Reason: "cancelled (" + by.String() + ")"})
	var rule *router.ApiError
	if errors.As(err, &rule) { // refunded already by hand, or more than is left
		tx.Logger().Warn("no policy refund", "booking", b.Id, "error", err)
		return nil, nil
	}
	return r, err
}

// ProcessRefunds carries out refunds recorded in a committed transaction;
// one the provider does not take yet stays pending for the retry job.
func (s *Service) ProcessRefunds(app core.App, refunds ...*core.Record) {
	for _, r := range refunds {
		if err := s.ProcessRefund(app, r, s.env.Now()); err != nil {
			app.Logger().Warn("refund not completed yet", "refund", r.Id, "error", err)
		}
	}
}
