package reports

import (
	"encoding/json"
	"math"
	"time"

	"tutorbase/internal/app/availability"
	"tutorbase/internal/app/platform"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

var tutorsColumns = []string{"tutor", "name", "lessons", "no_shows", "cancelled_by_student", "cancelled_by_tutor", "cancelled_by_school",
	"reviews", "rating", "reports_on_time", "reports_late", "reports_missing"}

// ReportGrace is how long after a lesson ends its report counts as on time
// (the tutors' reminder comes then); the report_tutor_days triggers count
// with it.
const ReportGrace = migrations.ReportGraceSeconds * time.Second

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
	weekRows, _ := weeks(q.from, q.to, q.loc)
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
	booked, err := bookedHours(app, tutorIds(tutors), weekRows, first)
	if err != nil {
		return nil, err
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

// bookedHours is tutor -> week -> hours booked (lessons not cancelled, by
// start) for the weeks of weekRows, the first starting on first: a range
// of report_tutor_days's (tutor, day, subject) key per tutor and week.
func bookedHours(app core.App, tutors []string, weekRows []map[string]any, first time.Time) (map[string]map[string]float64, error) {
	ids, err := json.Marshal(tutors)
	if err != nil {
		return nil, err
	}
	spans := make([][2]string, len(weekRows))
	for i := range weekRows {
		spans[i] = [2]string{first.AddDate(0, 0, 7*i).Format(time.DateOnly), first.AddDate(0, 0, 7*i+7).Format(time.DateOnly)}
	}
	weekList, err := json.Marshal(spans)
	if err != nil {
		return nil, err
	}
	var lessons []struct {
		Tutor string  `db:"tutor"`
		Week  int     `db:"i"`
		Hours float64 `db:"hours"`
	}
	p := dbx.Params{"ids": string(ids), "weeks": string(weekList)}
	if err := app.DB().NewQuery(`SELECT tutor, i, ms / 3600000.0 AS hours FROM (SELECT t.value AS tutor, w.key AS i,
		(SELECT SUM(d.booked_ms) FROM ` + migrations.ReportTutorDays + ` d WHERE d.tutor = t.value
			AND d.day >= json_extract(w.value, '$[0]') AND d.day < json_extract(w.value, '$[1]')) AS ms
		FROM json_each({:ids}) t CROSS JOIN json_each({:weeks}) w) WHERE ms IS NOT NULL`).Bind(p).All(&lessons); err != nil {
		return nil, err
	}
	booked := map[string]map[string]float64{}
	for _, l := range lessons {
		if booked[l.Tutor] == nil {
			booked[l.Tutor] = map[string]float64{}
		}
		booked[l.Tutor][weekRows[l.Week]["week"].(string)] = l.Hours
	}
	return booked, nil
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// tutorsReport is, per tutor with lessons in the period, what happened to
// them: lessons completed, no-shows, cancellations by whom, reviews and
// their average rating, and whether the completed lessons' reports came
// within ReportGrace of their end. It adds up each tutor's days of
// report_tutor_days, whose triggers count by these rules
// (migrations.ReportTutorDays).
func (s *Service) tutorsReport(app core.App, q query) ([]map[string]any, error) {
	cols := []string{"bookings", "lessons", "no_shows", "by_student", "by_tutor", "by_school", "reviews", "ratings", "on_time", "late", "missing"}
	p := dbx.Params{}
	with := personSums(q, p, migrations.ReportTutorDays, "tutor", cols, bookingFilter(q, p))
	var list []struct {
		Tutor string `db:"tutor"`
		Name  string `db:"name"`
		Sums  string `db:"sums"`
	}
	err := app.DB().NewQuery(with + `SELECT x.tutor, x.sums, COALESCE(u.name, '') AS name FROM x
		LEFT JOIN tutors t ON t.id = x.tutor LEFT JOIN users u ON u.id = t.user
		WHERE json_extract(x.sums, '$[0]') > 0 ORDER BY name, x.tutor`).Bind(p).All(&list)
	if err != nil {
		return nil, err
	}
	rows := make([]map[string]any, len(list))
	for i, t := range list {
		n := parseSums(t.Sums, len(cols))
		c := func(k int) int64 { return int64(n[k]) }
		rows[i] = map[string]any{"tutor": t.Tutor, "name": t.Name, "lessons": c(1), "no_shows": c(2),
			"cancelled_by_student": c(3), "cancelled_by_tutor": c(4), "cancelled_by_school": c(5),
			"reviews": c(6), "rating": ratio(n[7], n[6]), "reports_on_time": c(8), "reports_late": c(9), "reports_missing": c(10)}
	}
	return rows, nil
}

func tutorIds(tutors []tutorRow) []string {
	ids := make([]string, len(tutors))
	for i, t := range tutors {
		ids[i] = t.Id
	}
	return ids
}
