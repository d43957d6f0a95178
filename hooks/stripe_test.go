package hooks_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/config"
	"tutorbase/testkit/stripemock"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

const webhookSecret = "whsec_test_tutorbase"

// stripeShop is a shop in Stripe mode, talking to a real stripe-mock.
func stripeShop(t *testing.T) *shop {
	mock := stripemock.Shared(t, config.RequireTestTools())
	cfg := hookstest.Config
	cfg.Stripe.SecretKey, cfg.Stripe.WebhookSecret, cfg.Stripe.APIBase = "sk_test_123", webhookSecret, mock
	app := cast.CloneWith(t, cfg)
	t.Cleanup(app.Cleanup)
	hookstest.NoRateLimits(app)
	srv := hookstest.Serve(t, app)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/packages/records", cast.Tokens[hookstest.Tutor2], map[string]any{
		"tutor": cast.Tutors[hookstest.Tutor2], "title": "Four lessons", "lessons": 4, "minutes": 60, "price": 20000,
		"discount_percent": 10, "status": "published", "valid_days": 30,
	})
	require.Equal(t, 200, res.Status, string(res.Body))
	return &shop{app: app, srv: srv, pkg: res.JSON()["id"].(string)}
}

// checkout starts a Stripe Checkout for the package; it returns the
// purchase and payment ids.
func (s *shop) checkout(t *testing.T) (string, string) {
	t.Helper()
	res := hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"package": s.pkg})
	require.Equal(t, 200, res.Status, string(res.Body))
	out := res.JSON()
	require.Contains(t, out["url"], "https://checkout.stripe.com/")
	return out["purchase"].(map[string]any)["id"].(string), out["payment"].(map[string]any)["id"].(string)
}

// event builds a Stripe event of type typ with data object obj.
func event(id, typ string, obj map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": stripe.APIVersion, "created": time.Now().Unix(), "type": typ,
		"data": map[string]any{"object": obj}, "livemode": false, "pending_webhooks": 1,
	})
	return b
}

func sessionObj(purchase, payment, status string) map[string]any {
	return map[string]any{
		"id": "cs_test_" + payment, "object": "checkout.session", "client_reference_id": purchase,
		"metadata":       map[string]any{"kind": "purchase", "reference": purchase, "payment": payment},
		"payment_status": status, "payment_intent": "pi_" + payment, "amount_total": 18000, "currency": "eur",
	}
}

// deliver posts a signed event (signed at ts) to the webhook.
func deliver(t *testing.T, srv *httptest.Server, payload []byte, ts time.Time, secret string) (int, string) {
	t.Helper()
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: ts})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/stripe/webhook", strings.NewReader(string(payload)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", signed.Header)
	res, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func status(t *testing.T, s *shop, collection, id string) string {
	t.Helper()
	r, err := s.app.FindRecordById(collection, id)
	require.NoError(t, err)
	return r.GetString("status")
}

func TestStripeCheckoutAndWebhook(t *testing.T) {
	t.Parallel()
	s := stripeShop(t)
	purchase, payment := s.checkout(t)
	paid := event("evt_paid_1", "checkout.session.completed", sessionObj(purchase, payment, "paid"))

	t.Run("bad, stale and missing signatures change nothing", func(t *testing.T) {
		code, _ := deliver(t, s.srv, paid, time.Now(), "whsec_wrong")
		require.Equal(t, 400, code)
		code, _ = deliver(t, s.srv, paid, time.Now().Add(-6*time.Minute), webhookSecret)
		require.Equal(t, 400, code, "older than 300 s")
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/stripe/webhook", "", map[string]any{"id": "evt_x"})
		require.Equal(t, 400, res.Status)
		tampered := []byte(strings.Replace(string(paid), `"amount_total":18000`, `"amount_total":1`, 1))
		sig := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: paid, Secret: webhookSecret, Timestamp: time.Now()})
		req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/api/stripe/webhook", strings.NewReader(string(tampered)))
		req.Header.Set("Stripe-Signature", sig.Header)
		r, err := s.srv.Client().Do(req)
		require.NoError(t, err)
		r.Body.Close()
		require.Equal(t, 400, r.StatusCode, "a body changed after signing")
		require.Equal(t, "pending", status(t, s, "purchases", purchase))
		require.Zero(t, countWhere(t, s.app, "stripe_events", dbx.NewExp("event_id LIKE 'evt_paid%'")))
	})

	t.Run("the same event ten times: one effect", func(t *testing.T) {
		for i := 0; i < 10; i++ {
			code, body := deliver(t, s.srv, paid, time.Now(), webhookSecret)
			require.Equal(t, 200, code, body)
		}
		require.Equal(t, "paid", status(t, s, "purchases", purchase))
		require.Equal(t, "paid", status(t, s, "payments", payment))
		pay, err := s.app.FindRecordById("payments", payment)
		require.NoError(t, err)
		require.Equal(t, "pi_"+payment, pay.GetString("provider_id"))
		require.EqualValues(t, 1, countWhere(t, s.app, "invoices", dbx.HashExp{"payment": payment}))
		require.EqualValues(t, 1, countWhere(t, s.app, "credit_ledger", dbx.HashExp{"purchase": purchase, "kind": "bought"}))
	})

	t.Run("an expiry arriving after the payment is harmless", func(t *testing.T) {
		code, _ := deliver(t, s.srv, event("evt_exp_1", "checkout.session.expired", sessionObj(purchase, payment, "unpaid")), time.Now(), webhookSecret)
		require.Equal(t, 200, code)
		require.Equal(t, "paid", status(t, s, "purchases", purchase))
	})

	t.Run("unknown event types are acknowledged and ignored", func(t *testing.T) {
		code, _ := deliver(t, s.srv, event("evt_other", "customer.created", map[string]any{"id": "cus_1", "object": "customer"}), time.Now(), webhookSecret)
		require.Equal(t, 200, code)
	})

	t.Run("an admin refund goes through Stripe and issues a credit note", func(t *testing.T) {
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/payments/"+payment+"/refund", cast.Tokens[hookstest.Admin], map[string]any{"amount": 4500, "reason": "one lesson back"})
		require.Equal(t, 200, res.Status, string(res.Body))
		r := res.JSON()
		require.Equal(t, "succeeded", r["status"])
		require.True(t, strings.HasPrefix(r["provider_id"].(string), "re_"), r["provider_id"])
		require.Equal(t, "partially_refunded", status(t, s, "payments", payment))
		require.EqualValues(t, 1, countWhere(t, s.app, "invoices", dbx.HashExp{"payment": payment, "kind": "credit_note"}))

		// Stripe then reports the charge refunded: nothing new
		charge := map[string]any{"id": "ch_1", "object": "charge", "payment_intent": "pi_" + payment, "amount": 18000, "amount_refunded": 4500, "refunded": false}
		code, _ := deliver(t, s.srv, event("evt_ch_1", "charge.refunded", charge), time.Now(), webhookSecret)
		require.Equal(t, 200, code)
		require.EqualValues(t, 1, countWhere(t, s.app, "refunds", dbx.HashExp{"payment": payment}))

		// a refund made in Stripe's dashboard is recorded with its credit note
		charge["amount_refunded"] = 6500
		code, _ = deliver(t, s.srv, event("evt_ch_2", "charge.refunded", charge), time.Now(), webhookSecret)
		require.Equal(t, 200, code)
		require.EqualValues(t, 2, countWhere(t, s.app, "refunds", dbx.HashExp{"payment": payment}))
		pay, err := s.app.FindRecordById("payments", payment)
		require.NoError(t, err)
		require.Equal(t, 6500, pay.GetInt("refunded_amount"))
		require.EqualValues(t, 2, countWhere(t, s.app, "invoices", dbx.HashExp{"payment": payment, "kind": "credit_note"}))
	})
}

