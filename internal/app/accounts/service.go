// Package accounts is who people are: sign-up (students, tutors, staff
// only by staff) and the profile each role gets, passwords (strength with
// context words, the long-password prehash), the lockout after failed
// sign-ins, email changes that tell no one who has an account, tutor
// photos, the admins named in the API rules, and the audit of sign-ins and
// staff changes.
package accounts

import (
	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"
)

// Service binds accounts.
type Service struct {
	env   platform.Env
	notes *notifications.Service
}

// New returns the accounts capability of an app.
func New(env platform.Env, notes *notifications.Service) *Service {
	return &Service{env: env, notes: notes}
}

// Register binds the hooks of accounts, in the order they must run.
func (s *Service) Register(app core.App) {
	platform.OneLine(app, "users", "name")
	platform.OneLine(app, "tutors", "headline")
	platform.OneLine(app, "students", "guardian_name", "level")
	platform.Guard(app, "users", platform.FieldGuard{Server: []string{"calendar_token", "phone_verified", "telegram_chat_id",
		"totp_enabled", "totp_secret", "totp_pending", "totp_last_step", "recovery_codes", "mfa_devices"},
		Staff: []string{"suspended"}})
	platform.Guard(app, "tutors", platform.FieldGuard{Server: []string{"name", "timezone", "rating_avg", "rating_count"},
		Staff: []string{"verified", "status", "stripe_account"}, Immutable: []string{"user"}})
	platform.Guard(app, "students", platform.FieldGuard{Immutable: []string{"user"}})
	s.registerStaff(app)
	s.registerAccounts(app)
	s.registerLockout(app)
	s.registerProfiles(app)
	s.registerAvatars(app)
	s.registerAudit(app)
}
