package materials

import (
	"net/http"
	"slices"
	"unicode/utf8"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/oneline"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// maxFolder bounds a folder's name (the field's own bound).
const maxFolder = 200

type bulkBody struct {
	IDs     []string `json:"ids"`
	Folder  string   `json:"folder"`
	Student string   `json:"student"`
}

// Move answers POST /api/materials/move {ids, folder}: the materials (each
// with all its versions) go to folder ("" is no folder). Answers
// {"moved": n}, n the materials that were elsewhere: the change is a
// compare-and-set in one transaction, so of identical requests at once
// one moves them and the others find them moved.
func (s *Service) Move(e *core.RequestEvent) error {
	var body bulkBody
	if err := e.BindBody(&body); err != nil {
		return apis.NewBadRequestError("Send {ids, folder}.", nil)
	}
	folder := oneline.Clean(body.Folder)
	if utf8.RuneCountInString(folder) > maxFolder {
		msg := "A folder's name is at most 200 characters."
		return apis.NewBadRequestError(msg, validation.Errors{"folder": validation.NewError("validation_length_too_long", msg)})
	}
	moved, err := s.eachOwned(e, body.IDs, func(m *core.Record) bool {
		if m.GetString("folder") == folder {
			return false
		}
		m.Set("folder", folder)
		return true
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]int{"moved": moved})
}

// Unshare answers POST /api/materials/unshare {ids, student?}: the
// materials (with all their versions) are no longer shared with student
// (nor attached to a lesson of theirs), or, without one, with anybody and
// with no lesson. Answers {"unshared": n}, n the materials that changed;
// like Move, a compare-and-set in one transaction.
func (s *Service) Unshare(e *core.RequestEvent) error {
	var body bulkBody
	if err := e.BindBody(&body); err != nil {
		return apis.NewBadRequestError("Send {ids, student?}.", nil)
	}
	changed, err := s.eachOwned(e, body.IDs, func(m *core.Record) bool {
		shared, booking := m.GetStringSlice("shared_with"), m.GetString("booking")
		if body.Student == "" {
			if len(shared) == 0 && booking == "" {
				return false
			}
			m.Set("shared_with", []string{})
			m.Set("booking", "")
			return true
		}
		left := slices.DeleteFunc(slices.Clone(shared), func(id string) bool { return id == body.Student })
		dropLesson := booking != "" && studentOf(e.App, booking) == body.Student
		if len(left) == len(shared) && !dropLesson {
			return false
		}
		m.Set("shared_with", left)
		if dropLesson {
			m.Set("booking", "")
		}
		return true
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]int{"unshared": changed})
}

func studentOf(app core.App, booking string) string {
	var student string
	_ = app.DB().Select("student").From("bookings").Where(dbx.HashExp{"id": booking}).Row(&student)
	return student
}

// eachOwned applies change to the newest version of each material of ids
// the caller owns (staff: any), read again inside one write transaction,
// and saves those it changed (the hooks write the change to every
// version). Any id the caller cannot change is a 404 and nothing changes.
func (s *Service) eachOwned(e *core.RequestEvent, raw []string, change func(*core.Record) bool) (int, error) {
	ids, err := bulkIDs(raw)
	if err != nil {
		return 0, err
	}
	staff := platform.IsStaff(e)
	n := 0
	err = e.App.RunInTransaction(func(tx core.App) error {
		seen := map[string]bool{}
		for _, id := range ids {
			m, err := tx.FindRecordById(collection, id)
			if err != nil || (!staff && m.GetString("owner") != e.Auth.Id) {
				return e.NotFoundError("Material not found.", validation.Errors{"ids": validation.NewError("not_found", "Material "+id+" was not found.")})
			}
			chain := chainOf(m)
			if seen[chain] {
				continue
			}
			seen[chain] = true
			if !m.GetBool("latest") {
				if m, err = tx.FindFirstRecordByFilter(collection, "(id = {:c} || root = {:c}) && latest = true", dbx.Params{"c": chain}); err != nil {
					return err
				}
			}
			if !change(m) {
				continue
			}
			if staff {
				m.SetRaw(materialsByStaffKey, true)
			}
			if err := tx.Save(m); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
