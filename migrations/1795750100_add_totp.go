package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// MFARule says who must give a second factor after the first: staff
// always, anyone who turned on an authenticator app, and tutors when the
// school requires it.
const MFARule = "role = 'admin' || totp_enabled = true || (role = 'tutor' && @collection.school.tutors_need_mfa = true)"

// The authenticator-app second factor: the secret (and one being set up),
// the last step used (a code is good once), the hashes of the recovery
// codes and of the devices remembered for 30 days; all hidden and written
// only by the server. The school may require a second factor of tutors.
func init() {
	m.Register(func(app core.App) error {
		school, err := app.FindCollectionByNameOrId("school")
		if err != nil {
			return err
		}
		school.Fields.Add(&core.BoolField{Name: "tutors_need_mfa"})
		if err := app.Save(school); err != nil {
			return err
		}
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.Add(
			&core.BoolField{Name: "totp_enabled"},
			&core.TextField{Name: "totp_secret", Hidden: true, Max: 64},
			&core.TextField{Name: "totp_pending", Hidden: true, Max: 64},
			&core.NumberField{Name: "totp_last_step", Hidden: true, OnlyInt: true},
			&core.JSONField{Name: "recovery_codes", Hidden: true, MaxSize: 4 << 10},
			&core.JSONField{Name: "mfa_devices", Hidden: true, MaxSize: 8 << 10},
		)
		users.MFA.Enabled = true
		users.MFA.Rule = MFARule
		return app.Save(users)
	}, func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		for _, f := range []string{"totp_enabled", "totp_secret", "totp_pending", "totp_last_step", "recovery_codes", "mfa_devices"} {
			users.Fields.RemoveByName(f)
		}
		users.MFA.Rule = "role = 'admin'"
		if err := app.Save(users); err != nil {
			return err
		}
		school, err := app.FindCollectionByNameOrId("school")
		if err != nil {
			return err
		}
		school.Fields.RemoveByName("tutors_need_mfa")
		return app.Save(school)
	})
}
