package assist

import (
	"fmt"
	"net/http"
	"time"

	"tutorbase/internal/app/availability"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/schedule"
	"tutorbase/internal/suggest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// MaxHabits is how many of a student's habits are looked at.
const MaxHabits = 3

// SeriesJSON is a suggested weekly series: every start is free now (the
// slot engine's booking rules, for the tutor and for the student), and
// POST /api/series with tutor, start, end, weeks and subject books them
// all at once.
type SeriesJSON struct {
	Text      string   `json:"text"`
	Tutor     string   `json:"tutor"`
	TutorName string   `json:"tutor_name"`
	Subject   string   `json:"subject,omitempty"`
	Start     string   `json:"start"`
	End       string   `json:"end"`
	Weeks     int      `json:"weeks"`
	Starts    []string `json:"starts"`
	Timezone  string   `json:"timezone"` // the tutor's: the series keeps its local time there
	Lessons   int      `json:"lessons"`  // how many past lessons make the habit
}

// GapJSON is a free lesson of a tutor at a time their past students like.
type GapJSON struct {
	Text     string `json:"text"`
	Start    string `json:"start"`
	End      string `json:"end"`
	Students int    `json:"students"`
}

// Suggestions answers GET /api/suggestions: for a student, their usual
// lessons that are free for the next suggest.Weeks weeks (series); for a
// tutor, their free lessons of the next week at the times their past
// students like (gaps); for staff, the tutors searched most without free
// time (demand).
func (s *Service) Suggestions(e *core.RequestEvent) error {
	lang := platform.RequestLang(e)
	out := map[string]any{"series": []SeriesJSON{}, "gaps": []GapJSON{}, "demand": []DemandJSON{}}
	var err error
	switch e.Auth.GetString("role") {
	case platform.RoleStudent:
		out["series"], err = s.studentSeries(e.App, e.Auth.Id, lang)
	case platform.RoleTutor:
		out["gaps"], err = s.tutorGaps(e.App, e.Auth.Id, lang)
	case platform.RoleAdmin:
		out["demand"], err = s.demand(e.App, lang)
	}
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, out)
}

type habitLesson struct {
	Tutor   string         `db:"tutor"`
	Subject string         `db:"subject"`
	Start   types.DateTime `db:"start"`
	End     types.DateTime `db:"end"`
}

func (s *Service) studentSeries(app core.App, student, lang string) ([]SeriesJSON, error) {
	now := s.env.Now()
	var rows []habitLesson
	err := app.DB().NewQuery(`SELECT tutor, subject, start, "end" FROM bookings
		WHERE student = {:s} AND status IN ('pending', 'confirmed', 'completed') AND start >= {:from} AND start < {:now}`).
		Bind(dbx.Params{"s": student, "from": platform.DBTime(now.Add(-suggest.Lookback)), "now": platform.DBTime(now)}).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("failed to load the student's lessons: %w", err)
	}
	school, err := platform.LoadSchool(app)
	if err != nil {
		return nil, err
	}
	tutors := map[string]*platform.Tutor{}
	subjects := map[string]string{} // tutor + start → subject
	lessons := make([]suggest.Lesson, 0, len(rows))
	for _, r := range rows {
		if _, ok := tutors[r.Tutor]; !ok {
			t, err := platform.LoadTutor(app, r.Tutor)
			if err != nil {
				continue // a tutor since deleted
			}
			tutors[r.Tutor] = t
		}
		lessons = append(lessons, suggest.Lesson{Tutor: r.Tutor, Start: r.Start.Time(), End: r.End.Time()})
		subjects[r.Tutor+r.Start.Time().UTC().String()] = r.Subject
	}
	habits := suggest.Habits(lessons, func(id string) *time.Location { return tutors[id].Location }, now)
	out := []SeriesJSON{}
	for _, h := range habits[:min(MaxHabits, len(habits))] {
		t := tutors[h.Tutor]
		if !t.Bookable() {
			continue
		}
		starts := h.Next(now, suggest.Weeks)
		free, err := allFree(app, t, school, student, starts, h.Length, now)
		if err != nil {
			return nil, err
		}
		if !free {
			continue
		}
		sj := SeriesJSON{
			Text: h.Text(lang, t.Name, suggest.Weeks), Tutor: t.Id, TutorName: t.Name, Subject: subjects[h.Tutor+h.Last.UTC().String()],
			Start: rfc(starts[0]), End: rfc(starts[0].Add(h.Length)), Weeks: suggest.Weeks, Timezone: t.Location.String(), Lessons: h.Count,
		}
		for _, st := range starts {
			sj.Starts = append(sj.Starts, rfc(st))
		}
		out = append(out, sj)
	}
	return out, nil
}

// allFree reports whether every lesson of length at starts passes the
// booking rules of the slot engine now: the tutor's availability, time
// off, their lessons and buffers, notice and advance, and the student's own
// lessons.
func allFree(app core.App, t *platform.Tutor, school *platform.School, student string, starts []time.Time, length time.Duration, now time.Time) (bool, error) {
	from, to := starts[0], starts[len(starts)-1].Add(length)
	cal, err := availability.Calendar(app, t, school, from, to, true)
	if err != nil {
		return false, err
	}
	mine, err := platform.LoadIntervals(app, "bookings", "student = {:id} AND status IN "+platform.ActiveStatusesSQL, student, from, to, platform.MaxLesson)
	if err != nil {
		return false, err
	}
	for _, st := range starts {
		if cal.Check(schedule.Interval{Start: st, End: st.Add(length)}, mine, now) != nil {
			return false, nil
		}
	}
	return true, nil
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }
