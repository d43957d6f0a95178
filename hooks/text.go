package hooks

import (
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"
)

// oneLineFields are the one-line text fields people type (names, titles,
// labels). Every write path (records API, batch, dashboard, code) stores
// them cleaned by oneline.Clean: NFC, no control or invisible formatting
// characters, single spaces. Names copied by the server (tutors.name,
// bookings.student_name, ...) come from these, so they are clean too.
var oneLineFields = map[string][]string{
	"users":     {"name"},
	"school":    {"name", "phone", "vat_id"},
	"subjects":  {"name"},
	"tutors":    {"headline"},
	"students":  {"guardian_name", "level"},
	"packages":  {"title"},
	"time_off":  {"reason"},
	"materials": {"title", "folder"},
}

func registerText(app core.App) {
	for collection, fields := range oneLineFields {
		platform.OneLine(app, collection, fields...)
	}
}
