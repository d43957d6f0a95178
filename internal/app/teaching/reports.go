package teaching

import (
	"fmt"
	"math"
	"slices"

	"tutorbase/internal/app/platform"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// Rating bounds of a progress rating.
const (
	MinRating = 1
	MaxRating = 5
	// MaxRatedSubjects bounds the subjects one report rates.
	MaxRatedSubjects = 10
)

// reportParties are the fields of a report the server copies from its
// lesson: clients never set them.
var reportParties = []string{"tutor", "tutor_user", "student", "subject", "lesson_start"}

// registerReports keeps every report, on every write path, to a lesson
// that is over, with its parties copied from the lesson, ratings of known
// subjects from 1 to 5, a due date only with homework and materials of the
// lesson's tutor; the materials are shared with the student once the
// report is saved.
func (s *Service) registerReports(app core.App) {
	platform.Guard(app, "lesson_reports", platform.FieldGuard{
		Server:    append(slices.Clone(reportParties), "homework_done_at", "homework_file"),
		Immutable: []string{"booking"},
	})
	app.OnRecordValidate("lesson_reports").BindFunc(func(e *core.RecordEvent) error {
		errs, err := s.checkReport(e.App, e.Record)
		if err != nil {
			return err
		}
		return platform.MergeErrors(e.Next(), errs)
	})
	share := func(e *core.RecordEvent) error {
		shareMaterials(e.App, e.Record)
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess("lesson_reports").BindFunc(share)
	app.OnRecordAfterUpdateSuccess("lesson_reports").BindFunc(share)
}

func (s *Service) checkReport(app core.App, r *core.Record) (validation.Errors, error) {
	errs := validation.Errors{}
	b, err := app.FindRecordById("bookings", r.GetString("booking"))
	if err != nil {
		return nil, nil // a missing lesson is the relation check's to report
	}
	if r.IsNew() || r.GetString("booking") != r.Original().GetString("booking") {
		switch status := b.GetString("status"); {
		case status == platform.StatusCancelled || status == platform.StatusNoShow:
			errs["booking"] = validation.NewError("no_lesson", "A cancelled or missed lesson has no report.")
		case status != platform.StatusCompleted && b.GetDateTime("end").Time().After(s.env.Now()):
			errs["booking"] = validation.NewError("lesson_not_over", "Write the report once the lesson is over.")
		}
		for _, f := range reportParties {
			src := f
			if f == "lesson_start" {
				src = "start"
			}
			r.Set(f, b.Get(src))
		}
	}
	if msg := checkRatings(app, r.Get("ratings")); msg != "" {
		errs["ratings"] = validation.NewError("bad_rating", msg)
	}
	if !r.GetDateTime("due").IsZero() && r.GetString("homework") == "" {
		errs["due"] = validation.NewError("homework_required", "Set a due date only with homework.")
	}
	if ids := r.GetStringSlice("materials"); len(ids) > 0 {
		var owners []string
		if err := app.DB().Select("owner").From("materials").Where(inIDs(ids)).Column(&owners); err != nil {
			return nil, err
		}
		for _, o := range owners {
			if o != r.GetString("tutor_user") {
				errs["materials"] = validation.NewError("not_your_material", "Attach only your own materials.")
				break
			}
		}
	}
	return errs, nil
}

// checkRatings explains what is wrong with a report's ratings, or returns
// "": an object of subject ids to whole numbers from 1 to 5.
func checkRatings(app core.App, raw any) string {
	var ratings map[string]any
	if err := platform.DecodeJSON(raw, &ratings); err != nil {
		return "Give ratings as an object of subject ids and ratings from 1 to 5."
	}
	if len(ratings) > MaxRatedSubjects {
		return fmt.Sprintf("Rate at most %d subjects.", MaxRatedSubjects)
	}
	for subject, v := range ratings {
		n, ok := v.(float64)
		if !ok || n != math.Trunc(n) || n < MinRating || n > MaxRating {
			return "Give each rating as a whole number from 1 to 5."
		}
		if _, err := app.FindRecordById("subjects", subject); err != nil {
			return "Rate only subjects of the school."
		}
	}
	return ""
}

// shareMaterials shares the report's materials with its student (the
// materials hooks check that the student booked their owner).
func shareMaterials(app core.App, r *core.Record) {
	student := r.GetString("student")
	for _, id := range r.GetStringSlice("materials") {
		m, err := app.FindRecordById("materials", id)
		if err != nil || slices.Contains(m.GetStringSlice("shared_with"), student) {
			continue
		}
		m.Set("shared_with", append(m.GetStringSlice("shared_with"), student))
		if err := app.Save(m); err != nil {
			app.Logger().Error("failed to share a report's material", "report", r.Id, "material", id, "error", err)
		}
	}
}
