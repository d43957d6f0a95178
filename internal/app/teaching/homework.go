package teaching

import (
	"errors"
	"net/http"
	"strings"

	"tutorbase/internal/app/booking"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/notify"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// HomeworkDone answers POST /api/lesson-reports/{id}/homework-done: the
// report's student marks its homework done, optionally attaching a file
// (multipart, field "file"), and its tutor is told. It happens once: the
// report is read again under the write lock, and homework already done is
// a 400 bad_state that changes nothing. Answers the report.
func (s *Service) HomeworkDone(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	r, err := e.App.FindRecordById("lesson_reports", id)
	if err != nil {
		return e.NotFoundError("", nil)
	}
	caller := platform.ActorID(e)
	if caller == "" || r.GetString("student") != caller {
		if platform.IsStaff(e) || (caller != "" && r.GetString("tutor_user") == caller) {
			return e.ForbiddenError("Only the student marks homework done.", nil)
		}
		return e.NotFoundError("", nil)
	}
	if r.GetString("homework") == "" {
		return platform.RuleError(http.StatusBadRequest, "homework", "no_homework", "This lesson has no homework.")
	}
	file, err := uploadedFile(e)
	if err != nil {
		return platform.RuleError(http.StatusBadRequest, "file", "bad_file", "Attach one file, or none.")
	}
	now := s.env.Now()
	var done *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById("lesson_reports", id)
		if err != nil {
			return err
		}
		if !fresh.GetDateTime("homework_done_at").IsZero() {
			return platform.RuleError(http.StatusBadRequest, "homework_done_at", platform.CodeBadState, "This homework is already marked done.")
		}
		fresh.Set("homework_done_at", now)
		if file != nil {
			fresh.Set("homework_file", file)
		}
		if err := tx.Save(fresh); err != nil {
			return err
		}
		if b, err := tx.FindRecordById("bookings", fresh.GetString("booking")); err == nil {
			ev := booking.LessonEvent(tx, b, notify.KindHomeworkDone)
			ev.JoinURL = ""
			s.notes.Notify(tx, []string{fresh.GetString("tutor_user")}, ev, map[string]any{"booking": b.Id, "report": fresh.Id})
		}
		done = fresh
		return nil
	})
	if err != nil {
		return err
	}
	return platform.Respond(e, done)
}

// uploadedFile is the request's "file", or nil when it sends none.
func uploadedFile(e *core.RequestEvent) (*filesystem.File, error) {
	if !strings.HasPrefix(e.Request.Header.Get("Content-Type"), "multipart/form-data") {
		return nil, nil
	}
	files, err := e.FindUploadedFiles("file")
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	if err != nil || len(files) != 1 {
		return nil, errors.New("not one file")
	}
	return files[0], nil
}
