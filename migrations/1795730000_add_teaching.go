package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Teaching between lessons (docs/teaching.md): the tutor's report of each
// lesson, with homework and progress ratings, which its student sees; the
// tutors' private notes about a student, in a collection of their own so
// that no rule, filter, expand or realtime event of the reports can reach
// them; and the record of the reminders sent for reports still missing.
const (
	// ReportTextMax bounds the free-text fields of a report and a note.
	ReportTextMax = 5000
	// HomeworkFileMaxBytes is the largest file a student may attach to
	// homework marked done.
	HomeworkFileMaxBytes = 20 << 20
	// ReportMaterialsMax is how many materials a report may list.
	ReportMaterialsMax = 20
)

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		ids := map[string]string{}
		for _, name := range []string{"bookings", "tutors", "subjects", "materials"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			ids[name] = c.Id
		}

		reports := core.NewBaseCollection("lesson_reports")
		reports.Fields.Add(
			relation("booking", ids["bookings"], true, true),
			relation("tutor", ids["tutors"], false, false),
			relation("tutor_user", users.Id, false, false),
			relation("student", users.Id, false, false),
			relation("subject", ids["subjects"], false, false),
			&core.DateField{Name: "lesson_start"},
			text("topics", ReportTextMax, false),
			text("homework", ReportTextMax, false),
			&core.DateField{Name: "due"},
			&core.RelationField{Name: "materials", CollectionId: ids["materials"], MaxSelect: ReportMaterialsMax},
			&core.JSONField{Name: "ratings", MaxSize: 4 << 10},
			text("comment", ReportTextMax, false),
			&core.DateField{Name: "homework_done_at"},
			&core.FileField{Name: "homework_file", Protected: true, MaxSelect: 1, MaxSize: HomeworkFileMaxBytes},
		)
		reports.Fields.Add(timestamps()...)
		reports.AddIndex("idx_lesson_reports_booking", true, "booking", "")
		reports.AddIndex("idx_lesson_reports_student", false, "student, lesson_start", "")
		reports.AddIndex("idx_lesson_reports_tutor_user", false, "tutor_user, lesson_start", "")
		rules(reports, rule(RuleLessonReportsView), rule(RuleLessonReportsView), rule(RuleLessonReportsCreate),
			rule(RuleLessonReportsUpdate), rule(RuleLessonReportsDelete))
		if err := app.Save(reports); err != nil {
			return err
		}

		notes := core.NewBaseCollection("tutor_notes")
		notes.Fields.Add(
			relation("student", users.Id, true, true),
			relation("author", users.Id, false, false),
			relation("booking", ids["bookings"], false, false),
			&core.TextField{Name: "body", Min: 1, Max: ReportTextMax, Required: true},
		)
		notes.Fields.Add(timestamps()...)
		notes.AddIndex("idx_tutor_notes_author_student", false, "author, student", "")
		rules(notes, rule(RuleTutorNotesView), rule(RuleTutorNotesView), rule(RuleTutorNotesCreate), rule(RuleTutorNotesWrite), rule(RuleTutorNotesWrite))
		if err := app.Save(notes); err != nil {
			return err
		}

		// one row per lesson whose tutor was reminded of its missing report
		reminded := core.NewBaseCollection("report_reminders")
		reminded.Fields.Add(
			relation("booking", ids["bookings"], true, true),
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		reminded.AddIndex("idx_report_reminders_booking", true, "booking", "")
		return app.Save(reminded)
	}, func(app core.App) error {
		return dropCollections(app, "report_reminders", "tutor_notes", "lesson_reports")
	})
}
