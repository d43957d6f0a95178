package hooks

import (
	"net/http"
	"strings"
	"testing"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/config"
	_ "tutorbase/migrations"

	"github.com/pocketbase/pocketbase/tests"
)

// TestRouteTable: every route is listed once, and the rate-limit rule it
// declares is the one PocketBase applies to its path with the shipped
// settings (a route added without thinking about its limit, or a rule
// changed under a route, fails here).
func TestRouteTable(t *testing.T) {
	t.Parallel()
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	s, err := Register(app, platform.NewEnv(config.Config{AppURL: config.DefaultAppURL}))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	limits := app.Settings().RateLimits
	for _, rt := range s.routes() {
		key := rt.method + " " + rt.path
		if seen[key] {
			t.Errorf("%s is listed twice", key)
		}
		seen[key] = true
		if rt.method != http.MethodGet && rt.method != http.MethodPost {
			t.Errorf("%s: an unexpected method", key)
		}
		path := strings.NewReplacer("{id}", "abc123", "{name}", "bookings", "{file}", "token.ics").Replace(rt.path)
		rule, ok := limits.FindRateLimitRule([]string{rt.method + " " + path, path})
		got := ""
		if ok {
			got = rule.Label
		}
		if got != rt.limit {
			t.Errorf("%s counts against rate-limit rule %q, the table says %q", key, got, rt.limit)
		}
	}
}
