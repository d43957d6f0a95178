package hooks_test

import (
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// cardPaidLesson books a pay-per-lesson lesson with the second tutor and
// pays it by card (Stripe Checkout and its webhook); it returns the lesson
// and its payment.
func cardPaidLesson(t *testing.T, s *shop, days, hour int) (string, string) {
	t.Helper()
	start, end := romeSlot(days, hour, 0, 60)
	res := hookstest.Call(t, s.srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
	require.Equal(t, 200, res.Status, string(res.Body))
	lesson := res.JSON()["id"].(string)
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"booking": lesson})
	require.Equal(t, 200, res.Status, string(res.Body))
	payment := res.JSON()["payment"].(map[string]any)["id"].(string)
	obj := sessionObj(lesson, payment, "paid")
	obj["amount_total"] = 4000
	code, body := deliver(t, s.srv, event("evt_paid_"+payment, "checkout.session.completed", obj), time.Now(), webhookSecret)
	require.Equal(t, 200, code, body)
	b, err := s.app.FindRecordById("bookings", lesson)
	require.NoError(t, err)
	require.Equal(t, "paid", b.GetString("payment_status"))
	return lesson, payment
}

func refundsOf(t *testing.T, app core.App, payment string) []*core.Record {
	t.Helper()
	list, err := app.FindAllRecords("refunds", dbx.HashExp{"payment": payment})
	require.NoError(t, err)
	return list
}

// A tutor's cancel of a card-paid lesson owes a full refund: while Stripe
// is down the cancel still goes through and the refund waits for the job;
// a refund staff already asked for is not made twice.
func TestCancelRefundsWhenStripeIsDown(t *testing.T) {
	t.Parallel()
	s, stripe, _ := flakyShop(t)
	cancel := func(lesson string) hookstest.Response {
		return hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+lesson+"/cancel", cast.Tokens[hookstest.Tutor2], map[string]any{"reason": "ill"})
	}

	t.Run("the cancel stands, the refund is retried", func(t *testing.T) {
		lesson, payment := cardPaidLesson(t, s, 4, 10)
		stripe.set("down")
		res := cancel(lesson)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, "cancelled", res.JSON()["status"])
		list := refundsOf(t, s.app, payment)
		require.Len(t, list, 1)
		require.Equal(t, "pending", list[0].GetString("status"))
		require.Equal(t, 4000, list[0].GetInt("amount"))
		require.Equal(t, 1, list[0].GetInt("attempts"))

		stripe.set("up")
		require.NoError(t, hookstest.ServicesOf(s.app).Payments.RetryRefunds(s.app, time.Now().Add(2*time.Minute)))
		require.Equal(t, "succeeded", refundOf(t, s.app, list[0].Id).GetString("status"))
		require.Equal(t, "refunded", status(t, s, "payments", payment))
	})

	t.Run("a refund staff asked for already is not made again", func(t *testing.T) {
		lesson, payment := cardPaidLesson(t, s, 4, 12)
		stripe.set("down")
		res := refund(t, s, payment, map[string]any{})
		require.Equal(t, http.StatusBadGateway, res.Status, "pending: %s", res.Body)
		res = cancel(lesson)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Len(t, refundsOf(t, s.app, payment), 1, "the cancel owes nothing more")
		stripe.set("up")
	})

	t.Run("a refund the bank declines at once is failed, the payment kept", func(t *testing.T) {
		_, payment := cardPaidLesson(t, s, 4, 14)
		stripe.set("failed")
		res := refund(t, s, payment, map[string]any{"amount": 1000})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, "failed", res.JSON()["status"])
		require.Equal(t, "paid", status(t, s, "payments", payment))
		require.Zero(t, countWhere(t, s.app, "invoices", dbx.HashExp{"payment": payment, "kind": "credit_note"}))
		stripe.set("up")
	})
}

