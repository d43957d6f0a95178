package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The staff reports page asks for ten reports at each view (and one more
// request per download), so 60 a minute per IP let staff behind one
// address change the range only about five times a minute before the page
// and its downloads failed with 429. The in-flight limit on staff's heavy
// routes (docs/security.md, Request cost) is what bounds their cost; the
// rate limit only stops a runaway client. A school's own value is kept.
const (
	reportsLabel     = "/api/reports/"
	reportsOldLimit  = 60
	reportsNewLimit  = 300
	reportsLimitSecs = 60
)

func init() {
	m.Register(func(app core.App) error {
		return setReportsLimit(app, reportsOldLimit, reportsNewLimit)
	}, func(app core.App) error {
		return setReportsLimit(app, reportsNewLimit, reportsOldLimit)
	})
}

// setReportsLimit changes the reports rule from one limit to another when
// it still has the first (not edited by the school).
func setReportsLimit(app core.App, from, to int) error {
	s := app.Settings()
	for i, r := range s.RateLimits.Rules {
		if r.Label == reportsLabel && r.MaxRequests == from && r.Duration == reportsLimitSecs {
			s.RateLimits.Rules[i].MaxRequests = to
			return app.Save(s)
		}
	}
	return nil
}
