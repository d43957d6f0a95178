package migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// sessionRateLimits cover the routes of one's own sign-ins (/api/me/) and
// the second step of a sign-in with an authenticator app (/api/auth/).
var sessionRateLimits = []core.RateLimitRule{
	{Label: "/api/me/", MaxRequests: 60, Duration: 60},
	{Label: "/api/auth/", MaxRequests: 20, Duration: 60},
}

// The sessions table: a row per sign-in, so a person can see where they
// are signed in and end any of it. PocketBase's auth origins keep only a
// hash of the IP and browser, too little to show.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		c := core.NewBaseCollection("sessions")
		c.Fields.Add(
			relation("user", users.Id, true, true),
			&core.TextField{Name: "token_hash", Hidden: true, Max: 64},  // SHA-256 of the first token issued
			&core.TextField{Name: "report_hash", Hidden: true, Max: 64}, // SHA-256 of the "was this you?" link's secret
			text("method", 20, false),                                   // password, otp, oauth2, totp, ...
			text("device", 40, false),                                   // "iPhone", "Windows computer"
			text("browser", 40, false),                                  // "Safari", "Chrome"
			text("network", 64, false),                                  // the /24 or /48 of the IP
			&core.DateField{Name: "first_seen", Required: true},
			&core.DateField{Name: "last_seen", Required: true},
			&core.DateField{Name: "revoked_at"},
			text("revoked_reason", 30, false), // signed_out, revoked, revoke_all, password_changed, not_me, suspended
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		c.AddIndex("idx_sessions_user", false, "user, last_seen", "")
		c.AddIndex("idx_sessions_token_hash", true, "token_hash", "token_hash != ''")
		c.AddIndex("idx_sessions_report_hash", true, "report_hash", "report_hash != ''")
		rules(c, rule(RuleSessionsView), rule(RuleSessionsView), nil, nil, nil)
		if err := app.Save(c); err != nil {
			return err
		}
		s := app.Settings()
		for _, r := range sessionRateLimits {
			if !slices.ContainsFunc(s.RateLimits.Rules, func(x core.RateLimitRule) bool { return x.Label == r.Label }) {
				s.RateLimits.Rules = append(s.RateLimits.Rules, r)
			}
		}
		s.RateLimits.Rules = OrderRateLimits(s.RateLimits.Rules)
		return app.Save(s)
	}, func(app core.App) error {
		if err := dropCollections(app, "sessions"); err != nil {
			return err
		}
		s := app.Settings()
		s.RateLimits.Rules = slices.DeleteFunc(s.RateLimits.Rules, func(x core.RateLimitRule) bool {
			return slices.ContainsFunc(sessionRateLimits, func(r core.RateLimitRule) bool { return r.Label == x.Label })
		})
		return app.Save(s)
	})
}
