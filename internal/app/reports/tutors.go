package reports

import (
	"math"
	"time"

	"tutorbase/internal/app/availability"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

var tutorsColumns = []string{"tutor", "name", "lessons", "no_shows", "cancelled_by_student", "cancelled_by_tutor", "cancelled_by_school",
	"reviews", "rating", "reports_on_time", "reports_late", "reports_missing"}

// ReportGrace is how long after a lesson ends its report counts as on time
// (the tutors' reminder comes then).
const ReportGrace = 24 * time.Hour

type tutorRow struct {
	Name string `db:"name"`
	availability.SchedRow
}

// listTutors reads the verified tutors, kept to the query's tutor and to
// those who teach its subject.
func listTutors(app core.App, q query) ([]tutorRow, error) {
	p := dbx.Params{}
	where := "t.verified = TRUE"
	if q.tutor != "" {
		where += " AND t.id = {:tutor}"
		p["tutor"] = q.tutor
	}
	if q.subject != "" {
		where += " AND EXISTS (SELECT 1 FROM json_each(t.subjects) s WHERE s.value = {:subject})"
		p["subject"] = q.subject
	}
	var rows []tutorRow
	err := app.DB().NewQuery(`SELECT u.name, ` + availability.SchedColumns + ` FROM tutors t JOIN users u ON u.id = t.user
		WHERE ` + where + ` ORDER BY u.name, t.id`).Bind(p).All(&rows)
	return rows, err
}

// utilisationReport is, per ISO week and tutor, the hours booked (lessons
// not cancelled, by start) over the hours available (weekly windows minus
// time off and imported busy times). Weeks where a tutor had neither are
// left out.
func (s *Service) utilisationReport(app core.App, q query) ([]map[string]any, error) {
	tutors, err := listTutors(app, q)
	if err != nil || len(tutors) == 0 {
		return []map[string]any{}, err
	}
	school, err := platform.LoadSchool(app)
	if err != nil {
		return nil, err
	}
	weekRows, find := weeks(q.from, q.to, q.loc)
	first, _ := time.ParseInLocation(time.DateOnly, weekRows[0]["start"].(string), q.loc)
	last := first.AddDate(0, 0, 7*len(weekRows))
	sched := make([]availability.SchedRow, len(tutors))
	for i, t := range tutors {
		sched[i] = t.SchedRow
	}
	cals, err := availability.LoadCalendars(app, school, sched, first, last)
	if err != nil {
		return nil, err
	}
	// tutor -> week -> booked hours
	booked := map[string]map[string]float64{}
	var lessons []struct {
		Tutor string         `db:"tutor"`
		Start types.DateTime `db:"start"`
		End   types.DateTime `db:"end"`
	}
	p := dbx.Params{"from": platform.DBTime(first), "to": platform.DBTime(last)}
	if q.tutor != "" {
		p["tutor"] = q.tutor
	}
	cond := map[bool]string{true: " AND b.tutor = {:tutor}", false: ""}[q.tutor != ""]
	if err := app.DB().NewQuery(`SELECT b.tutor, b.start, b."end" FROM bookings b WHERE b.start >= {:from} AND b.start < {:to}
		AND b.status != 'cancelled'` + cond).Bind(p).All(&lessons); err != nil {
		return nil, err
	}
	for _, l := range lessons {
		if booked[l.Tutor] == nil {
			booked[l.Tutor] = map[string]float64{}
		}
		booked[l.Tutor][find(l.Start.Time())["week"].(string)] += l.End.Time().Sub(l.Start.Time()).Hours()
	}
	rows := []map[string]any{}
	for _, wr := range weekRows {
		start, _ := time.ParseInLocation(time.DateOnly, wr["start"].(string), q.loc)
		for _, t := range tutors {
			var open time.Duration
			for _, iv := range cals[t.Id].Open(start, start.AddDate(0, 0, 7)) {
				open += iv.Duration()
			}
			avail, hours := open.Hours(), booked[t.Id][wr["week"].(string)]
			if avail == 0 && hours == 0 {
				continue
			}
			rows = append(rows, map[string]any{"week": wr["week"], "start": wr["start"], "tutor": t.Id, "name": t.Name,
				"available_hours": round2(avail), "booked_hours": round2(hours), "utilisation": ratio(hours, avail)})
		}
	}
	return rows, nil
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// tutorsReport is, per tutor with lessons in the period, what happened to
// them: lessons completed, no-shows, cancellations by whom, reviews and
// their average rating, and whether the completed lessons' reports came
// within ReportGrace of their end.
func (s *Service) tutorsReport(app core.App, q query) ([]map[string]any, error) {
	p := period(q)
	var list []struct {
		Tutor       string         `db:"tutor"`
		Name        string         `db:"name"`
		Status      string         `db:"status"`
		End         types.DateTime `db:"end"`
		CancelledBy string         `db:"cancelled_by"`
		Reason      string         `db:"cancel_reason"`
		Student     string         `db:"student"`
		TutorUser   string         `db:"tutor_user"`
		Rating      float64        `db:"rating"`
		Reviewed    bool           `db:"reviewed"`
		Report      types.DateTime `db:"report"`
	}
	err := app.DB().NewQuery(`SELECT b.tutor, COALESCE(u.name, '') AS name, b.status, b."end", b.cancelled_by, b.cancel_reason, b.student, b.tutor_user,
		COALESCE(r.rating, 0) AS rating, r.id IS NOT NULL AS reviewed, COALESCE(lr.created, '') AS report
		FROM bookings b LEFT JOIN users u ON u.id = b.tutor_user
		LEFT JOIN reviews r ON r.booking = b.id AND r.hidden = FALSE
		LEFT JOIN lesson_reports lr ON lr.booking = b.id
		WHERE b.start >= {:from} AND b.start < {:to}` + bookingFilter(q, p) + ` ORDER BY name, b.tutor`).Bind(p).All(&list)
	if err != nil {
		return nil, err
	}
	rows := []map[string]any{}
	var row map[string]any
	var ratings float64
	finish := func() {
		if row != nil {
			row["rating"] = ratio(ratings, float64(row["reviews"].(int64)))
		}
	}
	for _, b := range list {
		if row == nil || row["tutor"] != b.Tutor {
			finish()
			row, ratings = map[string]any{"tutor": b.Tutor, "name": b.Name}, 0
			for _, c := range tutorsColumns[2:] {
				row[c] = int64(0)
			}
			rows = append(rows, row)
		}
		if b.Reviewed {
			add(row, "reviews", 1)
			ratings += b.Rating
		}
		switch b.Status {
		case platform.StatusCompleted:
			add(row, "lessons", 1)
			switch {
			case b.Report.IsZero():
				add(row, "reports_missing", 1)
			case b.Report.Time().Sub(b.End.Time()) <= ReportGrace:
				add(row, "reports_on_time", 1)
			default:
				add(row, "reports_late", 1)
			}
		case platform.StatusNoShow:
			add(row, "no_shows", 1)
		case platform.StatusCancelled:
			switch {
			case b.Reason == "rescheduled":
			case b.CancelledBy == b.Student && b.CancelledBy != "":
				add(row, "cancelled_by_student", 1)
			case b.CancelledBy == b.TutorUser && b.CancelledBy != "":
				add(row, "cancelled_by_tutor", 1)
			default: // staff, or expired unconfirmed
				add(row, "cancelled_by_school", 1)
			}
		}
	}
	finish()
	return rows, nil
}
