package hooks

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"tutorbase/internal/billing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stripe/stripe-go/v76"
)

// maxWebhookBody bounds a Stripe event.
const maxWebhookBody = 1 << 20

// errDuplicateEvent ends the transaction of an event seen before.
var errDuplicateEvent = errors.New("duplicate stripe event")

func registerWebhook(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/stripe/webhook", webhookRoute)
		return se.Next()
	})
}

// webhookRoute receives Stripe's events. The signature is checked on the
// raw body; the event id goes into stripe_events in the same transaction as
// its effect, so a repeated delivery answers 200 and changes nothing; an
// effect that fails answers 500 and Stripe retries; effects only move
// forward, so events arriving out of order are harmless.
func webhookRoute(e *core.RequestEvent) error {
	svc := paymentsOf(e.App)
	if svc.stripe == nil {
		return e.NotFoundError("", nil)
	}
	payload, err := io.ReadAll(io.LimitReader(e.Request.Body, maxWebhookBody+1))
	if err != nil || len(payload) > maxWebhookBody {
		return e.BadRequestError("Unreadable event.", nil)
	}
	ev, err := billing.VerifyWebhook(payload, e.Request.Header.Get("Stripe-Signature"), svc.cfg.Stripe.WebhookSecret)
	if err != nil {
		e.App.Logger().Warn("stripe webhook refused", "error", err)
		return e.BadRequestError("Invalid signature.", nil)
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
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
		rec := core.NewRecord(col)
		rec.Load(map[string]any{"event_id": ev.ID, "type": string(ev.Type), "processed_at": time.Now()})
		if err := tx.Save(rec); err != nil {
			return err
		}
		return applyEvent(tx, ev)
	})
	switch {
	case errors.Is(err, errDuplicateEvent):
		return e.JSON(http.StatusOK, map[string]any{"received": true, "duplicate": true})
	case err != nil:
		e.App.Logger().Error("stripe event failed", "event", ev.ID, "type", ev.Type, "error", err)
		return e.InternalServerError("The event could not be applied; Stripe will retry.", nil)
	}
	return e.JSON(http.StatusOK, map[string]any{"received": true})
}

// applyEvent applies one verified event in tx, with the notifications it
// causes.
func applyEvent(tx core.App, ev stripe.Event) error {
	switch ev.Type {
	case "checkout.session.completed", "checkout.session.async_payment_succeeded",
		"checkout.session.async_payment_failed", "checkout.session.expired":
		var s stripe.CheckoutSession
		if err := json.Unmarshal(ev.Data.Raw, &s); err != nil {
			return err
		}
		return applySession(tx, string(ev.Type), &s, time.Unix(ev.Created, 0))
	case "charge.refunded":
		var c stripe.Charge
		if err := json.Unmarshal(ev.Data.Raw, &c); err != nil {
			return err
		}
		return applyChargeRefunded(tx, &c)
	case "refund.updated":
		var r stripe.Refund
		if err := json.Unmarshal(ev.Data.Raw, &r); err != nil {
			return err
		}
		return applyRefundUpdated(tx, &r)
	}
	tx.Logger().Info("stripe event ignored", "event", ev.ID, "type", ev.Type)
	return nil
}

// sessionPayment finds our payment behind a Checkout Session: by the
// payment id in its metadata, else by the session id.
func sessionPayment(tx core.App, s *stripe.CheckoutSession) (*core.Record, error) {
	if id := s.Metadata["payment"]; id != "" {
		if p, err := tx.FindRecordById("payments", id); err == nil {
			return p, nil
		}
	}
	return tx.FindFirstRecordByData("payments", "checkout_session", s.ID)
}

func applySession(tx core.App, typ string, s *stripe.CheckoutSession, at time.Time) error {
	pay, err := sessionPayment(tx, s)
	if err != nil {
		tx.Logger().Warn("stripe session for an unknown payment", "session", s.ID)
		return nil // not ours (another app on the same account): acknowledge
	}
	paid := typ == "checkout.session.async_payment_succeeded" ||
		(typ == "checkout.session.completed" && (s.PaymentStatus == stripe.CheckoutSessionPaymentStatusPaid ||
			s.PaymentStatus == stripe.CheckoutSessionPaymentStatusNoPaymentRequired))
	switch {
	case paid:
		providerID := s.ID
		if s.PaymentIntent != nil && s.PaymentIntent.ID != "" {
			providerID = s.PaymentIntent.ID
		}
		if pay.GetString("status") == PaymentPaid || pay.GetString("status") == PaymentRefunded || pay.GetString("status") == PaymentPartiallyRefunded {
			return nil
		}
		if err := RecordPayment(tx, pay, Paid{Provider: "stripe", Method: "card", ProviderID: providerID, Amount: s.AmountTotal, At: at}); err != nil {
			return err
		}
		paymentReceived(tx, pay)
		return nil
	case typ == "checkout.session.async_payment_failed" || typ == "checkout.session.expired":
		if pay.GetString("status") != PaymentPending {
			return nil // paid already, or failed before: forward only
		}
		pay.Set("status", PaymentFailed)
		if err := tx.Save(pay); err != nil {
			return err
		}
		return releaseHeld(tx, pay, typ)
	}
	return nil // completed but unpaid: wait for the async result
}

// releaseHeld ends what a failed or expired checkout held: its pending
// purchase (a lesson stays booked, unpaid).
func releaseHeld(tx core.App, pay *core.Record, typ string) error {
	id := pay.GetString("purchase")
	if id == "" {
		return nil
	}
	p, err := tx.FindRecordById("purchases", id)
	if err != nil || p.GetString("status") != "pending" {
		return err
	}
	p.Set("status", map[bool]string{true: "expired", false: "cancelled"}[strings.HasSuffix(typ, "expired")])
	return tx.Save(p)
}

// applyChargeRefunded records refunds made outside Tutorbase (in Stripe's
// dashboard): whatever the charge says was refunded beyond what our refunds
// account for becomes a refund record with its credit note.
func applyChargeRefunded(tx core.App, c *stripe.Charge) error {
	if c.PaymentIntent == nil {
		return nil
	}
	pay, err := tx.FindFirstRecordByData("payments", "provider_id", c.PaymentIntent.ID)
	if err != nil {
		return nil // not ours
	}
	var known int64
	if err := tx.DB().Select("COALESCE(SUM(amount), 0)").From("refunds").
		Where(dbx.NewExp("payment = {:p} AND status != 'failed'", dbx.Params{"p": pay.Id})).Row(&known); err != nil {
		return err
	}
	extra := c.AmountRefunded - known
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
		"currency": pay.GetString("currency"), "reason": "refunded in Stripe", "provider": "stripe", "status": RefundSucceeded,
	})
	if err := tx.Save(r); err != nil {
		return err
	}
	return applyRefund(tx, r)
}

// applyRefundUpdated settles a refund Stripe reported as pending.
func applyRefundUpdated(tx core.App, sr *stripe.Refund) error {
	r, err := tx.FindFirstRecordByData("refunds", "provider_id", sr.ID)
	if err != nil || r.GetString("status") != RefundPending {
		return nil // not ours, or settled: forward only
	}
	switch sr.Status {
	case stripe.RefundStatusSucceeded:
		r.Set("status", RefundSucceeded)
		if err := tx.Save(r); err != nil {
			return err
		}
		return applyRefund(tx, r)
	case stripe.RefundStatusFailed, stripe.RefundStatusCanceled:
		r.Set("status", RefundFailed)
		return tx.Save(r)
	}
	return nil
}
