package migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// discoveryRateLimits cover the public discovery routes.
var discoveryRateLimits = []core.RateLimitRule{
	{Label: "/api/search/", MaxRequests: 300, Duration: 60},
	{Label: "/api/packages/", MaxRequests: 300, Duration: 60},
}

func init() {
	m.Register(func(app core.App) error {
		packages, err := app.FindCollectionByNameOrId("packages")
		if err != nil {
			return err
		}
		packages.AddIndex("idx_packages_status_created", false, "status, created", "")
		packages.AddIndex("idx_packages_status_discount", false, "status, discount_percent DESC, effective_price", "")
		if err := app.Save(packages); err != nil {
			return err
		}
		purchases, err := app.FindCollectionByNameOrId("purchases")
		if err != nil {
			return err
		}
		purchases.AddIndex("idx_purchases_status_package", false, "status, package", "")
		if err := app.Save(purchases); err != nil {
			return err
		}
		// a tutor's lessons by time, covering the overlap and busy-time
		// reads (it replaces the (tutor, start) index)
		bookings, err := app.FindCollectionByNameOrId("bookings")
		if err != nil {
			return err
		}
		bookings.RemoveIndex("idx_bookings_tutor_start")
		bookings.AddIndex("idx_bookings_tutor_span", false, "tutor, start, \"end\", status", "")
		if err := app.Save(bookings); err != nil {
			return err
		}
		s := app.Settings()
		for _, r := range discoveryRateLimits {
			if !slices.ContainsFunc(s.RateLimits.Rules, func(x core.RateLimitRule) bool { return x.Label == r.Label }) {
				s.RateLimits.Rules = append(s.RateLimits.Rules, r)
			}
		}
		return app.Save(s)
	}, func(app core.App) error {
		for name, idx := range map[string][]string{
			"packages":  {"idx_packages_status_created", "idx_packages_status_discount"},
			"purchases": {"idx_purchases_status_package"},
			"bookings":  {"idx_bookings_tutor_span"},
		} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			for _, i := range idx {
				c.RemoveIndex(i)
			}
			if name == "bookings" {
				c.AddIndex("idx_bookings_tutor_start", false, "tutor, start", "")
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		s := app.Settings()
		s.RateLimits.Rules = slices.DeleteFunc(s.RateLimits.Rules, func(x core.RateLimitRule) bool {
			return x.Label == "/api/search/" || x.Label == "/api/packages/"
		})
		return app.Save(s)
	})
}
