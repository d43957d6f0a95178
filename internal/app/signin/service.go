// Package signin is how people stay signed in and prove who they are
// beyond a password: the sessions table (a row per sign-in, listed and
// ended by its owner, refused once ended), the authenticator-app second
// factor (TOTP with recovery codes and remembered devices), and the
// sign-in alerts sent for a new device or network with a "was this you?"
// link.
package signin

import (
	"sync"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"
)

// Service binds sign-in security.
type Service struct {
	env platform.Env
	// alerting is the session each user's sign-in in progress opened, for
	// the sign-in alert PocketBase sends during that same request.
	alerting sync.Map // user id -> session id
	// keeping marks the users whose password change keeps their other
	// devices signed in, while that request runs.
	keeping sync.Map // user id -> true
	// codeFailures counts wrong authenticator codes per sign-in.
	codeFailures failureCounts
}

// New returns the sign-in capability of an app.
func New(env platform.Env) *Service {
	return &Service{env: env}
}

// Register binds the hooks of sign-in security.
func (s *Service) Register(app core.App) {
	s.registerSessions(app)
	s.registerTOTP(app)
	s.registerAlerts(app)
}

// fieldTrusted is the users field of the devices remembered after a
// second factor (hashes and expiries).
const fieldTrusted = "mfa_devices"
