// Package calendar is each person's lessons as an iCalendar feed at a
// secret address, which any calendar app can subscribe to.
package calendar

import (
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"
)

// Service serves the calendar feeds.
type Service struct {
	env platform.Env
}

// New returns the calendar capability of an app.
func New(env platform.Env) *Service { return &Service{env: env} }

// Register binds the calendar routes.
func (s *Service) Register(app core.App) { s.registerCalendar(app) }
