package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Languages are the ISO 639-1 codes a tutor can teach in.
var Languages = []string{
	"it", "en", "es", "fr", "de", "pt", "nl", "pl", "ro", "el", "sv", "da", "fi", "no",
	"cs", "hu", "uk", "ru", "tr", "ar", "he", "hi", "bn", "ur", "fa", "zh", "ja", "ko", "vi", "th", "id", "ms", "sw",
}

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}

		subjects := core.NewBaseCollection("subjects")
		subjects.Fields.Add(
			text("name", 100, true),
			&core.TextField{Name: "slug", Min: 1, Max: 60, Pattern: `^[a-z0-9]+(-[a-z0-9]+)*$`, Required: true},
		)
		subjects.Fields.Add(timestamps()...)
		subjects.AddIndex("idx_subjects_slug", true, "slug", "")
		rules(subjects, rule(RuleSubjectsView), rule(RuleSubjectsView), rule(RuleSubjectsWrite), rule(RuleSubjectsWrite), rule(RuleSubjectsWrite))
		if err := app.Save(subjects); err != nil {
			return err
		}

		tutors := core.NewBaseCollection("tutors")
		tutors.Fields.Add(
			relation("user", users.Id, true, true),
			text("name", 120, false),     // the user's name, kept in sync by the server
			text("timezone", 64, false),  // the user's zone, kept in sync by the server
			text("headline", 160, false), //
			text("bio", 5000, false),
			&core.RelationField{Name: "subjects", CollectionId: subjects.Id, MaxSelect: 20},
			&core.SelectField{Name: "languages", Values: Languages, MaxSelect: len(Languages)},
			cents("hourly_rate", false),
			currency("currency", false),
			&core.BoolField{Name: "verified"},
			choice("status", true, "pending", "active", "suspended"),
			&core.JSONField{Name: "lesson_minutes", MaxSize: 1 << 10},
			integer("buffer_minutes", 0, 240, false),
			integer("min_notice_minutes", 0, 43200, false),
			integer("max_advance_days", 0, 730, false),
			&core.BoolField{Name: "auto_confirm"},
			&core.URLField{Name: "meeting_url"},
			&core.NumberField{Name: "rating_avg", Min: types.Pointer(0.0), Max: types.Pointer(5.0)},
			integer("rating_count", 0, 1e9, false),
			&core.TextField{Name: "stripe_account", Hidden: true, Max: 64, Pattern: `^acct_[A-Za-z0-9]+$`},
		)
		tutors.Fields.Add(timestamps()...)
		tutors.AddIndex("idx_tutors_user", true, "user", "")
		tutors.AddIndex("idx_tutors_listed", false, "verified, status, rating_avg", "")
		rules(tutors, rule(RuleTutorsView), rule(RuleTutorsView), rule(RuleTutorsCreate), rule(RuleTutorsUpdate), rule(RuleTutorsDelete))
		if err := app.Save(tutors); err != nil {
			return err
		}

		students := core.NewBaseCollection("students")
		students.Fields.Add(
			relation("user", users.Id, true, true),
			text("guardian_name", 120, false),
			&core.EmailField{Name: "guardian_email"},
			text("level", 100, false),
			text("goals", 2000, false),
		)
		students.Fields.Add(timestamps()...)
		students.AddIndex("idx_students_user", true, "user", "")
		rules(students, rule(RuleStudentsView), rule(RuleStudentsView), rule(RuleStudentsCreate), rule(RuleStudentsUpdate), rule(RuleStudentsDelete))
		return app.Save(students)
	}, func(app core.App) error {
		return dropCollections(app, "students", "tutors", "subjects")
	})
}
