package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The staff reports count a period's lessons week by week: an index on
// bookings' start lets each week be one range of it (docs/insight.md).
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("bookings")
		if err != nil {
			return err
		}
		c.AddIndex("idx_bookings_start", false, "start", "")
		return app.Save(c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("bookings")
		if err != nil {
			return err
		}
		c.RemoveIndex("idx_bookings_start")
		return app.Save(c)
	})
}
