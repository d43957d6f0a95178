// Package discovery is how students find tutors and packages: search with
// filters on subject, price, language, rating and free time (through the
// slot engine, so every tutor listed as free is bookable), matching with
// reasons, "also booked" and popular packages.
package discovery

import (
	"tutorbase/internal/app/platform"
)

// Service answers the discovery routes.
type Service struct {
	env platform.Env
}

// New returns the discovery capability of an app.
func New(env platform.Env) *Service { return &Service{env: env} }
