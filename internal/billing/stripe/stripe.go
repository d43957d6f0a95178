// Package stripe is the payment provider of a school in Stripe mode:
// Checkout for payments, the Refunds API, Connect transfers for payouts,
// and signed webhooks, through stripe-go (the API base is configurable, so
// tests talk to stripe-mock through this very code).
package stripe

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"tutorbase/internal/billing"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
	"github.com/stripe/stripe-go/v76/webhook"
)

// WebhookTolerance is how old a signed webhook may be.
const WebhookTolerance = 300 * time.Second

// APIVersion is the API version stripe-go v76 speaks; a school pins its
// webhook endpoint to it.
const APIVersion = stripego.APIVersion

// Provider calls Stripe with one account's secret key and reads events
// signed with its webhook secret.
type Provider struct {
	api    *client.API
	secret string
}

// New builds a provider for key talking to base (Stripe's API, or
// stripe-mock in tests), with its own HTTP client and timeout; secret signs
// the webhook's events.
func New(key, base, secret string) *Provider {
	cfg := &stripego.BackendConfig{
		URL:               stripego.String(strings.TrimRight(base, "/")),
		HTTPClient:        &http.Client{Timeout: 30 * time.Second},
		MaxNetworkRetries: stripego.Int64(2),
		LeveledLogger:     &stripego.LeveledLogger{Level: stripego.LevelError},
	}
	return &Provider{api: client.New(key, stripego.NewBackendsWithConfig(cfg)), secret: secret}
}

var _ billing.Provider = (*Provider)(nil)

// Name implements billing.Provider.
func (*Provider) Name() string { return "stripe" }

// Checkout implements billing.Provider with a Checkout Session. The
// idempotency key is the payment id, so a retried request gets the same
// session back.
func (s *Provider) Checkout(ctx context.Context, r billing.CheckoutRequest) (billing.Session, error) {
	meta := map[string]string{"kind": r.Kind, "reference": r.Reference, "payment": r.Payment}
	p := sessionParams(stripego.CheckoutSessionModePayment, r.Reference, r.SuccessURL, r.CancelURL, r.Email,
		priceData(r.Currency, r.Amount, r.Description))
	p.PaymentIntentData = &stripego.CheckoutSessionPaymentIntentDataParams{Metadata: meta}
	if !r.ExpiresAt.IsZero() {
		p.ExpiresAt = stripego.Int64(r.ExpiresAt.Unix())
	}
	return s.openSession(ctx, p, meta, "checkout-"+r.Payment)
}

// sessionParams are what a one-off and a subscription Checkout Session
// share: one line priced inline, our reference, the return addresses and
// the payer's email when we know it.
func sessionParams(mode stripego.CheckoutSessionMode, ref, successURL, cancelURL, email string, price *stripego.CheckoutSessionLineItemPriceDataParams) *stripego.CheckoutSessionParams {
	p := &stripego.CheckoutSessionParams{
		Mode:              stripego.String(string(mode)),
		ClientReferenceID: stripego.String(ref),
		SuccessURL:        stripego.String(successURL),
		CancelURL:         stripego.String(cancelURL),
		LineItems:         []*stripego.CheckoutSessionLineItemParams{{Quantity: stripego.Int64(1), PriceData: price}},
	}
	if email != "" {
		p.CustomerEmail = stripego.String(email)
	}
	return p
}

// priceData prices a Checkout line inline (no Price objects to keep in
// step with our packages and plans).
func priceData(currency string, amount int64, name string) *stripego.CheckoutSessionLineItemPriceDataParams {
	return &stripego.CheckoutSessionLineItemPriceDataParams{
		Currency:    stripego.String(strings.ToLower(currency)),
		UnitAmount:  stripego.Int64(amount),
		ProductData: &stripego.CheckoutSessionLineItemPriceDataProductDataParams{Name: stripego.String(name)},
	}
}

// openSession creates the Checkout Session with our metadata under an
// idempotency key, so a retried request gets the same session back.
func (s *Provider) openSession(ctx context.Context, p *stripego.CheckoutSessionParams, meta map[string]string, key string) (billing.Session, error) {
	for k, v := range meta {
		p.AddMetadata(k, v)
	}
	p.SetIdempotencyKey(key)
	p.Context = ctx
	cs, err := s.api.CheckoutSessions.New(p)
	if err != nil {
		return billing.Session{}, fmt.Errorf("stripe %s session: %w", *p.Mode, err)
	}
	return billing.Session{ID: cs.ID, URL: cs.URL}, nil
}

