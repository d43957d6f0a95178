package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The slot engine and the bulk search read a tutor's busy times by
// (tutor, start) and keep those that end after the range's start: with
// "end" in the index those reads never visit the table (a free-time
// search over a whole school reads thousands of them).
func init() {
	m.Register(func(app core.App) error {
		return setBusyIndex(app, `tutor, start, "end"`)
	}, func(app core.App) error {
		return setBusyIndex(app, "tutor, start")
	})
}

func setBusyIndex(app core.App, columns string) error {
	busy, err := app.FindCollectionByNameOrId("busy_times")
	if err != nil {
		return err
	}
	busy.AddIndex("idx_busy_times_tutor_start", false, columns, "")
	return app.Save(busy)
}
