// Package guardians is the families of the school: guardians (the role of
// an adult who manages students, usually their children), the links
// between a guardian and their students, the invitation by email that
// makes a link, a guardian's child profiles without an email of their own,
// and what a guardian reads of their students beyond the API rules (the
// bookings list and its live topic).
//
// "Is X a guardian of student Y" is asked in one place:
// platform.IsGuardianOf in Go, migrations.GuardianOf in the API rules.
package guardians

import (
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"
)

// Service is the families capability.
type Service struct {
	env       platform.Env
	observers []FamilyObserver
}

// FamilyObserver is told, inside the write transaction tx, that the
// guardians of student changed (a link made, accepted or ended), so that
// what names them (the student's conversations) follows in the same
// commit.
type FamilyObserver func(tx core.App, student string) error

// Observe adds fn to the observers of family changes (hooks.Register).
func (s *Service) Observe(fn FamilyObserver) { s.observers = append(s.observers, fn) }

// changed tells the observers, in tx, that student's guardians changed.
func (s *Service) changed(tx core.App, student string) error {
	for _, fn := range s.observers {
		if err := fn(tx, student); err != nil {
			return err
		}
	}
	return nil
}

// New builds the service.
func New(env platform.Env) *Service { return &Service{env: env} }

// Register binds the live topic of the guardians' bookings.
func (s *Service) Register(app core.App) {
	registerFamilyRealtime(app)
}

// Link statuses.
const (
	StatusInvited  = "invited"
	StatusAccepted = "accepted"
)

// maxOpenInvites bounds the open invitations of one student (each sends an
// email).
const maxOpenInvites = 5

// adultYears is the age from which a student with their own login may
// remove a guardian.
const adultYears = 18
