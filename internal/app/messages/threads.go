package messages

import (
	"net/http"
	"slices"
	"strings"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/oneline"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// TakesPart reports whether user reads thread: a participant, or an
// accepted guardian of its student (migrations.RuleThreadsView in Go).
func TakesPart(app core.App, thread *core.Record, user string) (bool, error) {
	if slices.Contains(thread.GetStringSlice("participants"), user) {
		return true, nil
	}
	return platform.IsGuardianOf(app, user, thread.GetString("student"))
}

// Readers is the users ids who read thread: its participants and its
// student's guardians.
func Readers(app core.App, thread *core.Record) ([]string, error) {
	out := slices.Clone(thread.GetStringSlice("participants"))
	if st := thread.GetString("student"); st != "" {
		gs, err := platform.GuardiansOf(app, st)
		if err != nil {
			return nil, err
		}
		for _, g := range gs {
			if !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	return out, nil
}

type startBody struct {
	To      string `json:"to"`
	Student string `json:"student"`
	Subject string `json:"subject"`
}

// Start answers POST /api/threads {to, student?, subject?}: the direct
// thread between the caller and to, made once (the same pair gets the
// same thread, however many ask at once). A student writes to a tutor who
// takes bookings, a guardian to a tutor for one of their students (named),
// a tutor to a student they have had a lesson with, staff to anyone and
// anyone to staff.
func (s *Service) Start(e *core.RequestEvent) error {
	var in startBody
	if err := e.BindBody(&in); err != nil || in.To == "" || in.To == e.Auth.Id {
		return platform.RuleError(http.StatusBadRequest, "to", "validation_required", "Choose whom to write to.")
	}
	to, err := platform.LoadPerson(e.App, in.To)
	if err != nil {
		return platform.RuleError(http.StatusBadRequest, "to", "validation_required", "Choose whom to write to.")
	}
	participants, student, err := s.pair(e, to, in.Student)
	if err != nil {
		return err
	}
	slices.Sort(participants)
	key := KindDirect + ":" + strings.Join(participants, ":")
	thread, err := s.getOrCreate(e.App, "pair_key", key, func(r *core.Record) {
		r.Set("kind", KindDirect)
		r.Set("pair_key", key)
		r.Set("participants", participants)
		r.Set("student", student)
		r.Set("subject", oneline.Truncate(oneline.Clean(in.Subject), 120))
	}, e.Auth.Id)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, thread)
}

// pair is who takes part in a direct thread the caller starts with to,
// and the student whose guardians join it ("" for none).
func (s *Service) pair(e *core.RequestEvent, to platform.Person, asked string) ([]string, string, error) {
	me, role := e.Auth.Id, e.Auth.GetString("role")
	refuse := platform.RuleError(http.StatusForbidden, "to", "not_allowed", "You cannot start a conversation with this person.")
	switch {
	case role == platform.RoleAdmin || to.Role == platform.RoleAdmin:
		student := ""
		if to.Role == platform.RoleStudent {
			student = to.Id
		} else if role == platform.RoleStudent {
			student = me
		}
		return []string{me, to.Id}, student, nil
	case role == platform.RoleStudent && to.Role == platform.RoleTutor:
		if ok, err := takesBookings(e.App, to.Id); err != nil || !ok {
			return nil, "", firstErr(err, refuse)
		}
		return []string{to.Id, me}, me, nil
	case role == platform.RoleGuardian && to.Role == platform.RoleTutor:
		ok, err := platform.IsGuardianOf(e.App, me, asked)
		if err != nil || !ok {
			return nil, "", firstErr(err, platform.RuleError(http.StatusBadRequest, "student", platform.CodeNotYourStudent, "You can only act for the students you are a guardian of."))
		}
		return []string{to.Id, asked}, asked, nil
	case role == platform.RoleTutor && to.Role == platform.RoleStudent:
		var n int
		err := e.App.DB().Select("count(*)").From("bookings").
			Where(dbx.HashExp{"tutor_user": me, "student": to.Id}).Row(&n)
		if err != nil || n == 0 {
			return nil, "", firstErr(err, platform.RuleError(http.StatusForbidden, "to", "not_allowed", "You can write only to students you have had a lesson with."))
		}
		return []string{me, to.Id}, to.Id, nil
	}
	return nil, "", refuse
}

func firstErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// takesBookings reports whether the tutor account user has a verified,
// active profile.
func takesBookings(app core.App, user string) (bool, error) {
	var n int
	err := app.DB().Select("count(*)").From("tutors").
		Where(dbx.HashExp{"user": user, "verified": true, "status": "active"}).Row(&n)
	return n > 0, err
}

// LessonThread answers POST /api/bookings/{id}/thread: the lesson's thread
// between its tutor and its student (and the student's guardians), made
// once. The lesson's parties, their guardians and staff may ask; anyone
// else is told it does not exist.
func (s *Service) LessonThread(e *core.RequestEvent) error {
	b, err := e.App.FindRecordById("bookings", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	me, student, tutor := e.Auth.Id, b.GetString("student"), b.GetString("tutor_user")
	if me != student && me != tutor && !platform.IsStaff(e) {
		if ok, err := platform.IsGuardianOf(e.App, me, student); err != nil || !ok {
			return firstErr(err, e.NotFoundError("", nil))
		}
	}
	thread, err := s.getOrCreate(e.App, "booking", b.Id, func(r *core.Record) {
		r.Set("kind", KindLesson)
		r.Set("booking", b.Id)
		r.Set("participants", []string{tutor, student})
		r.Set("student", student)
	}, platform.ActorID(e))
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, thread)
}

// getOrCreate returns the thread whose field is value, or makes it with
// fill, in one transaction: the writes of the process are serialised, so
// requests at once for the same pair or lesson make one thread.
func (s *Service) getOrCreate(app core.App, field, value string, fill func(*core.Record), creator string) (*core.Record, error) {
	var thread *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		found, err := tx.FindFirstRecordByData("threads", field, value)
		if err == nil {
			thread = found
			return nil
		}
		col, err := tx.FindCachedCollectionByNameOrId("threads")
		if err != nil {
			return err
		}
		thread = core.NewRecord(col)
		fill(thread)
		thread.Set("status", StatusOpen)
		thread.Set("created_by", creator)
		people, err := peopleOf(tx, thread)
		if err != nil {
			return err
		}
		thread.Set("people", people)
		return tx.Save(thread)
	})
	return thread, err
}

