// Package calendar is each person's lessons as an iCalendar feed at a
// secret address, which any calendar app can subscribe to.
package calendar

import (
	"tutorbase/internal/app/platform"
)

// Service serves the calendar feeds.
type Service struct {
	env platform.Env
}

// New returns the calendar capability of an app.
func New(env platform.Env) *Service { return &Service{env: env} }
