package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// PageVisits counts the web app's page views by people not signed in, per
// day (in the school's zone) and route pattern ("/tutors/:id"): no cookie,
// no address, no person, nothing but the count (internal/app/reports,
// docs/insight.md). A plain table, not a collection: only the reports read
// it. The visits route adds to a row with one upsert.
const PageVisits = "page_visits"

func init() {
	m.Register(func(app core.App) error {
		_, err := app.DB().NewQuery(`CREATE TABLE IF NOT EXISTS ` + PageVisits + ` (
			day   TEXT NOT NULL,
			path  TEXT NOT NULL,
			count INTEGER NOT NULL DEFAULT 0,
			PRIMARY KEY (day, path)
		) WITHOUT ROWID`).Execute()
		return err
	}, func(app core.App) error {
		_, err := app.DB().NewQuery(`DROP TABLE IF EXISTS ` + PageVisits).Execute()
		return err
	})
}
