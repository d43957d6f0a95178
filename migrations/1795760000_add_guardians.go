package migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Guardians: the guardian role, the links between a guardian and the
// students they manage (an invitation by email until it is accepted), a
// student's optional birth date (an adult may remove a guardian), and
// accounts without an email of their own (a child's profile made by a
// guardian: the guardian's email stands for it).
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		if f, ok := users.Fields.GetByName("role").(*core.SelectField); ok && !slices.Contains(f.Values, "guardian") {
			f.Values = append(f.Values, "guardian")
		}
		if f, ok := users.Fields.GetByName("email").(*core.EmailField); ok {
			f.Required = false // the account hooks ask for one on every sign-up
		}
		if err := app.Save(users); err != nil {
			return err
		}
		students, err := app.FindCollectionByNameOrId("students")
		if err != nil {
			return err
		}
		students.Fields.Add(&core.DateField{Name: "birth_date"})
		if err := app.Save(students); err != nil {
			return err
		}

		links := core.NewBaseCollection("guardians")
		links.Fields.Add(
			relation("student", users.Id, true, true),
			// empty until the invitation is accepted: the rules match a
			// guardian on this field alone
			relation("guardian", users.Id, false, true),
			&core.EmailField{Name: "email"}, // whom the invitation was sent to
			choice("status", true, "invited", "accepted"),
			&core.TextField{Name: "token_hash", Max: 64, Hidden: true}, // of the invitation link's secret
			relation("invited_by", users.Id, false, false),
			&core.DateField{Name: "accepted_at"},
		)
		links.Fields.Add(timestamps()...)
		links.AddIndex("idx_guardians_student_guardian", true, "student, guardian", "guardian != ''")
		links.AddIndex("idx_guardians_guardian", false, "guardian", "")
		links.AddIndex("idx_guardians_token_hash", true, "token_hash", "token_hash != ''")
		rules(links, rule(RuleGuardiansView), rule(RuleGuardiansView), nil, nil, nil)
		return app.Save(links)
	}, func(app core.App) error {
		if err := dropCollections(app, "guardians"); err != nil {
			return err
		}
		students, err := app.FindCollectionByNameOrId("students")
		if err != nil {
			return err
		}
		students.Fields.RemoveByName("birth_date")
		if err := app.Save(students); err != nil {
			return err
		}
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		if f, ok := users.Fields.GetByName("role").(*core.SelectField); ok {
			f.Values = slices.DeleteFunc(f.Values, func(v string) bool { return v == "guardian" })
		}
		if f, ok := users.Fields.GetByName("email").(*core.EmailField); ok {
			f.Required = true
		}
		return app.Save(users)
	})
}
