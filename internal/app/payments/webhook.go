package payments

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"tutorbase/internal/billing"
	"tutorbase/internal/oneline"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// maxWebhookBody bounds a provider's event.
const maxWebhookBody = 1 << 20

// errDuplicateEvent ends the transaction of an event seen before.
var errDuplicateEvent = errors.New("duplicate provider event")

// Webhook receives the provider's events (Stripe's). The signature is
// checked on the raw body; every correctly signed event is recorded in
// stripe_events (by its id) in the same transaction as its effect, so a
// repeated delivery answers 200 and changes nothing. An event Tutorbase
// cannot use (an unknown, empty or malformed type, an object it cannot
// read) is recorded as ignored and acknowledged, so it is not retried for
// days; only our own write failing answers 500, and the provider retries.
// Effects only move forward, so events arriving out of order are harmless.
// A provider that sends no events (manual) has no webhook: 404.
func (s *Service) Webhook(e *core.RequestEvent) error {
	payload, err := io.ReadAll(io.LimitReader(e.Request.Body, maxWebhookBody+1))
	if err != nil || len(payload) > maxWebhookBody {
		return e.BadRequestError("Unreadable event.", nil)
	}
	ev, err := s.provider.VerifyWebhook(payload, e.Request.Header.Get("Stripe-Signature"))
	switch {
	case errors.Is(err, billing.ErrNoWebhook):
		return e.NotFoundError("", nil)
	case errors.Is(err, billing.ErrAPIVersion):
		e.App.Logger().Warn("webhook event of another API version: pin the endpoint to the version in docs/payments.md", "error", err)
		return e.BadRequestError("Unsupported API version.", nil)
	case err != nil:
		e.App.Logger().Warn("webhook refused", "error", err)
		return e.BadRequestError("Invalid signature.", nil)
	}
	err = e.App.RunInTransaction(func(tx core.App) error { return s.recordEvent(tx, ev) })
	switch {
	case errors.Is(err, errDuplicateEvent):
		return e.JSON(http.StatusOK, map[string]any{"received": true, "duplicate": true})
	case err != nil:
		e.App.Logger().Error("provider event failed", "event", ev.ID, "type", ev.Type, "error", err)
		return e.InternalServerError("The event could not be applied; the payment provider will retry it.", nil)
	}
	if ev.Kind == billing.EventIgnored {
		e.App.Logger().Info("provider event ignored", "event", ev.ID, "type", ev.Type, "reason", ev.Reason)
		return e.JSON(http.StatusOK, map[string]any{"received": true, "ignored": true})
	}
	return e.JSON(http.StatusOK, map[string]any{"received": true})
}

// recordEvent records ev in stripe_events and applies its effect, in tx.
func (s *Service) recordEvent(tx core.App, ev billing.Event) error {
	n, err := tx.CountRecords("stripe_events", dbx.HashExp{"event_id": ev.ID})
	if err != nil {
		return err
	}
	if n > 0 {
		return errDuplicateEvent
	}
	col, err := tx.FindCachedCollectionByNameOrId("stripe_events")
	if err != nil {
		return err
	}
	outcome := migrations.StripeEventApplied
	if ev.Kind == billing.EventIgnored {
		outcome = migrations.StripeEventIgnored
	}
	rec := core.NewRecord(col)
	rec.Load(map[string]any{"event_id": ev.ID, "type": oneline.Truncate(strings.ToValidUTF8(ev.Type, ""), 255), "outcome": outcome,
		"reason": ev.Reason, "processed_at": s.env.Now()})
	if err := tx.Save(rec); err != nil {
		return err
	}
	if fn := s.handlers[ev.Kind]; fn != nil {
		return fn(tx, ev)
	}
	switch ev.Kind {
	case billing.EventCheckoutPaid, billing.EventCheckoutFailed, billing.EventCheckoutExpired:
		return s.applyCheckout(tx, ev)
	case billing.EventChargeRefunded:
		return s.applyChargeRefunded(tx, ev)
	case billing.EventRefundUpdated:
		return s.applyRefundUpdated(tx, ev)
	}
	return nil // ignored, or a completed checkout still waiting for its payment
}

