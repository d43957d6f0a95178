package accounts

import (
	"slices"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
	"tutorbase/internal/notify"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// tutorOwned are the collections whose records carry a server-filled
// tutor_user (the tutor's user id), so API rules compare ids without a join.
// (bookings fill it in their own create hook, which loads the tutor anyway).
var tutorOwned = []string{"availability", "time_off", "packages", "series", "payouts"}

func (s *Service) registerProfiles(app core.App) {
	fillTutorUser := func(e *core.RecordEvent) error {
		if e.Record.GetString("tutor") != e.Record.Original().GetString("tutor") || e.Record.GetString("tutor_user") == "" {
			t, err := e.App.FindRecordById("tutors", e.Record.GetString("tutor"))
			if err != nil {
				return validation.Errors{"tutor": validation.NewError("validation_missing_rel_records", "Unknown tutor.")}
			}
			e.Record.Set("tutor_user", t.GetString("user"))
		}
		return e.Next()
	}
	app.OnRecordCreate(tutorOwned...).BindFunc(fillTutorUser)
	app.OnRecordUpdate(tutorOwned...).BindFunc(fillTutorUser)

	app.OnRecordValidate("tutors").BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		if err := validateLessonMinutes(e.Record.Get("lesson_minutes")); err != nil {
			errs["lesson_minutes"] = err
		}
		if c := e.Record.GetString("currency"); c != "" && !billing.ValidCurrency(c) {
			errs["currency"] = validation.NewError("invalid_currency", "Unknown currency; use an ISO 4217 code such as EUR.")
		}
		return platform.MergeErrors(e.Next(), errs)
	})

	// Verifying a pending tutor activates them; un-verifying takes them out
	// of the directory.
	app.OnRecordUpdate("tutors").BindFunc(func(e *core.RecordEvent) error {
		orig := e.Record.Original()
		if e.Record.GetBool("verified") && !orig.GetBool("verified") && e.Record.GetString("status") == "pending" {
			e.Record.Set("status", "active")
		}
		if !e.Record.GetBool("verified") && e.Record.GetString("status") == "active" {
			e.Record.Set("status", "pending")
		}
		if !e.Record.GetBool("verified") || orig.GetBool("verified") {
			return e.Next()
		}
		return platform.InTx(e, func() error { // verified now: told in the same transaction
			s.notes.Notify(e.App, []string{e.Record.GetString("user")}, notify.Event{Kind: notify.KindTutorVerified,
				Link: e.App.Settings().Meta.AppURL + "/tutor/profile"}, map[string]any{"tutor": e.Record.Id})
			return nil
		})
	})
}

func validateLessonMinutes(raw any) error {
	var minutes []int
	if err := platform.DecodeJSON(raw, &minutes); err != nil {
		return validation.NewError("invalid_lengths", "Lesson lengths are a list of minutes, e.g. [30, 60].")
	}
	if len(minutes) > 10 {
		return validation.NewError("invalid_lengths", "At most 10 lesson lengths.")
	}
	for i, m := range minutes {
		if m < 15 || m > 480 || m%5 != 0 || slices.Contains(minutes[:i], m) {
			return validation.NewError("invalid_lengths", "Each lesson length is a distinct multiple of 5 minutes between 15 and 480.")
		}
	}
	return nil
}