// Refund implements billing.Provider through the Refunds API.
func (s *Provider) Refund(ctx context.Context, r billing.RefundRequest) (billing.RefundResult, error) {
	p := &stripego.RefundParams{PaymentIntent: stripego.String(r.Payment), Amount: stripego.Int64(r.Amount)}
	p.SetIdempotencyKey(r.Key)
	p.Context = ctx
	ref, err := s.api.Refunds.New(p)
	if err != nil {
		return billing.RefundResult{}, fmt.Errorf("stripe refund: %w", err)
	}
	return billing.RefundResult{ID: ref.ID, Status: refundStatus(ref.Status)}, nil
}

// refundStatus maps Stripe's refund statuses to a provider's three.
func refundStatus(s stripego.RefundStatus) string {
	switch s {
	case stripego.RefundStatusSucceeded:
		return billing.RefundSucceeded
	case stripego.RefundStatusFailed, stripego.RefundStatusCanceled:
		return billing.RefundFailed
	}
	return billing.RefundPending
}

// Transfer implements billing.Provider with a Connect transfer.
func (s *Provider) Transfer(ctx context.Context, t billing.TransferRequest) (string, error) {
	p := &stripego.TransferParams{
		Amount: stripego.Int64(t.Amount), Currency: stripego.String(strings.ToLower(t.Currency)),
		Destination: stripego.String(t.Account), TransferGroup: stripego.String(t.Group),
	}
	p.SetIdempotencyKey(t.Key)
	p.Context = ctx
	tr, err := s.api.Transfers.New(p)
	if err != nil {
		return "", fmt.Errorf("stripe transfer: %w", err)
	}
	return tr.ID, nil
}

// Onboard implements billing.Provider with Connect Express: an Express
// account (created once per tutor: the idempotency key is the tutor's id)
// and an account link to Stripe's onboarding, which expires in minutes, so
// it is made each time the tutor asks.
func (s *Provider) Onboard(ctx context.Context, o billing.OnboardRequest) (billing.Onboarding, error) {
	account := o.Account
	if account == "" {
		p := &stripego.AccountParams{
			Type:         stripego.String(string(stripego.AccountTypeExpress)),
			Capabilities: &stripego.AccountCapabilitiesParams{Transfers: &stripego.AccountCapabilitiesTransfersParams{Requested: stripego.Bool(true)}},
		}
		if o.Email != "" {
			p.Email = stripego.String(o.Email)
		}
		p.AddMetadata("tutor", o.Tutor)
		p.SetIdempotencyKey("payout-account-" + o.Tutor)
		p.Context = ctx
		a, err := s.api.Accounts.New(p)
		if err != nil {
			return billing.Onboarding{}, fmt.Errorf("stripe account: %w", err)
		}
		account = a.ID
	}
	lp := &stripego.AccountLinkParams{
		Account: stripego.String(account), Type: stripego.String("account_onboarding"),
		RefreshURL: stripego.String(o.RefreshURL), ReturnURL: stripego.String(o.ReturnURL),
	}
	lp.Context = ctx
	link, err := s.api.AccountLinks.New(lp)
	if err != nil {
		return billing.Onboarding{Account: account}, fmt.Errorf("stripe account link: %w", err)
	}
	return billing.Onboarding{Account: account, URL: link.URL}, nil
}

// PayoutAccount implements billing.Provider by reading the account; no
// account ("") has nothing to read yet.
func (s *Provider) PayoutAccount(ctx context.Context, account string) (billing.AccountStatus, error) {
	if account == "" {
		return billing.AccountStatus{}, nil
	}
	p := &stripego.AccountParams{}
	p.Context = ctx
	a, err := s.api.Accounts.GetByID(account, p)
	if err != nil {
		return billing.AccountStatus{}, fmt.Errorf("stripe account: %w", err)
	}
	return billing.AccountStatus{DetailsSubmitted: a.DetailsSubmitted, PayoutsEnabled: a.PayoutsEnabled}, nil
}

