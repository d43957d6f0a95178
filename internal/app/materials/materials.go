// Package materials is the files and links tutors share: attached to their
// own lessons, shared with their own students.
package materials

import (
	"slices"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// materialsByStaffKey marks (as custom record data, never stored) a
// material written by staff, who may link and share it with anyone.
const materialsByStaffKey = "@tutorbase.materials_by_staff"

// registerMaterials keeps a tutor's materials to their own teaching, on
// every write path: the lesson a material is linked to is one the owner
// teaches, and whoever it is newly shared with has booked the owner (a
// lesson not cancelled). Materials staff own or write are free of both.
// The API rules say the first again (migrations.RuleMaterialsCreate).
// Register binds the rules every write of a material obeys.
func Register(app core.App) {
	platform.OneLine(app, "materials", "title", "folder")
	platform.Guard(app, "materials", platform.FieldGuard{Server: []string{"version", "previous"}, Immutable: []string{"owner"}})
	byStaff := func(e *core.RecordRequestEvent) error {
		if platform.IsStaff(e.RequestEvent) {
			e.Record.SetRaw(materialsByStaffKey, true)
		}
		return e.Next()
	}
	app.OnRecordCreateRequest("materials").BindFunc(byStaff)
	app.OnRecordUpdateRequest("materials").BindFunc(byStaff)
	app.OnRecordValidate("materials").BindFunc(func(e *core.RecordEvent) error {
		errs, err := checkMaterial(e.App, e.Record)
		if err != nil {
			return err
		}
		return platform.MergeErrors(e.Next(), errs)
	})
}

func checkMaterial(app core.App, m *core.Record) (validation.Errors, error) {
	if staff, _ := m.GetRaw(materialsByStaffKey).(bool); staff {
		return nil, nil
	}
	owner := m.GetString("owner")
	var role string
	if err := app.DB().Select("role").From("users").Where(dbx.HashExp{"id": owner}).Row(&role); err != nil || role == platform.RoleAdmin {
		return nil, nil // an unknown owner is the relation check's to report
	}
	errs := validation.Errors{}
	orig := m.Original()
	if b := m.GetString("booking"); b != "" && b != orig.GetString("booking") {
		var tutorUser string
		_ = app.DB().Select("tutor_user").From("bookings").Where(dbx.HashExp{"id": b}).Row(&tutorUser)
		if tutorUser != owner {
			errs["booking"] = validation.NewError("not_your_booking", "Link a material only to a lesson you teach.")
		}
	}
	var added []any
	for _, id := range m.GetStringSlice("shared_with") {
		if !slices.Contains(orig.GetStringSlice("shared_with"), id) {
			added = append(added, id)
		}
	}
	if len(added) > 0 {
		var students []string
		err := app.DB().Select("student").Distinct(true).From("bookings").
			Where(dbx.HashExp{"tutor_user": owner}).AndWhere(dbx.In("student", added...)).
			AndWhere(dbx.NewExp("status != 'cancelled'")).Column(&students)
		if err != nil {
			return nil, err
		}
		if len(students) < len(added) {
			errs["shared_with"] = validation.NewError("not_your_student", "Share materials only with students who have booked a lesson with you.")
		}
	}
	return errs, nil
}
