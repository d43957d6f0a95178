package teaching

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Progress is the answer of GET /api/students/{id}/progress: a student's
// progress per subject, from their lessons and reports.
type Progress struct {
	Student  string            `json:"student"`
	Name     string            `json:"name"`
	Subjects []SubjectProgress `json:"subjects"`
}

// SubjectProgress is one subject's ratings over time (oldest first),
// lessons taken (completed) and homework: set, done, and done by its due
// date (homework without one counts as on time when done). Subject ""
// gathers the lessons without a subject.
type SubjectProgress struct {
	Subject  string        `json:"subject"`
	Name     string        `json:"name"`
	Ratings  []RatingPoint `json:"ratings"`
	Lessons  int           `json:"lessons"`
	Homework HomeworkCount `json:"homework"`
}

// RatingPoint is one rating of a report: the lesson's start and the tutor's
// rating.
type RatingPoint struct {
	Date   string `json:"date"`
	Rating int    `json:"rating"`
	Report string `json:"report"`
}

// HomeworkCount counts a subject's homework.
type HomeworkCount struct {
	Set    int `json:"set"`
	Done   int `json:"done"`
	OnTime int `json:"on_time"`
}

type reportRow struct {
	Id       string `db:"id"`
	Subject  string `db:"subject"`
	Start    string `db:"lesson_start"`
	Ratings  string `db:"ratings"`
	Homework string `db:"homework"`
	Due      string `db:"due"`
	DoneAt   string `db:"homework_done_at"`
}

// StudentProgress answers the progress route. The student sees all of
// their own, staff anyone's; a tutor sees a student they teach, from the
// lessons and reports of their own lessons only. Anyone else: 404.
func (s *Service) StudentProgress(e *core.RequestEvent) error {
	student := e.Request.PathValue("id")
	p, err := platform.LoadPerson(e.App, student)
	if err != nil || p.Role != platform.RoleStudent {
		return e.NotFoundError("", nil)
	}
	scope := dbx.HashExp{"student": student}
	if caller := platform.ActorID(e); caller != student && !platform.IsStaff(e) {
		if e.Auth.GetString("role") != platform.RoleTutor {
			return e.NotFoundError("", nil)
		}
		scope["tutor_user"] = caller
		var taught int
		if err := e.App.DB().Select("count(*)").From("bookings").Where(scope).AndWhere(dbx.NewExp("status != 'cancelled'")).Row(&taught); err != nil {
			return err
		}
		if taught == 0 {
			return e.NotFoundError("", nil)
		}
	}
	out, err := progressOf(e.App, scope)
	if err != nil {
		return err
	}
	out.Student, out.Name = student, p.Name
	return e.JSON(http.StatusOK, out)
}

func progressOf(app core.App, scope dbx.HashExp) (*Progress, error) {
	subjects := map[string]*SubjectProgress{}
	of := func(id string) *SubjectProgress {
		if subjects[id] == nil {
			name := ""
			if id != "" {
				name, _ = platform.SubjectName(app, id)
			}
			subjects[id] = &SubjectProgress{Subject: id, Name: name, Ratings: []RatingPoint{}}
		}
		return subjects[id]
	}
	var lessons []struct {
		Subject string `db:"subject"`
		N       int    `db:"n"`
	}
	err := app.DB().Select("subject", "count(*) AS n").From("bookings").Where(scope).
		AndWhere(dbx.HashExp{"status": platform.StatusCompleted}).GroupBy("subject").All(&lessons)
	if err != nil {
		return nil, err
	}
	for _, l := range lessons {
		of(l.Subject).Lessons = l.N
	}
	var reports []reportRow
	err = app.DB().Select("id", "subject", "lesson_start", "COALESCE(ratings, '') AS ratings", "homework", "due", "homework_done_at").
		From("lesson_reports").Where(scope).OrderBy("lesson_start", "id").All(&reports)
	if err != nil {
		return nil, err
	}
	for _, r := range reports {
		addReport(of, r)
	}
	out := &Progress{Subjects: make([]SubjectProgress, 0, len(subjects))}
	for _, sp := range subjects {
		out.Subjects = append(out.Subjects, *sp)
	}
	slices.SortFunc(out.Subjects, func(a, b SubjectProgress) int {
		return cmp.Or(cmp.Compare(unnamed(a), unnamed(b)), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Subject, b.Subject))
	})
	return out, nil
}

func addReport(of func(string) *SubjectProgress, r reportRow) {
	date := r.Start
	if t, err := time.Parse("2006-01-02 15:04:05.000Z", r.Start); err == nil {
		date = t.UTC().Format(time.RFC3339)
	}
	var ratings map[string]float64
	if platform.DecodeJSON(r.Ratings, &ratings) == nil {
		for subject, v := range ratings {
			sp := of(subject)
			sp.Ratings = append(sp.Ratings, RatingPoint{Date: date, Rating: int(v), Report: r.Id})
		}
	}
	if r.Homework == "" {
		return
	}
	hw := &of(r.Subject).Homework
	hw.Set++
	if r.DoneAt != "" {
		hw.Done++
		if r.Due == "" || r.DoneAt <= r.Due {
			hw.OnTime++
		}
	}
}

// unnamed sorts the lessons without a subject last.
func unnamed(sp SubjectProgress) int {
	if sp.Name == "" {
		return 1
	}
	return 0
}
