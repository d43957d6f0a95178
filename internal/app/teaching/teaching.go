// Package teaching is what happens between lessons: the tutor's report of
// a lesson (topics, homework, progress ratings, a comment for the
// student), the tutors' private notes about a student, homework marked
// done, progress over months, and the calendar views of lessons, time off
// and availability. docs/teaching.md is the guide.
package teaching

import (
	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"
)

// Service answers the teaching routes and runs the report reminders.
type Service struct {
	env   platform.Env
	notes *notifications.Service
}

// New returns the teaching capability of an app that notifies through
// notes.
func New(env platform.Env, notes *notifications.Service) *Service {
	return &Service{env: env, notes: notes}
}

// Register binds the rules every write of a report or a note obeys.
func (s *Service) Register(app core.App) {
	s.registerReports(app)
	registerNotes(app)
}