// No refund is owed when the school keeps all of a late cancel, nor for a
// lesson marked paid without a payment (an import).
func TestCancelWithNothingToRefund(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	setSchool(t, s.app, map[string]any{"late_cancel_refund_percent": 0})
	allDay(t, s.app, hookstest.Tutor2)
	setTutor(hookstest.Tutor2, map[string]any{"min_notice_minutes": 0})(t, s.app, nil)
	res := hookstest.Call(t, s.srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student2],
		map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": soon(3 * time.Hour), "end": soon(4 * time.Hour)})
	require.Equal(t, 200, res.Status, string(res.Body))
	late := res.JSON()["id"].(string)
	require.Equal(t, 200, hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+late+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"}).Status)
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+late+"/cancel", cast.Tokens[hookstest.Student2], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, true, res.JSON()["late_cancel"])
	pay, err := s.app.FindFirstRecordByData("payments", "booking", late)
	require.NoError(t, err)
	require.Empty(t, refundsOf(t, s.app, pay.Id), "0% back for a late cancel")
	require.Equal(t, "paid", pay.GetString("status"))

	b, err := s.app.FindRecordById("bookings", cast.IDs["booking"])
	require.NoError(t, err)
	b.Set("payment_status", "paid") // imported as paid, with no payment record
	require.NoError(t, s.app.Save(b))
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+b.Id+"/cancel", cast.Tokens[hookstest.Tutor], map[string]any{"reason": "ill"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Zero(t, countWhere(t, s.app, "refunds", dbx.HashExp{"booking": b.Id}))
}

// refusedSafely checks that a request whose write failed on our side was
// refused without telling the client the internal error. (PocketBase
// answers a handler's plain error with a generic 400, not a 500.)
func refusedSafely(t *testing.T, res hookstest.Response) {
	t.Helper()
	require.GreaterOrEqual(t, res.Status, 400, string(res.Body))
	require.NotContains(t, string(res.Body), "disk full")
}

// Money moves only with its invoice: when the invoice cannot be written,
// a desk payment, a card payment and a refund all change nothing (refused;
// Stripe and the refund job retry), and go through once it can.
func TestNoPaymentWithoutItsInvoice(t *testing.T) {
	t.Parallel()
	s, _, payment := flakyShop(t)
	var broken atomic.Bool
	s.app.OnRecordCreate("invoices").BindFunc(func(e *core.RecordEvent) error {
		if broken.Load() {
			return errors.New("disk full")
		}
		return e.Next()
	})
	broken.Store(true)

	res := hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student2], map[string]any{"package": s.pkg})
	require.Equal(t, 200, res.Status, string(res.Body))
	purchase := res.JSON()["purchase"].(map[string]any)["id"].(string)
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/"+purchase+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"})
	refusedSafely(t, res)
	p, err := s.app.FindRecordById("purchases", purchase)
	require.NoError(t, err)
	require.Equal(t, "pending", p.GetString("status"))
	require.Zero(t, p.GetInt("credits_total"), "no credits without the invoice")

	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"package": s.pkg})
	require.Equal(t, 200, res.Status, string(res.Body))
	cardPurchase, cardPayment := res.JSON()["purchase"].(map[string]any)["id"].(string), res.JSON()["payment"].(map[string]any)["id"].(string)
	paid := event("evt_paid_"+cardPayment, "checkout.session.completed", sessionObj(cardPurchase, cardPayment, "paid"))
	code, body := deliver(t, s.srv, paid, time.Now(), webhookSecret)
	require.Equal(t, 500, code, body)
	require.Equal(t, "pending", status(t, s, "payments", cardPayment))

	res = refund(t, s, payment, map[string]any{"amount": 1000})
	refusedSafely(t, res)
	list := refundsOf(t, s.app, payment)
	require.Len(t, list, 1)
	require.Equal(t, "pending", list[0].GetString("status"), "recorded, not applied")
	pay, err := s.app.FindRecordById("payments", payment)
	require.NoError(t, err)
	require.Zero(t, pay.GetInt("refunded_amount"))

	broken.Store(false)
	code, body = deliver(t, s.srv, paid, time.Now(), webhookSecret)
	require.Equal(t, 200, code, "Stripe's retry applies it: %s", body)
	require.Equal(t, "paid", status(t, s, "payments", cardPayment))
	require.NoError(t, hookstest.ServicesOf(s.app).Payments.RetryRefunds(s.app, time.Now().Add(2*time.Minute)))
	require.Equal(t, "succeeded", refundOf(t, s.app, list[0].Id).GetString("status"))
	require.Equal(t, "partially_refunded", status(t, s, "payments", payment))
}

// An invoice whose PDF cannot be stored still stands; the download says
// it could not be rendered and the job reports it, until it can.
func TestInvoicePDFThatCannotBeStored(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	var broken atomic.Bool
	s.app.OnRecordUpdate("invoices").BindFunc(func(e *core.RecordEvent) error {
		if broken.Load() {
			return errors.New("storage unavailable")
		}
		return e.Next()
	})
	broken.Store(true)
	p := s.buy(t, hookstest.Student)
	pay, err := s.app.FindFirstRecordByData("payments", "purchase", p.Id)
	require.NoError(t, err)
	require.Equal(t, "paid", pay.GetString("status"))
	inv, err := s.app.FindRecordById("invoices", pay.GetString("invoice"))
	require.NoError(t, err)
	require.Empty(t, inv.GetString("pdf"))

	res := hookstest.Call(t, s.srv, http.MethodGet, "/api/invoices/"+inv.Id+"/pdf", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 500, res.Status)
	require.Contains(t, string(res.Body), "The invoice could not be rendered.")
	require.Error(t, hookstest.ServicesOf(s.app).Payments.RenderMissingPDFs(s.app, time.Now().Add(2*time.Minute)))

	broken.Store(false)
	require.NoError(t, hookstest.ServicesOf(s.app).Payments.RenderMissingPDFs(s.app, time.Now().Add(2*time.Minute)))
	res = hookstest.Call(t, s.srv, http.MethodGet, "/api/invoices/"+inv.Id+"/pdf", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status)
}

// A checkout whose payment cannot be written is refused and leaves no
// purchase behind.
func TestCheckoutWritesAllOrNothing(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	s.app.OnRecordCreate("payments").BindFunc(func(*core.RecordEvent) error { return errors.New("disk full") })
	before := countWhere(t, s.app, "purchases", nil)
	res := hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"package": s.pkg})
	refusedSafely(t, res)
	require.Equal(t, before, countWhere(t, s.app, "purchases", nil), "the purchase rolled back with its payment")
}
