package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// NoteOutbox is where a booking change leaves the notifications it owes,
// in the change's own transaction; the notification writer deletes a row
// in the transaction that writes its notifications (hooks/background.go).
// A plain table, not a collection: nobody reads it through the API.
const NoteOutbox = "note_outbox"

func init() {
	m.Register(func(app core.App) error {
		_, err := app.DB().NewQuery(`CREATE TABLE IF NOT EXISTS ` + NoteOutbox + ` (
			id      INTEGER PRIMARY KEY AUTOINCREMENT,
			booking TEXT NOT NULL,
			old     TEXT NOT NULL DEFAULT '',
			kind    TEXT NOT NULL,
			actor   TEXT NOT NULL DEFAULT '',
			created TEXT NOT NULL
		)`).Execute()
		return err
	}, func(app core.App) error {
		_, err := app.DB().NewQuery(`DROP TABLE IF EXISTS ` + NoteOutbox).Execute()
		return err
	})
}
