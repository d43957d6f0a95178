package platform

import (
	"tutorbase/internal/oneline"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// OneLine makes every write path (records API, batch, dashboard, code)
// store the one-line text fields of collection cleaned by oneline.Clean:
// NFC, no control or invisible formatting characters, single spaces.
func OneLine(app core.App, collection string, fields ...string) {
	app.OnRecordValidate(collection).BindFunc(func(e *core.RecordEvent) error {
		errs := cleanOneLine(e.Record, fields)
		return MergeErrors(e.Next(), errs)
	})
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
