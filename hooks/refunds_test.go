package hooks_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/config"
	"tutorbase/testkit/stripemock"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// flakyStripe stands between the app and stripe-mock: up, it passes every
// call through; down, it answers 503 as Stripe does in an outage; in
// pending mode it answers refunds as Stripe does for a refund that settles
// later (status pending, the outcome coming by webhook), in failed mode as
// for a refund the bank declined.
type flakyStripe struct {
	mu      sync.Mutex
	mode    string   // "up", "down", "pending" or "failed"
	refunds int      // refund calls that reached Stripe
	keys    []string // their idempotency keys
}

func (f *flakyStripe) set(mode string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.mode = mode
}

func (f *flakyStripe) refundCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refunds
}

func (f *flakyStripe) refundKeys() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.keys...)
}

func (f *flakyStripe) server(t *testing.T, mock string) *httptest.Server {
	target, err := url.Parse(mock)
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		mode := f.mode
		refund := r.Method == http.MethodPost && r.URL.Path == "/v1/refunds"
		if refund && mode != "down" {
			f.refunds++
			f.keys = append(f.keys, r.Header.Get("Idempotency-Key"))
		}
		f.mu.Unlock()
		switch {
		case mode == "down":
			w.Header().Set("Stripe-Should-Retry", "false") // no client-side retries: the job retries
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"error":{"type":"api_error","message":"Stripe is unavailable."}}`))
		case (mode == "pending" || mode == "failed") && refund:
			_ = r.ParseForm()
			amount, _ := strconv.Atoi(r.Form.Get("amount"))
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"id": "re_" + mode + "_" + strconv.Itoa(f.refundCalls()), "object": "refund",
				"status": mode, "amount": amount, "currency": "eur", "payment_intent": r.Form.Get("payment_intent")})
		default:
			proxy.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// flakyShop is a shop in Stripe mode behind a flakyStripe, with one
// package bought by card (its payment id returned).
func flakyShop(t *testing.T) (*shop, *flakyStripe, string) {
	t.Helper()
	f := &flakyStripe{mode: "up"}
	front := f.server(t, stripemock.Shared(t, config.RequireTestTools()))
	cfg := hookstest.Config
	cfg.Stripe.SecretKey, cfg.Stripe.WebhookSecret, cfg.Stripe.APIBase = "sk_test_123", webhookSecret, front.URL
	app := cast.CloneWith(t, cfg)
	t.Cleanup(app.Cleanup)
	hookstest.NoRateLimits(app)
	srv := hookstest.Serve(t, app)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/packages/records", cast.Tokens[hookstest.Tutor2], map[string]any{
		"tutor": cast.Tutors[hookstest.Tutor2], "title": "Four lessons", "lessons": 4, "minutes": 60, "price": 20000,
		"discount_percent": 10, "status": "published", "valid_days": 30,
	})
	require.Equal(t, 200, res.Status, string(res.Body))
	s := &shop{app: app, srv: srv, pkg: res.JSON()["id"].(string)}
	purchase, payment := s.checkout(t)
	code, body := deliver(t, srv, event("evt_paid_"+payment, "checkout.session.completed", sessionObj(purchase, payment, "paid")), time.Now(), webhookSecret)
	require.Equal(t, 200, code, body)
	require.Equal(t, "paid", status(t, s, "payments", payment))
	return s, f, payment
}

func refundOf(t *testing.T, app core.App, id string) *core.Record {
	t.Helper()
	r, err := app.FindRecordById("refunds", id)
	require.NoError(t, err)
	return r
}

func refund(t *testing.T, s *shop, payment string, body map[string]any) hookstest.Response {
	t.Helper()
	return hookstest.Call(t, s.srv, http.MethodPost, "/api/payments/"+payment+"/refund", cast.Tokens[hookstest.Admin], body)
}

// A refund Stripe cannot take now is recorded and retried by the job with
// backoff until Stripe answers; one it never takes ends failed, and the
// payment is untouched meanwhile.
func TestRefundRetriedWhileStripeIsDown(t *testing.T) {
	t.Parallel()
	s, stripe, payment := flakyShop(t)
	retry := func(at time.Time) error { return hookstest.ServicesOf(s.app).Payments.RetryRefunds(s.app, at) }
	creditNotes := func() int64 {
		return countWhere(t, s.app, "invoices", dbx.HashExp{"payment": payment, "kind": "credit_note"})
	}

	stripe.set("down")
	res := refund(t, s, payment, map[string]any{"amount": 4500, "reason": "one lesson back"})
	require.Equal(t, http.StatusBadGateway, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), "Il rimborso è registrato; il servizio di pagamento non ha risposto e si riproverà.") // the cast speaks the school's language (Italian)
	list, err := s.app.FindAllRecords("refunds", dbx.HashExp{"payment": payment})
	require.NoError(t, err)
	require.Len(t, list, 1)
	id := list[0].Id
	r := refundOf(t, s.app, id)
	require.Equal(t, "pending", r.GetString("status"))
	require.Equal(t, 1, r.GetInt("attempts"))
	require.Contains(t, r.GetString("last_error"), "Stripe is unavailable")
	require.Equal(t, "paid", status(t, s, "payments", payment), "nothing is refunded yet")
	require.Zero(t, creditNotes())

	over := refund(t, s, payment, map[string]any{"amount": 18000 - 4500 + 1})
	require.Equal(t, 400, over.Status, "the pending refund counts against what is left")
	require.Contains(t, string(over.Body), `"amount":{"code":"too_much"`)

	t0 := time.Now()
	require.NoError(t, retry(t0.Add(30*time.Second)), "under a minute old: not yet")
	require.Error(t, retry(t0.Add(2*time.Minute)), "the job reports Stripe still down")
	require.Equal(t, 2, refundOf(t, s.app, id).GetInt("attempts"))
	require.NoError(t, retry(t0.Add(3*time.Minute)), "the next try waits five minutes")
	require.Equal(t, 2, refundOf(t, s.app, id).GetInt("attempts"))

	stripe.set("up")
	require.NoError(t, retry(time.Now().Add(6*time.Minute)))
	r = refundOf(t, s.app, id)
	require.Equal(t, "succeeded", r.GetString("status"))
	require.True(t, strings.HasPrefix(r.GetString("provider_id"), "re_"), r.GetString("provider_id"))
	require.Equal(t, "partially_refunded", status(t, s, "payments", payment))
	require.EqualValues(t, 1, creditNotes())
	require.EqualValues(t, 1, countWhere(t, s.app, "notifications", dbx.HashExp{"user": cast.Users[hookstest.Student], "kind": "refund"}))
	require.NoError(t, retry(time.Now().Add(time.Hour)), "settled: nothing more to do")
	require.Equal(t, 1, stripe.refundCalls(), "one refund reached Stripe")

	t.Run("a refund Stripe never takes ends failed", func(t *testing.T) {
		stripe.set("down")
		res := refund(t, s, payment, map[string]any{"amount": 1000})
		require.Equal(t, http.StatusBadGateway, res.Status)
		pending, err := s.app.FindFirstRecordByFilter("refunds", "payment = {:p} && status = 'pending'", dbx.Params{"p": payment})
		require.NoError(t, err)
		at := time.Now()
		for i := 0; i < 8; i++ {
			at = at.Add(5 * time.Hour) // past every backoff
			_ = retry(at)
		}
		r := refundOf(t, s.app, pending.Id)
		require.Equal(t, "failed", r.GetString("status"))
		require.Equal(t, 6, r.GetInt("attempts"))
		pay, err := s.app.FindRecordById("payments", payment)
		require.NoError(t, err)
		require.Equal(t, 4500, pay.GetInt("refunded_amount"), "a failed refund gives nothing back")
		require.EqualValues(t, 1, creditNotes())
	})
}

// A refund Stripe settles later stays pending until its refund.updated
// event: succeeded applies it once, failed frees the amount again.
func TestRefundSettledByStripeEvent(t *testing.T) {
	t.Parallel()
	s, stripe, payment := flakyShop(t)
	stripe.set("pending")
	refundEvent := func(id, refundID, st string) (int, string) {
		return deliver(t, s.srv, event(id, "refund.updated", map[string]any{"id": refundID, "object": "refund", "status": st, "amount": 4500}),
			time.Now(), webhookSecret)
	}

	res := refund(t, s, payment, map[string]any{"amount": 4500})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "pending", res.JSON()["status"])
	id, rid := res.JSON()["id"].(string), res.JSON()["provider_id"].(string)
	require.True(t, strings.HasPrefix(rid, "re_pending_"), rid)
	require.Equal(t, "paid", status(t, s, "payments", payment))

	code, body := refundEvent("evt_ru_unknown", "re_somebody_else", "succeeded")
	require.Equal(t, 200, code, body)
	require.Equal(t, "pending", refundOf(t, s.app, id).GetString("status"), "another account's refund changes nothing")

	code, body = refundEvent("evt_ru_1", rid, "succeeded")
	require.Equal(t, 200, code, body)
	require.Equal(t, "succeeded", refundOf(t, s.app, id).GetString("status"))
	require.Equal(t, "partially_refunded", status(t, s, "payments", payment))
	code, _ = refundEvent("evt_ru_2", rid, "failed")
	require.Equal(t, 200, code)
	require.Equal(t, "succeeded", refundOf(t, s.app, id).GetString("status"), "forward only")
	pay, err := s.app.FindRecordById("payments", payment)
	require.NoError(t, err)
	require.Equal(t, 4500, pay.GetInt("refunded_amount"), "applied once")
	require.EqualValues(t, 1, countWhere(t, s.app, "invoices", dbx.HashExp{"payment": payment, "kind": "credit_note"}))

	res = refund(t, s, payment, map[string]any{"amount": 13500})
	require.Equal(t, 200, res.Status, string(res.Body))
	second, rid2 := res.JSON()["id"].(string), res.JSON()["provider_id"].(string)
	code, _ = refundEvent("evt_ru_3", rid2, "failed")
	require.Equal(t, 200, code)
	require.Equal(t, "failed", refundOf(t, s.app, second).GetString("status"))
	pay, err = s.app.FindRecordById("payments", payment)
	require.NoError(t, err)
	require.Equal(t, "partially_refunded", pay.GetString("status"))
	require.Equal(t, 4500, pay.GetInt("refunded_amount"))
	code, _ = refundEvent("evt_ru_4", rid2, "pending")
	require.Equal(t, 200, code)
	require.Equal(t, "failed", refundOf(t, s.app, second).GetString("status"))

	stripe.set("up")
	res = refund(t, s, payment, map[string]any{"amount": 13500})
	require.Equal(t, 200, res.Status, "the failed refund's amount can be refunded again: %s", res.Body)
	require.Equal(t, "succeeded", res.JSON()["status"])
	require.Equal(t, "refunded", status(t, s, "payments", payment))
}

// In Stripe mode a payment taken at the desk is refunded at the desk (no
// Stripe call); a card payment of a school that has since switched Stripe
// off waits, pending, with the reason for staff.
func TestRefundGoesThroughThePaymentsOwnProvider(t *testing.T) {
	t.Parallel()
	s, stripe, _ := flakyShop(t)
	desk := cast.IDs["payment"] // the fixture's package, paid in cash
	res := refund(t, s, desk, map[string]any{"amount": 1000, "reason": "goodwill"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "succeeded", res.JSON()["status"])
	require.Equal(t, "manual", res.JSON()["provider"])
	require.Zero(t, stripe.refundCalls())

	manual := cast.Clone(t)
	t.Cleanup(manual.Cleanup)
	srv := hookstest.Serve(t, manual)
	pay, err := manual.FindRecordById("payments", desk)
	require.NoError(t, err)
	pay.Set("provider", "stripe")
	pay.Set("provider_id", "pi_from_before")
	require.NoError(t, manual.Save(pay))
	res = hookstest.Call(t, srv, http.MethodPost, "/api/payments/"+desk+"/refund", cast.Tokens[hookstest.Admin], map[string]any{"amount": 1000})
	require.Equal(t, http.StatusBadGateway, res.Status, string(res.Body))
	r, err := manual.FindFirstRecordByData("refunds", "payment", desk)
	require.NoError(t, err)
	require.Equal(t, "pending", r.GetString("status"))
	require.Equal(t, "stripe is not configured", r.GetString("last_error"))
}

// Staff's refund requests are checked before anything is written.
func TestRefundBadRequests(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	post := func(path string, body io.Reader) hookstest.Response {
		req, err := http.NewRequest(http.MethodPost, s.srv.URL+path, body)
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", cast.Tokens[hookstest.Admin])
		res, err := s.srv.Client().Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return hookstest.Response{Status: res.StatusCode, Body: b}
	}
	desk := "/api/payments/" + cast.IDs["payment"] + "/refund"

	res := post(desk, bytes.NewReader([]byte(`{"amount": "all of it"`)))
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), "Il corpo deve essere JSON") // the cast speaks the school's language (Italian)
	res = hookstest.Call(t, s.srv, http.MethodPost, desk, cast.Tokens[hookstest.Admin], map[string]any{"amount": 100, "reason": strings.Repeat("é", 501)})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"reason":{"code":"validation_max_text_constraint"`)
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/payments/nosuchpayment00/refund", cast.Tokens[hookstest.Admin], map[string]any{"amount": 100})
	require.Equal(t, 404, res.Status)

	// a payment not taken yet cannot be refunded
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"package": s.pkg})
	require.Equal(t, 200, res.Status, string(res.Body))
	pending := res.JSON()["payment"].(map[string]any)["id"].(string)
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/payments/"+pending+"/refund", cast.Tokens[hookstest.Admin], map[string]any{"amount": 100})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"payment":{"code":"bad_state"`)
	require.Zero(t, countWhere(t, s.app, "refunds", nil))
}

