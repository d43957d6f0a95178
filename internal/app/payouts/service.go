// Package payouts is what tutors are paid: each period's payout per tutor
// (their lessons less the school's commission and the refunds since),
// transferred through the payment provider where it can, else paid by the
// school and marked paid by staff; and the CSV of a bank payment run.
package payouts

import (
	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
)

// Service makes and pays payouts.
type Service struct {
	env      platform.Env
	provider billing.Provider
	notes    *notifications.Service
}

// New returns the payouts of an app paying through provider.
func New(env platform.Env, provider billing.Provider, notes *notifications.Service) *Service {
	return &Service{env: env, provider: provider, notes: notes}
}
