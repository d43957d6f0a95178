// Package subscriptions is plans and subscriptions: a plan gives lesson
// credits each month or week for a price; a payer subscribes through the
// payment provider (Stripe Checkout in subscription mode, then Stripe
// Billing renews it) or, in manual mode, staff renew each period by hand.
// Each paid period is a purchase of the plan's credits with its payment
// and gapless invoice (payments.RecordPayment), so credits, payouts and the
// money invariants treat periods as packages.
package subscriptions

import (
	"time"

	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/payments"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"

	"github.com/pocketbase/dbx"
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

// EndDue ends the manual subscriptions set to end whose period paid is
// over (the provider ends its own and says so by its event). Each is ended
// by compare-and-set: one renewed or ended meanwhile is left alone.
func EndDue(app core.App, now time.Time) (int64, error) {
	res, err := app.DB().NewQuery("UPDATE subscriptions SET status = 'cancelled', updated = {:now} " +
		"WHERE provider = 'manual' AND cancel_at_period_end = TRUE AND status != 'cancelled' " +
		"AND current_period_end != '' AND current_period_end <= {:now}").Bind(dbx.Params{"now": platform.DBTime(now)}).Execute()
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
