package teaching

import (
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// registerNotes keeps the tutors' private notes to their author's own
// students: the author is whoever writes the note through the API, a
// tutor writes only about a student who booked them (a lesson not
// cancelled), and a note linked to a lesson is about that lesson's
// student and, for a tutor, a lesson they teach.
func registerNotes(app core.App) {
	platform.Guard(app, "tutor_notes", platform.FieldGuard{Server: []string{"author"}, Immutable: []string{"student", "booking"}})
	app.OnRecordCreateRequest("tutor_notes").BindFunc(func(e *core.RecordRequestEvent) error {
		if id := platform.ActorID(e.RequestEvent); id != "" {
			e.Record.Set("author", id)
		}
		return e.Next()
	})
	app.OnRecordValidate("tutor_notes").BindFunc(func(e *core.RecordEvent) error {
		if !e.Record.IsNew() {
			return e.Next() // author, student and lesson never change
		}
		errs, err := checkNote(e.App, e.Record)
		if err != nil {
			return err
		}
		return platform.MergeErrors(e.Next(), errs)
	})
}

func checkNote(app core.App, n *core.Record) (validation.Errors, error) {
	errs := validation.Errors{}
	author, student := n.GetString("author"), n.GetString("student")
	var role string
	if author != "" {
		p, err := platform.LoadPerson(app, author)
		if err != nil {
			return nil, nil // an unknown author is the relation check's to report
		}
		role = p.Role
	}
	if role == platform.RoleTutor {
		var taught int
		err := app.DB().Select("count(*)").From("bookings").
			Where(dbx.HashExp{"tutor_user": author, "student": student}).
			AndWhere(dbx.NewExp("status != 'cancelled'")).Row(&taught)
		if err != nil {
			return nil, err
		}
		if taught == 0 {
			errs["student"] = validation.NewError("not_your_student", "Write notes only about students who have booked a lesson with you.")
		}
	}
	if id := n.GetString("booking"); id != "" {
		b, err := app.FindRecordById("bookings", id)
		if err == nil && (b.GetString("student") != student || (role == platform.RoleTutor && b.GetString("tutor_user") != author)) {
			errs["booking"] = validation.NewError("not_your_booking", "Link a note only to a lesson of yours with this student.")
		}
	}
	return errs, nil
}

// inIDs is an "id IN (...)" expression.
func inIDs(ids []string) dbx.Expression {
	vals := make([]any, len(ids))
	for i, id := range ids {
		vals[i] = id
	}
	return dbx.In("id", vals...)
}
