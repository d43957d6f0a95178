package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
	"github.com/stripe/stripe-go/v76/webhook"
)

// WebhookTolerance is how old a signed webhook may be.
const WebhookTolerance = 300 * time.Second

// StripeAPIVersion is the API version stripe-go v76 speaks; a school pins
// its webhook endpoint to it.
const StripeAPIVersion = stripe.APIVersion

// Stripe wraps the calls Tutorbase makes to Stripe: Checkout Sessions,
// refunds and Connect transfers, each with an idempotency key so a retry
// never charges, refunds or pays twice.
type Stripe struct {
	api *client.API
}

// NewStripe builds a client for key talking to base (Stripe's API, or
// stripe-mock in tests), with its own HTTP client and timeout.
func NewStripe(key, base string) *Stripe {
	cfg := &stripe.BackendConfig{
		URL:               stripe.String(strings.TrimRight(base, "/")),
		HTTPClient:        &http.Client{Timeout: 30 * time.Second},
		MaxNetworkRetries: stripe.Int64(2),
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelError},
	}
	return &Stripe{api: client.New(key, stripe.NewBackendsWithConfig(cfg))}
}

// CheckoutRequest is one payment through Stripe Checkout.
type CheckoutRequest struct {
	Reference   string // client_reference_id: our purchase or booking id
	Kind        string // metadata.kind: "purchase" or "booking"
	Payment     string // metadata.payment: our payments record id
	Description string
	Amount      int64
	Currency    string
	Email       string
	SuccessURL  string // may contain {CHECKOUT_SESSION_ID}
	CancelURL   string
	ExpiresAt   time.Time // zero: Stripe's default (24 h)
}

// Session is what Stripe answers for a new Checkout Session.
type Session struct{ ID, URL string }

// CreateCheckout creates a Checkout Session. The idempotency key is the
// payment id, so a retried request gets the same session back.
func (s *Stripe) CreateCheckout(ctx context.Context, r CheckoutRequest) (Session, error) {
	p := &stripe.CheckoutSessionParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModePayment)),
		ClientReferenceID: stripe.String(r.Reference),
		SuccessURL:        stripe.String(r.SuccessURL),
		CancelURL:         stripe.String(r.CancelURL),
		LineItems: []*stripe.CheckoutSessionLineItemParams{{
			Quantity: stripe.Int64(1),
			PriceData: &stripe.CheckoutSessionLineItemPriceDataParams{
				Currency:    stripe.String(strings.ToLower(r.Currency)),
				UnitAmount:  stripe.Int64(r.Amount),
				ProductData: &stripe.CheckoutSessionLineItemPriceDataProductDataParams{Name: stripe.String(r.Description)},
			},
		}},
		PaymentIntentData: &stripe.CheckoutSessionPaymentIntentDataParams{
			Metadata: map[string]string{"kind": r.Kind, "reference": r.Reference, "payment": r.Payment},
		},
	}
	if r.Email != "" {
		p.CustomerEmail = stripe.String(r.Email)
	}
	if !r.ExpiresAt.IsZero() {
		p.ExpiresAt = stripe.Int64(r.ExpiresAt.Unix())
	}
	p.AddMetadata("kind", r.Kind)
	p.AddMetadata("reference", r.Reference)
	p.AddMetadata("payment", r.Payment)
	p.SetIdempotencyKey("checkout-" + r.Payment)
	p.Context = ctx
	cs, err := s.api.CheckoutSessions.New(p)
	if err != nil {
		return Session{}, fmt.Errorf("stripe checkout: %w", err)
	}
	return Session{ID: cs.ID, URL: cs.URL}, nil
}

// Refund refunds amount of a PaymentIntent; key makes retries safe.
func (s *Stripe) Refund(ctx context.Context, paymentIntent string, amount int64, key string) (id, status string, err error) {
	p := &stripe.RefundParams{PaymentIntent: stripe.String(paymentIntent), Amount: stripe.Int64(amount)}
	p.SetIdempotencyKey(key)
	p.Context = ctx
	r, err := s.api.Refunds.New(p)
	if err != nil {
		return "", "", fmt.Errorf("stripe refund: %w", err)
	}
	return r.ID, string(r.Status), nil
}

// Transfer pays a tutor's connected account; key makes retries safe.
func (s *Stripe) Transfer(ctx context.Context, account string, amount int64, currency, group, key string) (string, error) {
	p := &stripe.TransferParams{
		Amount: stripe.Int64(amount), Currency: stripe.String(strings.ToLower(currency)),
		Destination: stripe.String(account), TransferGroup: stripe.String(group),
	}
	p.SetIdempotencyKey(key)
	p.Context = ctx
	t, err := s.api.Transfers.New(p)
	if err != nil {
		return "", fmt.Errorf("stripe transfer: %w", err)
	}
	return t.ID, nil
}

// Errors of VerifyWebhook.
var (
	// ErrBadSignature is a webhook whose signature is missing, wrong or
	// stale: not from Stripe.
	ErrBadSignature = errors.New("invalid stripe signature")
	// ErrMalformedEvent is a correctly signed body that does not decode as
	// a Stripe event (a type that is not a string, say).
	ErrMalformedEvent = errors.New("malformed stripe event")
	// ErrAPIVersion is a correctly signed event of another API version
	// than StripeAPIVersion: the endpoint is not pinned to it.
	ErrAPIVersion = errors.New("stripe event of another api version")
)

// VerifyWebhook checks the Stripe-Signature header against the raw body
// (tolerance 300 s), decodes the event and checks its API version.
func VerifyWebhook(payload []byte, header, secret string) (stripe.Event, error) {
	if err := webhook.ValidatePayloadWithTolerance(payload, header, secret, WebhookTolerance); err != nil {
		return stripe.Event{}, fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	var ev stripe.Event
	if err := json.Unmarshal(payload, &ev); err != nil {
		return stripe.Event{}, fmt.Errorf("%w: %v", ErrMalformedEvent, err)
	}
	if ev.APIVersion != StripeAPIVersion {
		return ev, fmt.Errorf("%w: %q, want %q", ErrAPIVersion, ev.APIVersion, StripeAPIVersion)
	}
	return ev, nil
}