func TestStripeAsyncAndOutOfOrder(t *testing.T) {
	t.Parallel()
	s := stripeShop(t)

	t.Run("completed but unpaid waits for the async result", func(t *testing.T) {
		purchase, payment := s.checkout(t)
		code, _ := deliver(t, s.srv, event("evt_a1", "checkout.session.completed", sessionObj(purchase, payment, "unpaid")), time.Now(), webhookSecret)
		require.Equal(t, 200, code)
		require.Equal(t, "pending", status(t, s, "purchases", purchase))
		code, _ = deliver(t, s.srv, event("evt_a2", "checkout.session.async_payment_succeeded", sessionObj(purchase, payment, "paid")), time.Now(), webhookSecret)
		require.Equal(t, 200, code)
		require.Equal(t, "paid", status(t, s, "purchases", purchase))
	})

	t.Run("a failed async payment cancels the purchase; a late success still wins", func(t *testing.T) {
		purchase, payment := s.checkout(t)
		code, _ := deliver(t, s.srv, event("evt_f1", "checkout.session.async_payment_failed", sessionObj(purchase, payment, "unpaid")), time.Now(), webhookSecret)
		require.Equal(t, 200, code)
		require.Equal(t, "cancelled", status(t, s, "purchases", purchase))
		require.Equal(t, "failed", status(t, s, "payments", payment))
	})

	t.Run("an expired session releases its purchase", func(t *testing.T) {
		purchase, payment := s.checkout(t)
		code, _ := deliver(t, s.srv, event("evt_e1", "checkout.session.expired", sessionObj(purchase, payment, "unpaid")), time.Now(), webhookSecret)
		require.Equal(t, 200, code)
		require.Equal(t, "expired", status(t, s, "purchases", purchase))
		// a payment that Stripe did take is never lost: it fulfils anyway
		code, _ = deliver(t, s.srv, event("evt_e2", "checkout.session.completed", sessionObj(purchase, payment, "paid")), time.Now(), webhookSecret)
		require.Equal(t, 200, code)
		require.Equal(t, "paid", status(t, s, "payments", payment))
	})

	t.Run("ten concurrent deliveries of one event: one effect", func(t *testing.T) {
		purchase, payment := s.checkout(t)
		ev := event("evt_c1", "checkout.session.completed", sessionObj(purchase, payment, "paid"))
		var wg sync.WaitGroup
		codes := make([]int, 10)
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i], _ = deliver(t, s.srv, ev, time.Now(), webhookSecret)
			}()
		}
		wg.Wait()
		for _, c := range codes {
			require.Equal(t, 200, c)
		}
		require.EqualValues(t, 1, countWhere(t, s.app, "invoices", dbx.HashExp{"payment": payment}))
		require.EqualValues(t, 1, countWhere(t, s.app, "credit_ledger", dbx.HashExp{"purchase": purchase, "kind": "bought"}))
		require.EqualValues(t, 1, countWhere(t, s.app, "stripe_events", dbx.HashExp{"event_id": "evt_c1"}))
	})
}

func TestWebhookOffInManualMode(t *testing.T) {
	t.Parallel()
	s := tests.ApiScenario{
		Name: "no Stripe, no webhook", Method: http.MethodPost, URL: "/api/stripe/webhook", Body: strings.NewReader(`{}`),
		ExpectedStatus: 404, ExpectedContent: []string{`"status":404`}, TestAppFactory: cast.Factory,
	}
	s.Test(t)
}
