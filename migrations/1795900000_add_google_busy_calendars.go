package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Choosing calendars (docs/calendars.md): which of a person's Google
// calendars block their slots (busy_calendars, a JSON list of calendar
// ids; [] blocks nothing); google_links.calendar stays the one lessons are
// written to. Connections made before read their primary calendar.
func init() {
	m.Register(func(app core.App) error {
		links, err := app.FindCollectionByNameOrId("google_links")
		if err != nil {
			return err
		}
		links.Fields.Add(&core.JSONField{Name: "busy_calendars", MaxSize: 16 << 10})
		if err := app.Save(links); err != nil {
			return err
		}
		_, err = app.DB().NewQuery(`UPDATE google_links SET busy_calendars = '["primary"]'`).Execute()
		return err
	}, func(app core.App) error {
		links, err := app.FindCollectionByNameOrId("google_links")
		if err != nil {
			return err
		}
		links.Fields.RemoveByName("busy_calendars")
		return app.Save(links)
	})
}
