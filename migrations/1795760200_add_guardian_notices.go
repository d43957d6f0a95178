package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// A guardian chooses, per student, whether they receive that student's
// lesson reminders and notices (booked, confirmed, cancelled, moved): on
// unless muted.
func init() {
	m.Register(func(app core.App) error {
		links, err := app.FindCollectionByNameOrId("guardians")
		if err != nil {
			return err
		}
		links.Fields.Add(&core.BoolField{Name: "muted"})
		return app.Save(links)
	}, func(app core.App) error {
		links, err := app.FindCollectionByNameOrId("guardians")
		if err != nil {
			return err
		}
		links.Fields.RemoveByName("muted")
		return app.Save(links)
	})
}
