package stripe

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"tutorbase/internal/billing"
	"tutorbase/internal/config"
	"tutorbase/testkit/stripemock"

	"github.com/stripe/stripe-go/v76/webhook"
)

const secret = "whsec_test"

func sign(payload, key string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: []byte(payload), Secret: key, Timestamp: at}).Header
}

func TestVerifyWebhook(t *testing.T) {
	p := New("sk_test", "http://127.0.0.1:1", secret)
	event := func(typ, object string) string {
		return `{"id":"evt_1","type":"` + typ + `","created":1700000000,"api_version":"` + APIVersion + `","data":{"object":` + object + `}}`
	}
	tests := []struct {
		name    string
		payload string
		key     string
		at      time.Time
		wantErr error
		want    billing.Event
	}{
		{"a paid checkout", event("checkout.session.completed", `{"id":"cs_1","payment_status":"paid","amount_total":1800,"payment_intent":"pi_1","metadata":{"payment":"pay1"}}`), secret, time.Now(), nil,
			billing.Event{ID: "evt_1", Type: "checkout.session.completed", Kind: billing.EventCheckoutPaid, Session: "cs_1", Payment: "pay1", PaidID: "pi_1", Amount: 1800}},
		{"a completed checkout still unpaid", event("checkout.session.completed", `{"id":"cs_1","payment_status":"unpaid"}`), secret, time.Now(), nil,
			billing.Event{ID: "evt_1", Type: "checkout.session.completed", Kind: billing.EventCheckoutWaiting, Session: "cs_1", PaidID: "cs_1"}},
		{"an asynchronous payment succeeded", event("checkout.session.async_payment_succeeded", `{"id":"cs_2"}`), secret, time.Now(), nil,
			billing.Event{ID: "evt_1", Type: "checkout.session.async_payment_succeeded", Kind: billing.EventCheckoutPaid, Session: "cs_2", PaidID: "cs_2"}},
		{"an asynchronous payment failed", event("checkout.session.async_payment_failed", `{"id":"cs_3"}`), secret, time.Now(), nil,
			billing.Event{ID: "evt_1", Type: "checkout.session.async_payment_failed", Kind: billing.EventCheckoutFailed, Session: "cs_3", PaidID: "cs_3"}},
		{"an expired checkout", event("checkout.session.expired", `{"id":"cs_4"}`), secret, time.Now(), nil,
			billing.Event{ID: "evt_1", Type: "checkout.session.expired", Kind: billing.EventCheckoutExpired, Session: "cs_4", PaidID: "cs_4"}},
		{"a refunded charge", event("charge.refunded", `{"id":"ch_1","payment_intent":"pi_1","amount_refunded":500}`), secret, time.Now(), nil,
			billing.Event{ID: "evt_1", Type: "charge.refunded", Kind: billing.EventChargeRefunded, ChargePayment: "pi_1", AmountRefunded: 500}},
		{"a charge without a payment intent", event("charge.refunded", `{"id":"ch_1"}`), secret, time.Now(), nil,
			billing.Event{ID: "evt_1", Type: "charge.refunded", Kind: billing.EventChargeRefunded}},
		{"a refund settled", event("refund.updated", `{"id":"re_1","status":"succeeded"}`), secret, time.Now(), nil,
			billing.Event{ID: "evt_1", Type: "refund.updated", Kind: billing.EventRefundUpdated, Refund: "re_1", RefundStatus: billing.RefundSucceeded}},
		{"a refund cancelled", event("refund.updated", `{"id":"re_1","status":"canceled"}`), secret, time.Now(), nil,
			billing.Event{ID: "evt_1", Type: "refund.updated", Kind: billing.EventRefundUpdated, Refund: "re_1", RefundStatus: billing.RefundFailed}},
		{"an unreadable object", event("refund.updated", `{"id":42}`), secret, time.Now(), nil,
			billing.Event{ID: "evt_1", Type: "refund.updated", Reason: "unreadable object"}},
		{"an empty type is ignored", event("", `{}`), secret, time.Now(), nil, billing.Event{ID: "evt_1", Reason: "empty type"}},
		{"an unknown type is ignored", event("customer.created", `{}`), secret, time.Now(), nil,
			billing.Event{ID: "evt_1", Type: "customer.created", Reason: "type not used by Tutorbase"}},
		{"a type that is not a string is ignored", `{"id":"evt_5","type":42,"api_version":"` + APIVersion + `"}`, secret, time.Now(), nil,
			billing.Event{ID: "evt_5", Reason: "malformed event"}},
		{"another secret", `{"id":"evt_3"}`, "whsec_other", time.Now(), billing.ErrBadSignature, billing.Event{}},
		{"signed too long ago", `{"id":"evt_4"}`, secret, time.Now().Add(-10 * time.Minute), billing.ErrBadSignature, billing.Event{}},
		{"another API version", `{"id":"evt_6","type":"charge.refunded","api_version":"2020-08-27"}`, secret, time.Now(), billing.ErrAPIVersion, billing.Event{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.VerifyWebhook([]byte(tt.payload), sign(tt.payload, tt.key, tt.at))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.Created = time.Time{}
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}

	t.Run("a body that is not JSON is ignored under its hash", func(t *testing.T) {
		got, err := p.VerifyWebhook([]byte("evt"), sign("evt", secret, time.Now()))
		if err != nil || got.Kind != billing.EventIgnored || len(got.ID) != len("sha256:")+64 {
			t.Fatalf("got %+v, %v", got, err)
		}
	})
}

// The calls that move money, against stripe-mock.
func TestAgainstStripeMock(t *testing.T) {
	base := stripemock.Start(t, config.RequireTestTools())
	p := New("sk_test_123", base, secret)
	ctx := context.Background()

	s, err := p.Checkout(ctx, billing.CheckoutRequest{Reference: "pur1", Kind: "purchase", Payment: "pay1", Description: "Ten lessons",
		Amount: 18000, Currency: "EUR", Email: "a@example.com", SuccessURL: "http://x/ok", CancelURL: "http://x/no", ExpiresAt: time.Now().Add(time.Hour)})
	if err != nil || s.ID == "" || s.URL == "" {
		t.Fatalf("checkout: %+v, %v", s, err)
	}
	r, err := p.Refund(ctx, billing.RefundRequest{Payment: "pi_123", Amount: 500, Key: "refund-1"})
	if err != nil || r.ID == "" || r.Status == "" {
		t.Fatalf("refund: %+v, %v", r, err)
	}
	id, err := p.Transfer(ctx, billing.TransferRequest{Account: "acct_123", Amount: 3200, Currency: "EUR", Group: "payout-1", Key: "payout-1"})
	if err != nil || id == "" {
		t.Fatalf("transfer: %q, %v", id, err)
	}
	o, err := p.Onboard(ctx, billing.OnboardRequest{Tutor: "tut1", Email: "t@example.com", RefreshURL: "http://x/again", ReturnURL: "http://x/back"})
	if err != nil || !strings.HasPrefix(o.Account, "acct_") || o.URL == "" {
		t.Fatalf("onboard: %+v, %v", o, err)
	}
	if again, err := p.Onboard(ctx, billing.OnboardRequest{Account: o.Account, Tutor: "tut1", RefreshURL: "http://x/again", ReturnURL: "http://x/back"}); err != nil || again.Account != o.Account || again.URL == "" {
		t.Fatalf("onboard an existing account: %+v, %v", again, err)
	}
	if _, err := p.PayoutAccount(ctx, o.Account); err != nil {
		t.Fatalf("payout account: %v", err)
	}
	if p.Name() != "stripe" {
		t.Errorf("Name() = %q", p.Name())
	}
}
