// Package payments is how money comes in and goes back: packages on sale,
// checkouts (a pending purchase or lesson payment), payments marked paid by
// staff or confirmed by the provider's signed webhook, refunds, and the
// gapless invoices and credit notes with their PDFs. The provider (manual
// or Stripe) is chosen once, at start; nothing here asks which one it is.
package payments

import (
	"tutorbase/internal/app/credits"
	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
	"tutorbase/internal/billing/manual"

	"github.com/pocketbase/pocketbase/core"
)

// Service takes payments through a provider.
type Service struct {
	env      platform.Env
	provider billing.Provider // the school's choice, for new payments
	notes    *notifications.Service
	credits  *credits.Service
	handlers map[billing.EventKind]EventHandler // event kinds other capabilities apply
}

// EventHandler applies a provider's event inside the webhook's
// transaction, the one that records the event.
type EventHandler func(tx core.App, ev billing.Event) error

// HandleEvents makes the webhook apply events of kinds with fn (the
// subscriptions' events, which payments does not know).
func (s *Service) HandleEvents(fn EventHandler, kinds ...billing.EventKind) {
	for _, k := range kinds {
		s.handlers[k] = fn
	}
}

// Provider is the school's payment provider.
func (s *Service) Provider() billing.Provider { return s.provider }

// New returns the payments of an app whose provider is provider.
func New(env platform.Env, provider billing.Provider, notes *notifications.Service, cr *credits.Service) *Service {
	return &Service{env: env, provider: provider, notes: notes, credits: cr, handlers: map[billing.EventKind]EventHandler{}}
}

// providerOf is the provider of an earlier payment: the school's, or
// manual (the school can always return money itself); nil when that
// payment's provider is no longer configured.
func (s *Service) providerOf(name string) billing.Provider {
	switch name {
	case s.provider.Name():
		return s.provider
	case manual.Provider{}.Name():
		return manual.Provider{}
	}
	return nil
}

// Register binds the hooks and routes of payments.
func (s *Service) Register(app core.App) {
	platform.OneLine(app, "packages", "title")
	platform.Guard(app, "packages", platform.FieldGuard{Server: []string{"tutor_user", "effective_price"}, Immutable: []string{"tutor"}, Staff: taxRuleFields})
	registerTaxRules(app)
	s.registerPackages(app)
	s.registerInvoices(app)
	s.registerCoupons(app)
}
