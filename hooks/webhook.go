package hooks

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"tutorbase/internal/billing"
	"tutorbase/migrations"

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
// raw body; every correctly signed event is recorded in stripe_events (by
// its id) in the same transaction as its effect, so a repeated delivery
// answers 200 and changes nothing. An event Tutorbase cannot use (an
// unknown, empty or malformed type, an object it cannot read) is recorded
// as ignored and acknowledged, so Stripe does not retry it for days; only
// our own write failing answers 500, and Stripe retries. Effects only move
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
	var se stripeEvent
	switch {
	case errors.Is(err, billing.ErrMalformedEvent):
		se = malformedEvent(payload)
	case errors.Is(err, billing.ErrAPIVersion):
		e.App.Logger().Warn("stripe webhook of another API version: pin the endpoint to "+billing.StripeAPIVersion, "error", err)
		return e.BadRequestError("Unsupported API version.", nil)
	case err != nil:
		e.App.Logger().Warn("stripe webhook refused", "error", err)
		return e.BadRequestError("Invalid signature.", nil)
	default:
		se = readEvent(ev, payload)
	}
	err = e.App.RunInTransaction(func(tx core.App) error { return recordEvent(tx, se) })
	switch {
	case errors.Is(err, errDuplicateEvent):
		return e.JSON(http.StatusOK, map[string]any{"received": true, "duplicate": true})
	case err != nil:
		e.App.Logger().Error("stripe event failed", "event", se.id, "type", se.typ, "error", err)
		return e.InternalServerError("The event could not be applied; Stripe will retry.", nil)
	}
	if se.effect == nil {
		e.App.Logger().Info("stripe event ignored", "event", se.id, "type", se.typ, "reason", se.reason)
		return e.JSON(http.StatusOK, map[string]any{"received": true, "ignored": true})
	}
	return e.JSON(http.StatusOK, map[string]any{"received": true})
}

// stripeEvent is a verified event as the webhook records it: its effect,
// or nil and why it is ignored.
type stripeEvent struct {
	id, typ, reason string
	effect          func(tx core.App) error
}

// recordEvent records se in stripe_events and applies its effect, in tx.
func recordEvent(tx core.App, se stripeEvent) error {
	n, err := tx.CountRecords("stripe_events", dbx.HashExp{"event_id": se.id})
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
	if se.effect == nil {
		outcome = migrations.StripeEventIgnored
	}
	rec := core.NewRecord(col)
	rec.Load(map[string]any{"event_id": se.id, "type": clip(se.typ, 255), "outcome": outcome, "reason": se.reason, "processed_at": time.Now()})
	if err := tx.Save(rec); err != nil {
		return err
	}
	if se.effect == nil {
		return nil
	}
	return se.effect(tx)
}

// malformedEvent is a signed body that is not an event: ignored, under its
// id when it has a usable one.
func malformedEvent(payload []byte) stripeEvent {
	se := stripeEvent{id: payloadID(payload), reason: "malformed event"}
	var head struct {
		ID any `json:"id"`
	}
	if json.Unmarshal(payload, &head) == nil {
		if id, ok := head.ID.(string); ok && id != "" && len(id) <= 255 {
			se.id = id
		}
	}
	return se
}

// payloadID names an event without a usable id by its body's hash.
func payloadID(payload []byte) string {
	sum := sha256.Sum256(payload)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// clip cuts s to at most n bytes of valid UTF-8.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// readEvent reads a verified event: the object of a type Tutorbase
// applies, decoded now so that an unreadable one is ignored rather than
// failing the transaction.
func readEvent(ev stripe.Event, payload []byte) stripeEvent {
	se := stripeEvent{id: ev.ID, typ: string(ev.Type)}
	if se.id == "" || len(se.id) > 255 {
		se.id, se.reason = payloadID(payload), "no usable event id"
		return se
	}
	if ev.Data == nil {
		se.reason = "no object"
		return se
	}
	raw, at := ev.Data.Raw, time.Unix(ev.Created, 0)
	unreadable := func(v any) bool {
		if err := json.Unmarshal(raw, v); err != nil {
			se.reason = "unreadable object"
			return true
		}
		return false
	}
	switch ev.Type {
	case "checkout.session.completed", "checkout.session.async_payment_succeeded",
		"checkout.session.async_payment_failed", "checkout.session.expired":
		var s stripe.CheckoutSession
		if !unreadable(&s) {
			se.effect = func(tx core.App) error { return applySession(tx, se.typ, &s, at) }
		}
	case "charge.refunded":
		var c stripe.Charge
		if !unreadable(&c) {
			se.effect = func(tx core.App) error { return applyChargeRefunded(tx, &c) }
		}
	case "refund.updated":
		var r stripe.Refund
		if !unreadable(&r) {
			se.effect = func(tx core.App) error { return applyRefundUpdated(tx, &r) }
		}
	case "":
		se.reason = "empty type"
	default:
		se.reason = "type not used by Tutorbase"
	}
	return se
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
