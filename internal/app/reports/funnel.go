package reports

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// retentionMonths is how many months after its first a cohort is followed.
const retentionMonths = 6

var retentionColumns = func() []string {
	cols := []string{"cohort", "students"}
	for i := 1; i <= retentionMonths; i++ {
		cols = append(cols, fmt.Sprintf("month_%d", i))
	}
	return cols
}()

// lessonTimes is a student's lessons (bookings not cancelled, kept to the
// query's tutor and subject) by start, oldest first.
type lessonTimes map[string][]time.Time

// loadLessons reads the lessons of the students (a JSON array of ids)
// that start from since on.
func loadLessons(app core.App, q query, students []string, since time.Time) (lessonTimes, error) {
	list, err := json.Marshal(students)
	if err != nil {
		return nil, err
	}
	p := dbx.Params{"ids": string(list), "since": platform.DBTime(since)}
	var rows []struct {
		Student string         `db:"student"`
		Start   types.DateTime `db:"start"`
	}
	err = app.DB().NewQuery(`SELECT b.student, b.start FROM json_each({:ids}) j JOIN bookings b ON b.student = j.value
		WHERE b.start >= {:since} AND b.status != 'cancelled'` + bookingFilter(q, p) + ` ORDER BY b.student, b.start`).Bind(p).All(&rows)
	out := lessonTimes{}
	for _, r := range rows {
		out[r.Student] = append(out[r.Student], r.Start.Time())
	}
	return out, err
}

// conversionReport is the funnel of the period: anonymous page visits,
// students who signed up, those of them who booked a lesson, and those who
// had lessons in a second calendar month.
func (s *Service) conversionReport(app core.App, q query) ([]map[string]any, error) {
	var visits int64
	days := dbx.Params{"from": q.from.In(q.loc).Format(time.DateOnly), "to": q.to.In(q.loc).Format(time.DateOnly)}
	if err := app.DB().NewQuery("SELECT COALESCE(SUM(count), 0) FROM page_visits WHERE day >= {:from} AND day < {:to}").Bind(days).Row(&visits); err != nil {
		return nil, err
	}
	var signUps []string
	if err := app.DB().NewQuery("SELECT id FROM users WHERE role = {:role} AND created >= {:from} AND created < {:to}").
		Bind(dbx.Params{"role": platform.RoleStudent, "from": platform.DBTime(q.from), "to": platform.DBTime(q.to)}).Column(&signUps); err != nil {
		return nil, err
	}
	lessons, err := loadLessons(app, q, signUps, q.from)
	if err != nil {
		return nil, err
	}
	var booked, second int64
	for _, times := range lessons {
		booked++
		first := monthOf(times[0], q.loc)
		for _, t := range times[1:] {
			if monthOf(t, q.loc) != first {
				second++
				break
			}
		}
	}
	stages := []struct {
		name string
		n    int64
	}{{"visits", visits}, {"sign_ups", int64(len(signUps))}, {"first_booking", booked}, {"second_month", second}}
	rows := make([]map[string]any, len(stages))
	for i, st := range stages {
		rows[i] = map[string]any{"stage": st.name, "people": st.n, "of_previous": nil}
		if i > 0 {
			rows[i]["of_previous"] = ratio(float64(st.n), float64(stages[i-1].n))
		}
	}
	return rows, nil
}

// retentionReport groups students by the month of their first lesson
// (cohorts whose month starts in the period) and counts, for each of the
// following months, those of them who had a lesson in it.
func (s *Service) retentionReport(app core.App, q query) ([]map[string]any, error) {
	p := dbx.Params{}
	filter := bookingFilter(q, p)
	var firsts []struct {
		Student string         `db:"student"`
		First   types.DateTime `db:"first"`
	}
	// first lessons that can fall in the period's months, in any zone
	p["from"], p["to"] = platform.DBTime(q.from.AddDate(0, 0, -1)), platform.DBTime(q.to.AddDate(0, 0, 1))
	err := app.DB().NewQuery(`SELECT student, first FROM (SELECT b.student, MIN(b.start) AS first FROM bookings b
		WHERE b.status != 'cancelled'` + filter + ` GROUP BY b.student) WHERE first >= {:from} AND first < {:to}`).Bind(p).All(&firsts)
	if err != nil {
		return nil, err
	}
	cohorts := map[string][]string{}
	var ids []string
	for _, f := range firsts {
		if t := f.First.Time(); !t.Before(q.from) && t.Before(q.to) {
			m := monthOf(t, q.loc)
			cohorts[m] = append(cohorts[m], f.Student)
			ids = append(ids, f.Student)
		}
	}
	lessons, err := loadLessons(app, q, ids, q.from)
	if err != nil {
		return nil, err
	}
	months := make([]string, 0, len(cohorts))
	for m := range cohorts {
		months = append(months, m)
	}
	sort.Strings(months)
	rows := []map[string]any{}
	for _, m := range months {
		start, _ := time.ParseInLocation("2006-01", m, q.loc)
		row := map[string]any{"cohort": m, "students": int64(len(cohorts[m]))}
		for i := 1; i <= retentionMonths; i++ {
			later := monthOf(start.AddDate(0, i, 0), q.loc)
			var n int64
			for _, st := range cohorts[m] {
				for _, t := range lessons[st] {
					if monthOf(t, q.loc) == later {
						n++
						break
					}
				}
			}
			row[fmt.Sprintf("month_%d", i)] = n
		}
		rows = append(rows, row)
	}
	return rows, nil
}