// VerifyWebhook implements billing.Provider: it checks the Stripe-Signature
// header against the raw body (tolerance 300 s) and reads the event. A
// correctly signed body Tutorbase cannot use (not an event, an empty or
// unknown type, an object it cannot read, no id) is an EventIgnored with
// the reason, so it is acknowledged and never retried.
func (s *Provider) VerifyWebhook(payload []byte, header string) (billing.Event, error) {
	if err := webhook.ValidatePayloadWithTolerance(payload, header, s.secret, WebhookTolerance); err != nil {
		return billing.Event{}, fmt.Errorf("%w: %v", billing.ErrBadSignature, err)
	}
	var ev stripego.Event
	if err := json.Unmarshal(payload, &ev); err != nil {
		return malformed(payload), nil
	}
	if ev.APIVersion != APIVersion {
		return billing.Event{}, fmt.Errorf("%w: %q, want %q", billing.ErrAPIVersion, ev.APIVersion, APIVersion)
	}
	return read(ev, payload), nil
}

// malformed is a signed body that is not an event: ignored, under its id
// when it has a usable one.
func malformed(payload []byte) billing.Event {
	out := billing.Event{ID: payloadID(payload), Reason: "malformed event"}
	var head struct {
		ID any `json:"id"`
	}
	if json.Unmarshal(payload, &head) == nil {
		if id, ok := head.ID.(string); ok && id != "" && len(id) <= 255 {
			out.ID = id
		}
	}
	return out
}

// payloadID names an event without a usable id by its body's hash.
func payloadID(payload []byte) string {
	sum := sha256.Sum256(payload)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// read reads a verified event: the object of a type Tutorbase applies,
// decoded now so that an unreadable one is ignored.
func read(ev stripego.Event, payload []byte) billing.Event {
	out := billing.Event{ID: ev.ID, Type: string(ev.Type), Created: time.Unix(ev.Created, 0)}
	if out.ID == "" || len(out.ID) > 255 {
		out.ID, out.Reason = payloadID(payload), "no usable event id"
		return out
	}
	if ev.Data == nil {
		out.Reason = "no object"
		return out
	}
	var err error
	switch ev.Type {
	case "checkout.session.completed", "checkout.session.async_payment_succeeded",
		"checkout.session.async_payment_failed", "checkout.session.expired":
		err = readSession(&out, ev.Data.Raw)
	case "invoice.paid", "invoice.payment_failed", "customer.subscription.updated", "customer.subscription.deleted":
		err = readSubscriptionEvent(&out, ev.Data.Raw)
	case "charge.refunded":
		var c stripego.Charge
		if err = json.Unmarshal(ev.Data.Raw, &c); err == nil {
			out.Kind, out.AmountRefunded = billing.EventChargeRefunded, c.AmountRefunded
			if c.PaymentIntent != nil {
				out.ChargePayment = c.PaymentIntent.ID
			}
		}
	case "refund.updated":
		var r stripego.Refund
		if err = json.Unmarshal(ev.Data.Raw, &r); err == nil {
			out.Kind, out.Refund, out.RefundStatus = billing.EventRefundUpdated, r.ID, refundStatus(r.Status)
		}
	case "":
		out.Reason = "empty type"
	default:
		out.Reason = "type not used by Tutorbase"
	}
	if err != nil {
		out.Kind, out.Reason = billing.EventIgnored, "unreadable object"
	}
	return out
}

func readSession(out *billing.Event, raw json.RawMessage) error {
	var s stripego.CheckoutSession
	if err := json.Unmarshal(raw, &s); err != nil {
		return err
	}
	if s.Mode == stripego.CheckoutSessionModeSubscription {
		readSubscriptionCheckout(out, &s)
		return nil
	}
	out.Session, out.Payment, out.Amount, out.PaidID = s.ID, s.Metadata["payment"], s.AmountTotal, s.ID
	if s.PaymentIntent != nil && s.PaymentIntent.ID != "" {
		out.PaidID = s.PaymentIntent.ID
	}
	paid := s.PaymentStatus == stripego.CheckoutSessionPaymentStatusPaid ||
		s.PaymentStatus == stripego.CheckoutSessionPaymentStatusNoPaymentRequired
	switch out.Type {
	case "checkout.session.async_payment_succeeded":
		out.Kind = billing.EventCheckoutPaid
	case "checkout.session.completed":
		out.Kind = map[bool]billing.EventKind{true: billing.EventCheckoutPaid, false: billing.EventCheckoutWaiting}[paid]
	case "checkout.session.async_payment_failed":
		out.Kind = billing.EventCheckoutFailed
	case "checkout.session.expired":
		out.Kind = billing.EventCheckoutExpired
	}
	return nil
}
