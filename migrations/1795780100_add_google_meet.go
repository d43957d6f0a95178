package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Google Meet instead of Jitsi (docs/calendars.md): the school's default
// and each tutor's choice, and a lesson whose Meet link Google has not
// answered yet.
func init() {
	m.Register(func(app core.App) error {
		for _, name := range []string{"school", "tutors"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			c.Fields.Add(&core.BoolField{Name: "google_meet"})
			if err := app.Save(c); err != nil {
				return err
			}
		}
		bookings, err := app.FindCollectionByNameOrId("bookings")
		if err != nil {
			return err
		}
		bookings.Fields.Add(&core.BoolField{Name: "meet_pending"}) // the Meet link is being created
		return app.Save(bookings)
	}, func(app core.App) error {
		for name, field := range map[string]string{"school": "google_meet", "tutors": "google_meet", "bookings": "meet_pending"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			c.Fields.RemoveByName(field)
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	})
}