// person is how a thread names who takes part: a name and a role, never
// an email or a phone.
type person struct {
	Id   string `json:"id"`
	Name string `json:"name"`
	Role string `json:"role"`
}

// peopleOf names the readers of thread.
func peopleOf(app core.App, thread *core.Record) ([]person, error) {
	ids, err := Readers(app, thread)
	if err != nil {
		return nil, err
	}
	out := make([]person, 0, len(ids))
	for _, id := range ids {
		p, err := platform.LoadPerson(app, id)
		if err != nil {
			return nil, err
		}
		out = append(out, person{p.Id, p.Name, p.Role})
	}
	return out, nil
}

// FamilyChanged sets again, in tx, the readers and people of the threads
// of student, whose guardians changed (guardians.FamilyObserver): a
// guardian linked after a thread was made reads it and is listed in it,
// one whose link ended no longer. It runs in the link's own transaction,
// so a thread made at the same moment has the guardian whichever comes
// first (the writes are serialised).
func (s *Service) FamilyChanged(tx core.App, student string) error {
	threads, err := tx.FindAllRecords("threads", dbx.HashExp{"student": student})
	if err != nil {
		return err
	}
	for _, th := range threads {
		if err := setReaders(tx, th); err != nil {
			return err
		}
		people, err := peopleOf(tx, th)
		if err != nil {
			return err
		}
		th.Set("people", people)
		if err := tx.Save(th); err != nil {
			return err
		}
	}
	return nil
}

// keepReaders sets a thread's readers (the field the rules ask: its
// participants and its student's accepted guardians) when it is made or
// its participants or student change, whoever saves it; links that change
// later are followed by FamilyChanged.
func keepReaders(e *core.RecordEvent) error {
	th := e.Record
	orig := th.Original()
	if th.IsNew() || !slices.Equal(th.GetStringSlice("participants"), orig.GetStringSlice("participants")) ||
		th.GetString("student") != orig.GetString("student") {
		if err := setReaders(e.App, th); err != nil {
			return err
		}
	}
	return e.Next()
}

// setReaders sets th's readers from its participants and its student's
// guardians as they are in app.
func setReaders(app core.App, th *core.Record) error {
	readers, err := Readers(app, th)
	if err != nil {
		return err
	}
	th.Set("readers", readers)
	return nil
}
