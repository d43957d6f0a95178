// Package privacy is the data rights of the people a school holds data
// about: the export of everything about one person (GDPR articles 15 and
// 20), the erasure of an account after a grace period or at once by staff
// (article 17), keeping what Italian tax law requires (invoices, payments,
// the credit ledger), and the school's retention schedule. docs/privacy.md
// is the same story for a data-protection officer.
package privacy

import (
	"time"

	"tutorbase/internal/app/booking"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"
)

// Grace is how long after a person asks to delete their account the
// erasure runs; signing in meanwhile cancels it.
const Grace = 14 * 24 * time.Hour

// ExportEvery is how often one person's data may be exported.
const ExportEvery = time.Hour

// Service exports and erases people's data.
type Service struct {
	env     platform.Env
	booking *booking.Service
}

// New returns the privacy capability; bookings cancels an erased person's
// future lessons by its own cancel path.
func New(env platform.Env, bookings *booking.Service) *Service {
	return &Service{env: env, booking: bookings}
}

// Register binds the hooks of erasure: signing in cancels a requested
// erasure, and deleting a person with history through the API erases them
// instead (a school keeps its lesson and money history).
func (s *Service) Register(app core.App) {
	app.OnRecordAuthRequest("users").BindFunc(s.cancelOnSignIn)
	app.OnRecordDeleteRequest("users").BindFunc(s.eraseOnDelete)
}
