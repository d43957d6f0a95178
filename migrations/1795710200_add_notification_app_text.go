package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// A notification's text for the web app: the message alone, without the
// email's greeting and links (the app links to the lesson itself).
func init() {
	m.Register(func(app core.App) error {
		notifications, err := app.FindCollectionByNameOrId("notifications")
		if err != nil {
			return err
		}
		notifications.Fields.Add(text("app", 5000, false))
		return app.Save(notifications)
	}, func(app core.App) error {
		notifications, err := app.FindCollectionByNameOrId("notifications")
		if err != nil {
			return err
		}
		notifications.Fields.RemoveByName("app")
		return app.Save(notifications)
	})
}
