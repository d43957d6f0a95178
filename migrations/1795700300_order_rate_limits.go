package migrations

import (
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// OrderRateLimits puts the path-prefix rules (labels ending in "/") most
// specific first. PocketBase takes the first prefix rule that matches, in
// the order stored, so rules appended after the catch-all "/api/" (the
// search, package and contact-proof limits of later migrations) were never
// applied. Exact labels keep their places; a school's own rules are kept.
func OrderRateLimits(rules []core.RateLimitRule) []core.RateLimitRule {
	out := slices.Clone(rules)
	isPrefix := func(r core.RateLimitRule) bool { return strings.HasSuffix(r.Label, "/") }
	var prefixes []core.RateLimitRule
	for _, r := range out {
		if isPrefix(r) {
			prefixes = append(prefixes, r)
		}
	}
	slices.SortStableFunc(prefixes, func(a, b core.RateLimitRule) int { return len(b.Label) - len(a.Label) })
	for i := range out { // the prefix rules take back their places, in order
		if isPrefix(out[i]) {
			out[i], prefixes = prefixes[0], prefixes[1:]
		}
	}
	return out
}

func init() {
	m.Register(func(app core.App) error {
		s := app.Settings()
		s.RateLimits.Rules = OrderRateLimits(s.RateLimits.Rules)
		return app.Save(s)
	}, nil)
}
