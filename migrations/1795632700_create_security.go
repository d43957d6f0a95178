package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// RateLimitRules are the per-IP limits Tutorbase ships with (PocketBase's
// limiter: a fixed window of MaxRequests per Duration seconds; superusers
// are never limited). The first matching label wins, so the specific rules
// come before PocketBase's catch-alls.
var RateLimitRules = []core.RateLimitRule{
	{Label: "*:authWithPassword", MaxRequests: 20, Duration: 60},
	{Label: "*:authWithOTP", MaxRequests: 20, Duration: 60},
	{Label: "*:authWithOAuth2", MaxRequests: 20, Duration: 60},
	{Label: "*:requestOTP", MaxRequests: 5, Duration: 60},
	{Label: "*:requestPasswordReset", MaxRequests: 5, Duration: 60},
	{Label: "*:confirmPasswordReset", MaxRequests: 10, Duration: 60},
	{Label: "*:requestVerification", MaxRequests: 5, Duration: 60},
	{Label: "*:requestEmailChange", MaxRequests: 5, Duration: 60},
	{Label: "users:create", Audience: core.RateLimitRuleAudienceGuest, MaxRequests: 30, Duration: 600},
	{Label: "*:create", MaxRequests: 60, Duration: 60},
	{Label: "POST /api/bookings/", MaxRequests: 60, Duration: 60},
	{Label: "/api/series", MaxRequests: 20, Duration: 60},
	{Label: "/api/purchases/", MaxRequests: 30, Duration: 60},
	{Label: "/api/tutors/", MaxRequests: 300, Duration: 60},
	{Label: "/api/match", MaxRequests: 120, Duration: 60},
	{Label: "/api/calendar/", MaxRequests: 60, Duration: 60},
	{Label: "/api/reports/", MaxRequests: 60, Duration: 60},
	{Label: "/api/stripe/webhook", MaxRequests: 1000, Duration: 60},
	{Label: "/api/batch", MaxRequests: 3, Duration: 1},
	{Label: "/api/", MaxRequests: 300, Duration: 10},
}

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}

		audit := core.NewBaseCollection("audit_log")
		audit.Fields.Add(
			relation("actor", users.Id, false, false),
			text("actor_email", 255, false), // also set for superusers, who are not users
			text("action", 60, true),
			text("collection", 60, false),
			text("record", 30, false),
			text("ip", 64, false),
			&core.JSONField{Name: "details", MaxSize: 32 << 10},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		audit.AddIndex("idx_audit_log_created", false, "created", "")
		audit.AddIndex("idx_audit_log_actor", false, "actor, created", "")
		audit.AddIndex("idx_audit_log_record", false, "collection, record", "")
		rules(audit, rule(RuleAuditView), rule(RuleAuditView), nil, nil, nil)
		if err := app.Save(audit); err != nil {
			return err
		}

		// One row per sign-in identity (lower-cased email, whether or not an
		// account exists) for the account lockout. Never exposed by the API.
		attempts := core.NewBaseCollection("login_attempts")
		attempts.Fields.Add(
			text("identity", 255, true),
			integer("failures", 0, 1e6, false),
			integer("level", 0, 1e3, false),
			&core.DateField{Name: "locked_until"},
			&core.DateField{Name: "last_failure"},
		)
		attempts.Fields.Add(timestamps()...)
		attempts.AddIndex("idx_login_attempts_identity", true, "identity", "")
		attempts.AddIndex("idx_login_attempts_last_failure", false, "last_failure", "")
		if err := app.Save(attempts); err != nil {
			return err
		}

		s := app.Settings()
		s.Meta.AppName = "Tutorbase"
		s.Meta.SenderName = "Tutorbase"
		s.Meta.SenderAddress = "no-reply@tutorbase.localhost"
		s.RateLimits.Enabled = true
		s.RateLimits.Rules = append([]core.RateLimitRule(nil), RateLimitRules...)
		s.Batch.Enabled = true
		s.Batch.MaxRequests = 50
		s.Batch.Timeout = 5
		s.Backups.Cron = "0 3 * * *"
		s.Backups.CronMaxKeep = 7
		s.Logs.MaxDays = 14
		s.Logs.LogIP = true
		s.Logs.LogAuthId = true
		return app.Save(s)
	}, func(app core.App) error {
		s := app.Settings()
		s.RateLimits.Enabled = false
		s.Batch.Enabled = false
		s.Backups.Cron = ""
		if err := app.Save(s); err != nil {
			return err
		}
		return dropCollections(app, "login_attempts", "audit_log")
	})
}
