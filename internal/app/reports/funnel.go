package reports

import (
	"encoding/json"
	"fmt"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
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
	booked, second, err := converted(app, q, string(ids))
	if err != nil {
		return nil, err
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

// converted counts, of the students ids (a JSON array), those who had a
// lesson (not cancelled, kept to the query's tutor and subject) from the
// period's start on, and those of them who had one in a later month than
// their first: from report_student_months, and for the students whose
// first month there is the one the period starts in, whether they had one
// from its start on (one probe of the (student, start) index each).
func converted(app core.App, q query, ids string) (booked, second int64, err error) {
	start := monthStart(q.from, q.loc)
	p := dbx.Params{"ids": ids, "since": monthOf(q.from, q.loc)}
	var months []struct {
		Student string `db:"student"`
		First   string `db:"first"`
		Next    string `db:"next"`
		Last    string `db:"last"`
	}
	err = app.DB().NewQuery(`SELECT student, MIN(month) AS first, COALESCE(MIN(CASE WHEN month > {:since} THEN month END), '') AS next,
		MAX(month) AS last FROM (SELECT b.student, b.month FROM json_each({:ids}) j JOIN ` + migrations.ReportStudentMonths + ` b
			ON b.student = j.value AND b.month >= {:since} WHERE TRUE` + bookingFilter(q, p) + ` GROUP BY b.student, b.month HAVING SUM(b.lessons) > 0)
		GROUP BY student`).Bind(p).All(&months)
	if err != nil {
		return 0, 0, err
	}
	var spans [][4]string
	for _, m := range months {
		if m.First == p["since"] && !start.Equal(q.from) {
			spans = append(spans, [4]string{m.Student, m.Student, platform.DBTime(q.from), platform.DBTime(start.AddDate(0, 1, 0))})
		}
	}
	kept, err := lessonsWithin(app, q, spans)
	if err != nil {
		return 0, 0, err
	}
	since := map[string]bool{}
	for _, k := range kept {
		since[k] = true
	}
	for _, m := range months {
		first := m.First
		if first == p["since"] && !start.Equal(q.from) && !since[m.Student] {
			first = m.Next // its lessons that month came before the period
		}
		if first == "" {
			continue
		}
		booked++
		if m.Last > first {
			second++
		}
	}
	return booked, second, nil
}
