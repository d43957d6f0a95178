package teaching

import (
	"net/http"
	"time"

	"tutorbase/internal/app/availability"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

const (
	// MaxAgendaSpan is the longest range the agenda answers at once: a
	// month view shows six weeks.
	MaxAgendaSpan = 43 * 24 * time.Hour
	// MaxAgendaLessons caps the lessons of one answer (a staff view of
	// every tutor): the earliest win.
	MaxAgendaLessons = 2000
)

// Agenda is the answer of GET /api/agenda: what a calendar view shows
// between from and to, as UTC instants, and the viewer's zone to show them
// in. TimeOff and Available are a tutor's (the caller's own, or the tutor
// staff asked for); staff without a tutor see every lesson and time off.
type Agenda struct {
	Timezone  string      `json:"timezone"`
	From      time.Time   `json:"from"`
	To        time.Time   `json:"to"`
	Lessons   []Lesson    `json:"lessons"`
	TimeOff   []TimeOff   `json:"time_off"`
	Available []TimeRange `json:"available"`
	// Busy: the busy times read from the tutor's own calendars
	// (internal/app/busy), instants only.
	Busy []TimeRange `json:"busy"`
}

// Lesson is one lesson of an agenda (cancelled lessons are left out).
type Lesson struct {
	Id          string `db:"id" json:"id"`
	Start       string `db:"start" json:"start"`
	End         string `db:"end" json:"end"`
	Status      string `db:"status" json:"status"`
	Subject     string `db:"subject" json:"subject"`
	Tutor       string `db:"tutor" json:"tutor"`
	TutorName   string `db:"tutor_name" json:"tutor_name"`
	Student     string `db:"student" json:"student"`
	StudentName string `db:"student_name" json:"student_name"`
}

// TimeOff is a tutor's time off.
type TimeOff struct {
	Tutor  string `db:"tutor" json:"tutor"`
	Start  string `db:"start" json:"start"`
	End    string `db:"end" json:"end"`
	Reason string `db:"reason" json:"reason"`
}

// TimeRange is a span of a tutor's availability.
type TimeRange struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// AgendaRoute answers GET /api/agenda?from=&to=[&tutor=]: a student's
// lessons; a tutor's lessons, time off and availability; for staff, a
// tutor's (tutor=, a tutors id) or everyone's lessons and time off.
func (s *Service) AgendaRoute(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	from, errFrom := platform.ParseInstant(q.Get("from"))
	to, errTo := platform.ParseInstant(q.Get("to"))
	errs := validation.Errors{}
	if errFrom != nil {
		errs["from"] = errFrom
	}
	if errTo != nil {
		errs["to"] = errTo
	} else if errFrom == nil && (!to.After(from) || to.Sub(from) > MaxAgendaSpan) {
		errs["to"] = validation.NewError("bad_range", "Give a range that ends after it starts, at most 43 days long.")
	}
	if len(errs) > 0 {
		return e.BadRequestError("Invalid range.", errs)
	}
	school, err := platform.LoadSchool(e.App)
	if err != nil {
		return err
	}
	out := &Agenda{Timezone: school.Timezone, From: from.UTC(), To: to.UTC(), Lessons: []Lesson{}, TimeOff: []TimeOff{}, Available: []TimeRange{}, Busy: []TimeRange{}}
	if tz := e.Auth.GetString("timezone"); tz != "" && !e.Auth.IsSuperuser() {
		out.Timezone = tz
	}
	lessons := dbx.Expression(dbx.HashExp{"student": e.Auth.Id})
	tutor := ""
	switch {
	case platform.IsStaff(e):
		tutor = q.Get("tutor")
		lessons = nil
		if tutor != "" {
			lessons = dbx.HashExp{"tutor": tutor}
		}
	case e.Auth.GetString("role") == platform.RoleTutor:
		lessons = dbx.HashExp{"tutor_user": e.Auth.Id}
		if err := e.App.DB().Select("id").From("tutors").Where(dbx.HashExp{"user": e.Auth.Id}).Row(&tutor); err != nil {
			return err
		}
	}
	if err := s.fillAgenda(e.App, out, lessons, tutor, school, platform.IsStaff(e)); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, out)
}

func (s *Service) fillAgenda(app core.App, out *Agenda, lessons dbx.Expression, tutor string, school *platform.School, staff bool) error {
	span := dbx.NewExp(`start < {:to} AND "end" > {:from}`, dbx.Params{"from": platform.DBTime(out.From), "to": platform.DBTime(out.To)})
	q := app.DB().Select("id", "start", "end", "status", "subject", "tutor", "tutor_name", "student", "student_name").From("bookings").
		Where(span).AndWhere(dbx.NewExp("status != 'cancelled'")).OrderBy("start", "id").Limit(MaxAgendaLessons)
	if lessons != nil {
		q.AndWhere(lessons)
	}
	if err := q.All(&out.Lessons); err != nil {
		return err
	}
	if tutor == "" && !staff {
		return nil
	}
	off := app.DB().Select("tutor", "start", "end", "reason").From("time_off").Where(span).OrderBy("start").Limit(MaxAgendaLessons)
	if tutor != "" {
		off.AndWhere(dbx.HashExp{"tutor": tutor})
	}
	if err := off.All(&out.TimeOff); err != nil {
		return err
	}
	if tutor == "" {
		return nil
	}
	busy, err := availability.TutorBusy(app, tutor, out.From, out.To)
	if err != nil {
		return err
	}
	for _, iv := range busy {
		out.Busy = append(out.Busy, TimeRange{iv.Start, iv.End})
	}
	t, err := platform.LoadTutor(app, tutor)
	if err != nil {
		return nil // an unknown tutor has no availability
	}
	c, err := availability.Calendar(app, t, school, out.From, out.To, false)
	if err != nil {
		return err
	}
	for _, iv := range c.Open(out.From, out.To) {
		out.Available = append(out.Available, TimeRange{iv.Start, iv.End})
	}
	return nil
}