// checkoutPayment finds our payment behind a provider's checkout: by the
// payment id it carried, else by the checkout's id.
func checkoutPayment(tx core.App, ev billing.Event) (*core.Record, error) {
	if ev.Payment != "" {
		if p, err := tx.FindRecordById("payments", ev.Payment); err == nil {
			return p, nil
		}
	}
	return tx.FindFirstRecordByData("payments", "checkout_session", ev.Session)
}

func (s *Service) applyCheckout(tx core.App, ev billing.Event) error {
	pay, err := checkoutPayment(tx, ev)
	if err != nil {
		tx.Logger().Warn("a checkout for an unknown payment", "session", ev.Session)
		return nil // not ours (another app on the same account): acknowledge
	}
	if ev.Kind == billing.EventCheckoutPaid {
		if st := pay.GetString("status"); st == PaymentPaid || st == PaymentRefunded || st == PaymentPartiallyRefunded {
			return nil
		}
		if err := s.RecordPayment(tx, pay, Paid{Provider: s.provider.Name(), Method: "card", ProviderID: ev.PaidID, Amount: ev.Amount, At: ev.Created}); err != nil {
			return err
		}
		s.paymentReceived(tx, pay)
		return nil
	}
	if pay.GetString("status") != PaymentPending {
		return nil // paid already, or failed before: forward only
	}
	pay.Set("status", PaymentFailed)
	if err := tx.Save(pay); err != nil {
		return err
	}
	return releaseHeld(tx, pay, ev.Kind == billing.EventCheckoutExpired)
}

// releaseHeld ends what a failed or expired checkout held: its pending
// purchase (a lesson stays booked, unpaid).
func releaseHeld(tx core.App, pay *core.Record, expired bool) error {
	id := pay.GetString("purchase")
	if id == "" {
		return nil
	}
	p, err := tx.FindRecordById("purchases", id)
	if err != nil || p.GetString("status") != "pending" {
		return err
	}
	p.Set("status", map[bool]string{true: "expired", false: "cancelled"}[expired])
	return tx.Save(p)
}

// applyChargeRefunded records refunds made outside Tutorbase (in the
// provider's dashboard): whatever the payment says was refunded beyond what
// our refunds account for becomes a refund record with its credit note.
func (s *Service) applyChargeRefunded(tx core.App, ev billing.Event) error {
	if ev.ChargePayment == "" {
		return nil // a charge outside any payment of ours
	}
	pay, err := tx.FindFirstRecordByData("payments", "provider_id", ev.ChargePayment)
	if err != nil {
		return nil // not ours
	}
	var known int64
	if err := tx.DB().Select("COALESCE(SUM(amount), 0)").From("refunds").
		Where(dbx.NewExp("payment = {:p} AND status != 'failed'", dbx.Params{"p": pay.Id})).Row(&known); err != nil {
		return err
	}
	extra := ev.AmountRefunded - known
	if extra <= 0 {
		return nil // our own refunds, or an older event
	}
	col, err := tx.FindCachedCollectionByNameOrId("refunds")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{
		"payment": pay.Id, "user": pay.GetString("user"), "booking": pay.GetString("booking"), "amount": extra,
		"currency": pay.GetString("currency"), "reason": "refunded in " + s.provider.Name(), "provider": s.provider.Name(), "status": RefundSucceeded,
	})
	if err := tx.Save(r); err != nil {
		return err
	}
	return s.applyRefund(tx, r)
}

// applyRefundUpdated settles a refund the provider reported as pending.
func (s *Service) applyRefundUpdated(tx core.App, ev billing.Event) error {
	r, err := tx.FindFirstRecordByData("refunds", "provider_id", ev.Refund)
	if err != nil || r.GetString("status") != RefundPending {
		return nil // not ours, or settled: forward only
	}
	switch ev.RefundStatus {
	case billing.RefundSucceeded:
		r.Set("status", RefundSucceeded)
		if err := tx.Save(r); err != nil {
			return err
		}
		return s.applyRefund(tx, r)
	case billing.RefundFailed:
		r.Set("status", RefundFailed)
		return tx.Save(r)
	}
	return nil
}
