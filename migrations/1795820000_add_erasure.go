package migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// privacyRateLimits bound the data-rights routes per IP: a person's own
// export (the handler also allows one per person per hour), the request to
// delete one's account (it takes the password), and staff's routes about
// one person (/api/users/{id}/export and erase).
var privacyRateLimits = []core.RateLimitRule{
	{Label: "GET /api/me/export", MaxRequests: 5, Duration: 3600},
	{Label: "POST /api/me/delete", MaxRequests: 5, Duration: 600},
	{Label: "/api/users/", MaxRequests: 60, Duration: 60},
}

// Erasure: users.erase_after is when a requested erasure runs (empty: none
// asked). Hidden, so only the server sets or reads it; signing in clears it.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.Add(&core.DateField{Name: "erase_after", Hidden: true})
		users.AddIndex("idx_users_erase_after", false, "erase_after", "erase_after != ''")
		if err := app.Save(users); err != nil {
			return err
		}
		s := app.Settings()
		for _, r := range privacyRateLimits {
			if !slices.ContainsFunc(s.RateLimits.Rules, func(x core.RateLimitRule) bool { return x.Label == r.Label }) {
				s.RateLimits.Rules = append(s.RateLimits.Rules, r)
			}
		}
		s.RateLimits.Rules = OrderRateLimits(s.RateLimits.Rules)
		return app.Save(s)
	}, func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.RemoveIndex("idx_users_erase_after")
		users.Fields.RemoveByName("erase_after")
		if err := app.Save(users); err != nil {
			return err
		}
		s := app.Settings()
		s.RateLimits.Rules = slices.DeleteFunc(s.RateLimits.Rules, func(x core.RateLimitRule) bool {
			return slices.ContainsFunc(privacyRateLimits, func(r core.RateLimitRule) bool { return r.Label == x.Label })
		})
		return app.Save(s)
	})
}
