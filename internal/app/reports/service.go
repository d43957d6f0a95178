// Package reports is the staff's weekly reports (bookings, revenue,
// cancellations, notification delivery), as JSON or CSV.
package reports

import (
	"tutorbase/internal/app/platform"
	"tutorbase/internal/notify"
)

// Service answers the reports route.
type Service struct {
	env      platform.Env
	channels *notify.Registry
}

// New returns the reports of an app whose notification channels are
// channels.
func New(env platform.Env, channels *notify.Registry) *Service {
	return &Service{env: env, channels: channels}
}
