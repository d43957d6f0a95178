package hooks

import (
	"tutorbase/internal/oneline"

	validation "github.com/pocketbase/ozzo-validation/v4"
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
		fields := fields
		app.OnRecordValidate(collection).BindFunc(func(e *core.RecordEvent) error {
			errs := cleanOneLine(e.Record, fields)
			return mergeErrors(e.Next(), errs)
		})
	}
}

// cleanOneLine cleans fields of r in place; a value that was not empty and
// has nothing visible left is refused.
func cleanOneLine(r *core.Record, fields []string) validation.Errors {
	errs := validation.Errors{}
	for _, f := range fields {
		raw := r.GetString(f)
		if raw == "" {
			continue
		}
		clean := oneline.Clean(raw)
		if clean == "" {
			errs[f] = validation.NewError("empty_text", "Use letters or numbers: spaces and invisible characters alone are not enough.")
			continue
		}
		if clean != raw {
			r.Set(f, clean)
		}
	}
	return errs
}
