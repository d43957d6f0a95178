package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The email links point at the web app's pages (pb_public), not the dashboard.
const (
	verifyEmailBody = `<p>Hello {RECORD:name},</p>
<p>Welcome to {APP_NAME}. Please confirm your email address:</p>
<p><a class="btn" href="{APP_URL}/verify-email?token={TOKEN}" target="_blank" rel="noopener">Confirm my email</a></p>
<p>Ciao, conferma il tuo indirizzo email con il link qui sopra.</p>
<p>{APP_NAME}</p>`
	resetPasswordBody = `<p>Hello {RECORD:name},</p>
<p>Someone asked to reset your {APP_NAME} password. If it was you, choose a new one here:</p>
<p><a class="btn" href="{APP_URL}/reset-password?token={TOKEN}" target="_blank" rel="noopener">Choose a new password</a></p>
<p><i>If you did not ask for it, ignore this email: your password stays as it is.</i></p>
<p>Per reimpostare la password usa il link qui sopra; se non l'hai chiesto, ignora questa email.</p>
<p>{APP_NAME}</p>`
	confirmEmailChangeBody = `<p>Hello {RECORD:name},</p>
<p>Confirm your new {APP_NAME} email address:</p>
<p><a class="btn" href="{APP_URL}/confirm-email-change?token={TOKEN}" target="_blank" rel="noopener">Confirm new email</a></p>
<p><i>If you did not ask for it, ignore this email.</i></p>
<p>{APP_NAME}</p>`
	otpBody = `<p>Hello {RECORD:name},</p>
<p>Your {APP_NAME} sign-in code is <strong>{OTP}</strong>. It expires in 5 minutes.</p>
<p>Il tuo codice di accesso è <strong>{OTP}</strong>.</p>
<p><i>If you did not ask for it, ignore this email.</i></p>`
)

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}

		users.Fields.Add(
			choice("role", true, "student", "tutor", "admin"),
			text("timezone", 64, true),
			choice("locale", true, "it", "en"),
			&core.TextField{Name: "phone", Max: 16, Pattern: `^\+[1-9][0-9]{6,14}$`},
			&core.JSONField{Name: "notify", MaxSize: 8 << 10},
			&core.TextField{Name: "calendar_token", Hidden: true, Min: 32, Max: 32, Pattern: `^[a-zA-Z0-9]+$`, AutogeneratePattern: `[a-zA-Z0-9]{32}`},
		)
		if f, ok := users.Fields.GetByName("name").(*core.TextField); ok {
			f.Max = 120
		}
		if f, ok := users.Fields.GetByName("password").(*core.PasswordField); ok {
			// 15 for password-only accounts and at most 128 characters, enforced
			// by the account hooks, which prehash anything over bcrypt's 71
			// bytes (internal/password.Prehash) before it reaches this field.
			f.Min = 8
			f.Max = 71
		}
		users.AddIndex("idx_users_role", false, "role", "")
		users.AddIndex("idx_users_calendar_token", true, "calendar_token", "calendar_token != ''")

		users.ListRule = rule(RuleUsersView)
		users.ViewRule = rule(RuleUsersView)
		users.CreateRule = rule(RuleUsersCreate)
		users.UpdateRule = rule(RuleUsersUpdate)
		users.DeleteRule = rule(RuleUsersDelete)
		users.ManageRule = rule(RuleUsersManage)

		users.OTP.Enabled = true
		users.OTP.Duration = 300
		users.OTP.Length = 8
		users.MFA.Enabled = true
		users.MFA.Rule = "role = 'admin'"
		users.OAuth2.Enabled = true // providers (Google) are switched on in the dashboard
		users.OAuth2.MappedFields.Name = "name"
		users.OAuth2.MappedFields.AvatarURL = "avatar"

		users.VerificationTemplate = core.EmailTemplate{Subject: "Confirm your {APP_NAME} email", Body: verifyEmailBody}
		users.ResetPasswordTemplate = core.EmailTemplate{Subject: "Reset your {APP_NAME} password", Body: resetPasswordBody}
		users.ConfirmEmailChangeTemplate = core.EmailTemplate{Subject: "Confirm your new {APP_NAME} email", Body: confirmEmailChangeBody}
		users.OTP.EmailTemplate = core.EmailTemplate{Subject: "Your {APP_NAME} sign-in code", Body: otpBody}

		return app.Save(users)
	}, func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		for _, name := range []string{"role", "timezone", "locale", "phone", "notify", "calendar_token"} {
			users.Fields.RemoveByName(name)
		}
		users.RemoveIndex("idx_users_role")
		users.RemoveIndex("idx_users_calendar_token")
		owner := rule("id = @request.auth.id")
		rules(users, owner, owner, rule(""), owner, owner)
		users.ManageRule = nil
		users.OTP.Enabled = false
		users.MFA.Enabled = false
		users.MFA.Rule = ""
		users.OAuth2.Enabled = false
		return app.Save(users)
	})
}