// A refund of a chosen amount gives money back, not the package's lessons:
// the student keeps their unused credits, until a refund returns all that
// was paid, which takes back what is left of the package.
func TestRefundOfAnAmountKeepsTheLessons(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	p := s.buy(t, hookstest.Student)
	pay, err := s.app.FindFirstRecordByData("payments", "purchase", p.Id)
	require.NoError(t, err)
	purchase := func() *core.Record {
		r, err := s.app.FindRecordById("purchases", p.Id)
		require.NoError(t, err)
		return r
	}

	res := refund(t, s, pay.Id, map[string]any{"amount": 1000, "reason": "goodwill"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "succeeded", res.JSON()["status"])
	require.EqualValues(t, 0, res.JSON()["credits"])
	require.Equal(t, "paid", purchase().GetString("status"))
	require.Equal(t, 4, creditsLeft(purchase()), "the four lessons stay")
	require.Equal(t, []string{"bought 4 4"}, ledger(t, s.app, p.Id))
	res = s.book(t, hookstest.Student, p.Id, 5, 15)
	require.Equal(t, 200, res.Status, "the package still pays for a lesson: %s", res.Body)

	res = refund(t, s, pay.Id, map[string]any{"amount": 17000, "reason": "closing the account"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "refunded", status(t, s, "payments", pay.Id))
	require.Equal(t, "refunded", purchase().GetString("status"), "all the money back: no lessons left either")
	require.Zero(t, creditsLeft(purchase()))
	lines := ledger(t, s.app, p.Id)
	require.Equal(t, "refunded -3 0", lines[len(lines)-1])
}

func creditsLeft(p *core.Record) int { return p.GetInt("credits_total") - p.GetInt("credits_used") }
