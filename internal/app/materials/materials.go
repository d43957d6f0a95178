// Package materials is the files and links tutors share: uploaded within
// the school's limits, kept in folders, attached to their own lessons or
// shared with their own students, in versions, downloaded one by one or as
// a zip, with a record of who downloaded what (docs/teaching.md).
//
// A material is a record of the materials collection; each new version is
// a record of its own (version, previous, root), the newest marked latest.
// Sharing (shared_with, booking) and the folder are the same on every
// version of a material: a change to one is written to all.
package materials

import (
	"fmt"
	"slices"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// Collection names.
const (
	collection = "materials"
	downloads  = "material_downloads"
)

// Service is the materials capability: its hooks and routes.
type Service struct {
	env platform.Env
}

// New returns the materials capability.
func New(env platform.Env) *Service { return &Service{env: env} }

// materialsByStaffKey marks (as custom record data, never stored) a
// material written by staff, who may link and share it with anyone.
const materialsByStaffKey = "@tutorbase.materials_by_staff"

// baselineKey holds (as custom record data) the record whose sharing a
// new version copies: what it already shares was checked then.
const baselineKey = "@tutorbase.materials_baseline"

// Register binds the rules every write of a material obeys: the school's
// upload limits, the versions, the sharing kept to the tutor's own
// teaching (the lesson a material is linked to is one the owner teaches,
// and whoever it is newly shared with has booked the owner, a lesson not
// cancelled; materials staff own or write are free of both; the API rules
// say the first again, migrations.RuleMaterialsCreate), the materials of
// a lesson following it when it is rescheduled, and the record of
// downloads.
func (s *Service) Register(app core.App) {
	platform.OneLine(app, collection, "title", "folder")
	platform.Guard(app, collection, platform.FieldGuard{
		Server:    []string{"version", "latest", "root", "owner_name", "size"},
		Immutable: []string{"owner", "previous", "file", "url"},
	})
	byStaff := func(e *core.RecordRequestEvent) error {
		if platform.IsStaff(e.RequestEvent) {
			e.Record.SetRaw(materialsByStaffKey, true)
		}
		return e.Next()
	}
	app.OnRecordCreateRequest(collection).BindFunc(byStaff)
	app.OnRecordUpdateRequest(collection).BindFunc(byStaff)
	app.OnRecordValidate(collection).BindFunc(func(e *core.RecordEvent) error {
		errs, err := checkMaterial(e.App, e.Record)
		if err != nil {
			return err
		}
		upload, err := checkUpload(e.App, e.Record)
		if err != nil {
			return err
		}
		for k, v := range upload {
			errs[k] = v
		}
		return platform.MergeErrors(e.Next(), errs)
	})
	app.OnRecordCreate("bookings").BindFunc(followReschedule)
	registerLimits(app)
	registerVersions(app)
	s.registerDownloads(app)
}

// followReschedule moves the materials attached to a lesson to the lesson
// it is rescheduled to (a new booking), in the same write: its student
// finds them on the new lesson's page, and nothing stays on the cancelled
// one.
func followReschedule(e *core.RecordEvent) error {
	if err := e.Next(); err != nil {
		return err
	}
	from := e.Record.GetString("rescheduled_from")
	if from == "" {
		return nil
	}
	_, err := e.App.DB().NewQuery("UPDATE materials SET booking = {:to} WHERE booking = {:from}").
		Bind(dbx.Params{"to": e.Record.Id, "from": from}).Execute()
	if err != nil {
		return fmt.Errorf("failed to move the materials of a rescheduled lesson: %w", err)
	}
	return nil
}

// checkMaterial holds a tutor's material to their own lessons and
// students; what a new version copies from the one before was checked
// then.
func checkMaterial(app core.App, m *core.Record) (validation.Errors, error) {
	errs := validation.Errors{}
	if staff, _ := m.GetRaw(materialsByStaffKey).(bool); staff {
		return errs, nil
	}
	owner := m.GetString("owner")
	var role string
	if err := app.DB().Select("role").From("users").Where(dbx.HashExp{"id": owner}).Row(&role); err != nil || role == platform.RoleAdmin {
		return errs, nil // an unknown owner is the relation check's to report
	}
	orig := m.Original()
	if base, ok := m.GetRaw(baselineKey).(*core.Record); ok {
		orig = base
	}
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
