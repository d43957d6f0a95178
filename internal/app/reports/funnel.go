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

type firstLesson struct {
	Student string         `db:"student"`
	First   types.DateTime `db:"first"`
}

// firstLessons is the first lesson (a booking not cancelled, kept to the
// query's tutor and subject) from since on of each student of ids (a JSON
// array).
func firstLessons(app core.App, q query, ids string, since time.Time) ([]firstLesson, error) {
	p := dbx.Params{"ids": ids, "since": platform.DBTime(since)}
	var out []firstLesson
	err := app.DB().NewQuery(`SELECT b.student, MIN(b.start) AS first FROM json_each({:ids}) j JOIN bookings b ON b.student = j.value
		WHERE b.start >= {:since} AND b.status != 'cancelled'` + bookingFilter(q, p) + ` GROUP BY b.student`).Bind(p).All(&out)
	return out, err
}

// lessonsWithin answers, of spans [student, key, from, to] (database
// times), the keys of those in which the student had a lesson: one probe
// of the (student, start) index each.
func lessonsWithin(app core.App, q query, spans [][4]string) ([]string, error) {
	list, err := json.Marshal(spans)
	if err != nil {
		return nil, err
	}
	p := dbx.Params{"spans": string(list)}
	var keys []string
	err = app.DB().NewQuery(`SELECT json_extract(j.value, '$[1]') FROM json_each({:spans}) j WHERE EXISTS (SELECT 1 FROM bookings b
		WHERE b.student = json_extract(j.value, '$[0]') AND b.start >= json_extract(j.value, '$[2]') AND b.start < json_extract(j.value, '$[3]')
		AND b.status != 'cancelled'` + bookingFilter(q, p) + `)`).Bind(p).Column(&keys)
	return keys, err
}

// monthStart is the first instant of t's month in loc.
func monthStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
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
	ids, err := json.Marshal(signUps)
	if err != nil {
		return nil, err
	}
	firsts, err := firstLessons(app, q, string(ids), q.from)
	if err != nil {
		return nil, err
	}
	// a lesson after the first lesson's month is a second month
	spans := make([][4]string, len(firsts))
	for i, f := range firsts {
		spans[i] = [4]string{f.Student, f.Student, platform.DBTime(monthStart(f.First.Time(), q.loc).AddDate(0, 1, 0)), "9999"}
	}
	seconds, err := lessonsWithin(app, q, spans)
	if err != nil {
		return nil, err
	}
	booked, second := int64(len(firsts)), int64(len(seconds))
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
	var firsts []firstLesson
	// first lessons that can fall in the period's months, in any zone
	p["from"], p["to"] = platform.DBTime(q.from.AddDate(0, 0, -1)), platform.DBTime(q.to.AddDate(0, 0, 1))
	err := app.DB().NewQuery(`SELECT student, first FROM (SELECT b.student, MIN(b.start) AS first FROM bookings b
		WHERE b.status != 'cancelled'` + filter + ` GROUP BY b.student) WHERE first >= {:from} AND first < {:to}`).Bind(p).All(&firsts)
	if err != nil {
		return nil, err
	}
	cohorts := map[string][]string{}
	var spans [][4]string
	for _, f := range firsts {
		t := f.First.Time()
		if t.Before(q.from) || !t.Before(q.to) {
			continue
		}
		m := monthOf(t, q.loc)
		cohorts[m] = append(cohorts[m], f.Student)
		start := monthStart(t, q.loc)
		for i := 1; i <= retentionMonths; i++ {
			spans = append(spans, [4]string{f.Student, fmt.Sprintf("%s month_%d", m, i),
				platform.DBTime(start.AddDate(0, i, 0)), platform.DBTime(start.AddDate(0, i+1, 0))})
		}
	}
	kept, err := lessonsWithin(app, q, spans)
	if err != nil {
		return nil, err
	}
	counts := map[string]int64{} // "2027-03 month_2" -> students
	for _, k := range kept {
		counts[k]++
	}
	months := make([]string, 0, len(cohorts))
	for m := range cohorts {
		months = append(months, m)
	}
	sort.Strings(months)
	rows := []map[string]any{}
	for _, m := range months {
		row := map[string]any{"cohort": m, "students": int64(len(cohorts[m]))}
		for i := 1; i <= retentionMonths; i++ {
			key := fmt.Sprintf("month_%d", i)
			row[key] = counts[m+" "+key]
		}
		rows = append(rows, row)
	}
	return rows, nil
}
