// Package reviews is what students say of completed lessons: one review a
// lesson, editable for a while, hidden by staff, and each tutor's rating
// kept in step in the same transaction.
package reviews

import (
	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"
)

// Service binds reviews.
type Service struct {
	notes *notifications.Service
}

// New returns the reviews capability of an app.
func New(notes *notifications.Service) *Service { return &Service{notes: notes} }

// Register binds the reviews' hooks.
func (s *Service) Register(app core.App) {
	platform.Guard(app, "reviews", platform.FieldGuard{Server: []string{"student", "tutor", "student_name"},
		Staff: []string{"hidden"}, Immutable: []string{"booking"}})
	s.registerReviews(app)
}
