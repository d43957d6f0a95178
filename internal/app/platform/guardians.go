package platform

import (
	"net/http"

	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// IsGuardianOf reports whether guardian is an accepted guardian of
// student (both users ids): the one check, in Go, of the rule fragment
// migrations.GuardianOf. A link whose invitation is still open has no
// guardian yet, so it never matches.
func IsGuardianOf(app core.App, guardian, student string) (bool, error) {
	if guardian == "" || student == "" {
		return false, nil
	}
	var n int
	err := app.DB().Select("count(*)").From("guardians").
		Where(dbx.HashExp{"guardian": guardian, "student": student, "status": "accepted"}).Row(&n)
	return n > 0, err
}

// StudentsOf is the users ids of the students guardian manages, in the
// order they were linked.
func StudentsOf(app core.App, guardian string) ([]string, error) {
	var ids []string
	if guardian == "" {
		return ids, nil
	}
	err := app.DB().Select("student").From("guardians").
		Where(dbx.HashExp{"guardian": guardian, "status": "accepted"}).OrderBy("created ASC").Column(&ids)
	return ids, err
}

// GuardiansOf is the users ids of the accepted guardians of student.
func GuardiansOf(app core.App, student string) ([]string, error) {
	var ids []string
	err := app.DB().Select("guardian").From("guardians").
		Where(dbx.HashExp{"student": student, "status": "accepted"}).AndWhere(dbx.NewExp("guardian != ''")).
		OrderBy("created ASC").Column(&ids)
	return ids, err
}

// guardedStudentFor is StudentFor for a guardian: one of their students,
// named; the guardian's confirmed email counts for the child.
func guardedStudentFor(e *core.RequestEvent, asked string) (string, error) {
	if asked == "" {
		return "", RuleError(http.StatusBadRequest, "student", "validation_required", "Choose the student these lessons are for.")
	}
	ok, err := IsGuardianOf(e.App, e.Auth.Id, asked)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", RuleError(http.StatusBadRequest, "student", CodeNotYourStudent, "You can only act for the students you are a guardian of.")
	}
	if err := RequireVerifiedEmail(e, "student"); err != nil {
		return "", err
	}
	return asked, nil
}

// CodeNotYourStudent: a guardian named a student they do not manage.
const CodeNotYourStudent = "not_your_student"

// NoticedGuardians is the users ids of the accepted guardians of student
// who receive the student's lesson reminders and notices (they did not
// mute them).
func NoticedGuardians(app core.App, student string) ([]string, error) {
	var ids []string
	err := app.DB().Select("guardian").From("guardians").
		Where(dbx.HashExp{"student": student, "status": "accepted", "muted": false}).AndWhere(dbx.NewExp("guardian != ''")).
		OrderBy("created ASC").Column(&ids)
	return ids, err
}

// ForGuardians is ev as a guardian reads it: the lesson named with the
// tutor and the student it is for.
func ForGuardians(ev notify.Event) notify.Event {
	ev.OtherParty = ev.TutorName + " (" + ev.StudentName + ")"
	for i := range ev.Lessons {
		ev.Lessons[i].OtherParty = ev.Lessons[i].TutorName + " (" + ev.StudentName + ")"
	}
	return ev
}
