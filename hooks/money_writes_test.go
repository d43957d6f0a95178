package hooks_test

import (
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// TestMoneyWritesAreAllOrNothing: when one write of a payment, a refund or
// a provider event fails, the whole change rolls back and is refused
// (Stripe retries its events, the job retries refunds), and a retry once
// the write works applies it exactly once, with the same idempotency key
// for Stripe.
func TestMoneyWritesAreAllOrNothing(t *testing.T) {
	t.Parallel()
	s, stripe, cardPayment := flakyShop(t)
	var failing atomic.Value // "<collection> create|update" that fails
	failing.Store("")
	for _, c := range []string{"payments", "refunds", "bookings", "purchases"} {
		s.app.OnRecordCreate(c).BindFunc(func(e *core.RecordEvent) error {
			if failing.Load() == c+" create" {
				return errors.New("disk full")
			}
			return e.Next()
		})
		s.app.OnRecordUpdate(c).BindFunc(func(e *core.RecordEvent) error {
			if failing.Load() == c+" update" {
				return errors.New("disk full")
			}
			return e.Next()
		})
	}
	breakWrites := func(t *testing.T, what string) {
		failing.Store(what)
		t.Cleanup(func() { failing.Store("") })
	}
	webhook := func(id, typ string, obj map[string]any) int {
		code, body := deliver(t, s.srv, event(id, typ, obj), time.Now(), webhookSecret)
		require.NotContains(t, body, "disk full")
		return code
	}
	packageCheckout := func(t *testing.T) (string, string) {
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"package": s.pkg})
		require.Equal(t, 200, res.Status, string(res.Body))
		return res.JSON()["purchase"].(map[string]any)["id"].(string), res.JSON()["payment"].(map[string]any)["id"].(string)
	}
	retryRefunds := func() error {
		return hookstest.ServicesOf(s.app).Payments.RetryRefunds(s.app, time.Now().Add(2*time.Minute))
	}

	t.Run("checkout events whose payment cannot be written", func(t *testing.T) {
		purchase, payment := packageCheckout(t)
		breakWrites(t, "payments update")
		require.Equal(t, 500, webhook("evt_aon_exp", "checkout.session.async_payment_failed", sessionObj(purchase, payment, "unpaid")))
		require.Equal(t, 500, webhook("evt_aon_paid1", "checkout.session.completed", sessionObj(purchase, payment, "paid")))
		require.Equal(t, "pending", status(t, s, "payments", payment))
		require.Equal(t, "pending", status(t, s, "purchases", purchase))
		failing.Store("")
		require.Equal(t, 200, webhook("evt_aon_paid1", "checkout.session.completed", sessionObj(purchase, payment, "paid")), "Stripe's retry")
		require.Equal(t, "paid", status(t, s, "purchases", purchase))
	})

	t.Run("a paid checkout whose credits cannot be granted", func(t *testing.T) {
		purchase, payment := packageCheckout(t)
		breakWrites(t, "purchases update")
		require.Equal(t, 500, webhook("evt_aon_paid2", "checkout.session.completed", sessionObj(purchase, payment, "paid")))
		require.Equal(t, "pending", status(t, s, "payments", payment), "no payment without its credits")
	})

	t.Run("a paid lesson whose booking cannot be written", func(t *testing.T) {
		start, end := romeSlot(6, 10, 0, 60)
		res := hookstest.Call(t, s.srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
		require.Equal(t, 200, res.Status, string(res.Body))
		lesson := res.JSON()["id"].(string)
		res = hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"booking": lesson})
		require.Equal(t, 200, res.Status, string(res.Body))
		payment := res.JSON()["payment"].(map[string]any)["id"].(string)
		breakWrites(t, "bookings update")
		require.Equal(t, 500, webhook("evt_aon_paid3", "checkout.session.completed", sessionObj(lesson, payment, "paid")))
		require.Equal(t, "pending", status(t, s, "payments", payment))
	})

	t.Run("a refund made in Stripe that cannot be recorded", func(t *testing.T) {
		breakWrites(t, "refunds create")
		charge := map[string]any{"id": "ch_aon", "object": "charge", "payment_intent": "pi_" + cardPayment, "amount": 18000, "amount_refunded": 1000}
		require.Equal(t, 500, webhook("evt_aon_charge", "charge.refunded", charge))
		require.Empty(t, refundsOf(t, s.app, cardPayment))
	})

	t.Run("a refund Stripe made that cannot be applied is retried with the same key", func(t *testing.T) {
		breakWrites(t, "payments update")
		res := refund(t, s, cardPayment, map[string]any{"amount": 1000})
		refusedSafely(t, res)
		list := refundsOf(t, s.app, cardPayment)
		require.Len(t, list, 1)
		require.Equal(t, "pending", list[0].GetString("status"))
		failing.Store("refunds update")
		require.Error(t, retryRefunds())
		require.Equal(t, "pending", refundOf(t, s.app, list[0].Id).GetString("status"))
		failing.Store("")
		require.NoError(t, retryRefunds())
		require.Equal(t, "succeeded", refundOf(t, s.app, list[0].Id).GetString("status"))
		pay, err := s.app.FindRecordById("payments", cardPayment)
		require.NoError(t, err)
		require.Equal(t, 1000, pay.GetInt("refunded_amount"), "applied once")
		keys := stripe.refundKeys()
		require.Len(t, keys, 3)
		require.Equal(t, "refund-"+list[0].Id, keys[0])
		require.Equal(t, keys[0], keys[1])
		require.Equal(t, keys[0], keys[2])
	})

	t.Run("a package refund whose credits cannot be taken back", func(t *testing.T) {
		breakWrites(t, "purchases update")
		res := refund(t, s, cardPayment, map[string]any{})
		refusedSafely(t, res)
		pay, err := s.app.FindRecordById("payments", cardPayment)
		require.NoError(t, err)
		require.Equal(t, 1000, pay.GetInt("refunded_amount"))
		purchase, err := s.app.FindRecordById("purchases", pay.GetString("purchase"))
		require.NoError(t, err)
		require.Zero(t, purchase.GetInt("credits_used"), "the credits stay with the student until the refund is applied")
	})

	t.Run("a settled refund event that cannot be written", func(t *testing.T) {
		lesson, payment := cardPaidLesson(t, s, 6, 15)
		stripe.set("pending")
		res := refund(t, s, payment, map[string]any{})
		stripe.set("up")
		require.Equal(t, 200, res.Status, string(res.Body))
		rid := res.JSON()["provider_id"].(string)
		breakWrites(t, "refunds update")
		require.Equal(t, 500, webhook("evt_aon_ru", "refund.updated", map[string]any{"id": rid, "object": "refund", "status": "succeeded"}))
		require.Equal(t, "pending", refundOf(t, s.app, res.JSON()["id"].(string)).GetString("status"))
		failing.Store("bookings update")
		require.Equal(t, 500, webhook("evt_aon_ru", "refund.updated", map[string]any{"id": rid, "object": "refund", "status": "succeeded"}))
		b, err := s.app.FindRecordById("bookings", lesson)
		require.NoError(t, err)
		require.Equal(t, "paid", b.GetString("payment_status"))
		failing.Store("")
		require.Equal(t, 200, webhook("evt_aon_ru", "refund.updated", map[string]any{"id": rid, "object": "refund", "status": "succeeded"}))
		b, err = s.app.FindRecordById("bookings", lesson)
		require.NoError(t, err)
		require.Equal(t, "refunded", b.GetString("payment_status"))
	})
}
