// Package manual is the payment provider of a school that takes money
// itself (cash, bank transfer): staff mark payments paid, return refunds
// themselves and pay tutors by bank transfer. It is the default.
package manual

import (
	"context"

	"tutorbase/internal/billing"
)

// Provider is the manual provider.
type Provider struct{}

// Name implements billing.Provider.
func (Provider) Name() string { return "manual" }

// Checkout implements billing.Provider: no page, the school's instructions.
func (Provider) Checkout(context.Context, billing.CheckoutRequest) (billing.Session, error) {
	return billing.Session{}, nil
}

// Refund implements billing.Provider: the school returns the money itself,
// so the refund is done once recorded.
func (Provider) Refund(_ context.Context, r billing.RefundRequest) (billing.RefundResult, error) {
	return billing.RefundResult{Status: billing.RefundSucceeded}, nil
}

// Transfer implements billing.Provider: tutors are paid by hand.
func (Provider) Transfer(context.Context, billing.TransferRequest) (string, error) {
	return "", billing.ErrByHand
}

// VerifyWebhook implements billing.Provider: there are no events.
func (Provider) VerifyWebhook([]byte, string) (billing.Event, error) {
	return billing.Event{}, billing.ErrNoWebhook
}

// Onboard implements billing.Provider: tutors are paid by hand, to the
// IBAN staff keep.
func (Provider) Onboard(context.Context, billing.OnboardRequest) (billing.Onboarding, error) {
	return billing.Onboarding{}, billing.ErrByHand
}

// PayoutAccount implements billing.Provider: there is no account to read.
func (Provider) PayoutAccount(context.Context, string) (billing.AccountStatus, error) {
	return billing.AccountStatus{}, billing.ErrByHand
}

// Subscribe implements billing.Provider: staff renew periods by hand.
func (Provider) Subscribe(context.Context, billing.SubscribeRequest) (billing.Session, error) {
	return billing.Session{}, billing.ErrByHand
}

// ChangeSubscription implements billing.Provider: there is nothing to tell.
func (Provider) ChangeSubscription(context.Context, billing.SubscriptionChange) error {
	return billing.ErrByHand
}

// BillingPortal implements billing.Provider: there is no card on file.
func (Provider) BillingPortal(context.Context, string, string) (string, error) {
	return "", billing.ErrByHand
}

var _ billing.Provider = Provider{}
