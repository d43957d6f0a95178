// Package subscriptions is plans and subscriptions: a plan gives lesson
// credits each month or week for a price; a payer subscribes through the
// payment provider (Stripe Checkout in subscription mode, then Stripe
// Billing renews it) or, in manual mode, staff renew each period by hand.
// Each paid period is a purchase of the plan's credits with its payment
// and gapless invoice (payments.RecordPayment), so credits, payouts and the
// money invariants treat periods as packages.
package subscriptions

import (
	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/payments"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// Subscription statuses.
const (
	StatusIncomplete = "incomplete" // nothing paid yet
	StatusActive     = "active"
	StatusPastDue    = "past_due" // a payment failed; bookings pause after the grace period
	StatusCancelled  = "cancelled"
)

// Service runs subscriptions through the school's provider.
type Service struct {
	env      platform.Env
	provider billing.Provider
	notes    *notifications.Service
	payments *payments.Service
}

// New returns the subscriptions of an app taking payments through pay.
func New(env platform.Env, notes *notifications.Service, pay *payments.Service) *Service {
	return &Service{env: env, provider: pay.Provider(), notes: notes, payments: pay}
}

// Register binds the subscriptions' hooks: the provider's subscription
// events, applied in the webhook's transaction.
func (s *Service) Register(app core.App) {
	platform.OneLine(app, "plans", "title")
	// a purchase is of a package, or a subscription's period
	app.OnRecordValidate("purchases").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("package") == "" && e.Record.GetString("subscription") == "" {
			return validation.Errors{"package": validation.NewError("validation_required", "A purchase is of a package or a subscription's period.")}
		}
		return e.Next()
	})
	s.payments.HandleEvents(s.applyEvent, billing.EventSubscriptionStarted, billing.EventInvoicePaid,
		billing.EventInvoiceFailed, billing.EventSubscriptionUpdated, billing.EventSubscriptionDeleted)
}
