package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// A subject's name in the web app's other languages, by language:
// {"it": "Fisica"} beside the name "Physics". The web app and the
// notifications show the reader's; without one, the name.
func init() {
	m.Register(func(app core.App) error {
		subjects, err := app.FindCollectionByNameOrId("subjects")
		if err != nil {
			return err
		}
		subjects.Fields.Add(&core.JSONField{Name: "names", MaxSize: 4 << 10})
		return app.Save(subjects)
	}, func(app core.App) error {
		subjects, err := app.FindCollectionByNameOrId("subjects")
		if err != nil {
			return err
		}
		subjects.Fields.RemoveByName("names")
		return app.Save(subjects)
	})
}
