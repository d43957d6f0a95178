// Package booking is the heart of Tutorbase: lessons booked under the
// rules of DESIGN.md, checked inside the write transaction (with database
// triggers behind them) so two requests can never take overlapping time;
// the lifecycle actions, each a compare-and-set; weekly series, all or
// nothing; free slots; unpaid lessons' cap and deadline; and the
// notifications every change owes, through a durable outbox.
package booking

import (
	"tutorbase/internal/app/credits"
	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/payments"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"
)

// Service books lessons and runs their lifecycle.
type Service struct {
	env      platform.Env
	notes    *notifications.Service
	credits  *credits.Service
	payments *payments.Service
	writer   *notifier // writes the notifications booking changes owe
	// observers are told of every change in its transaction (Observe)
	observers []ChangeObserver
}

// New returns the booking capability of an app.
func New(env platform.Env, notes *notifications.Service, cr *credits.Service, pay *payments.Service) *Service {
	return &Service{env: env, notes: notes, credits: cr, payments: pay}
}

// Register binds the booking hooks and routes, and starts the writer of
// their notifications (stopped, drained, when the app terminates).
func (s *Service) Register(app core.App) {
	s.registerNotifier(app)
	s.registerBookings(app)
	s.registerStaffRealtime(app)
}
