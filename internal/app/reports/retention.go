package reports

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// retentionReport groups students by the month of their first lesson (a
// lesson not cancelled, kept to the query's tutor and subject; cohorts
// whose first lesson is in the period) and counts, for each of the
// following months, those of them who had a lesson in it. It reads
// report_student_months, and the lessons themselves only for students
// whose first month the period cuts.
func (s *Service) retentionReport(app core.App, q query) ([]map[string]any, error) {
	cohorts, err := retentionCohorts(app, q)
	if err != nil {
		return nil, err
	}
	list := make([][3]string, 0, len(cohorts))
	for student, m := range cohorts {
		first, _ := time.ParseInLocation("2006-01", m, q.loc)
		list = append(list, [3]string{student, m, monthOf(first.AddDate(0, retentionMonths, 0), q.loc)})
	}
	raw, err := json.Marshal(list)
	if err != nil {
		return nil, err
	}
	p := dbx.Params{"cohorts": string(raw)}
	var kept []struct {
		Cohort string `db:"cohort"`
		Month  string `db:"month"`
		N      int64  `db:"n"`
	}
	if err := app.DB().NewQuery(`SELECT cohort, month, COUNT(*) AS n FROM (SELECT json_extract(j.value, '$[1]') AS cohort, b.month
		FROM json_each({:cohorts}) j JOIN ` + migrations.ReportStudentMonths + ` b ON b.student = json_extract(j.value, '$[0]')
			AND b.month > json_extract(j.value, '$[1]') AND b.month <= json_extract(j.value, '$[2]')
		WHERE TRUE` + bookingFilter(q, p) + ` GROUP BY b.student, b.month HAVING SUM(b.lessons) > 0) GROUP BY cohort, month`).Bind(p).All(&kept); err != nil {
		return nil, err
	}
	counts := map[string]int64{} // "2027-03 month_2" -> students
	for _, k := range kept {
		a, _ := time.Parse("2006-01", k.Cohort)
		b, _ := time.Parse("2006-01", k.Month)
		counts[fmt.Sprintf("%s month_%d", k.Cohort, (b.Year()-a.Year())*12+int(b.Month()-a.Month()))] += k.N
	}
	sizes := map[string]int64{}
	for _, m := range cohorts {
		sizes[m]++
	}
	months := make([]string, 0, len(sizes))
	for m := range sizes {
		months = append(months, m)
	}
	sort.Strings(months)
	rows := []map[string]any{}
	for _, m := range months {
		row := map[string]any{"cohort": m, "students": sizes[m]}
		for i := 1; i <= retentionMonths; i++ {
			key := fmt.Sprintf("month_%d", i)
			row[key] = counts[m+" "+key]
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// retentionCohorts is the month of each student's first lesson, for those
// whose first lesson is in the period. A first month the period cuts is
// checked on the lessons: none before the period's start, one before its
// end.
func retentionCohorts(app core.App, q query) (map[string]string, error) {
	p := dbx.Params{"from": monthOf(q.from, q.loc), "last": monthOf(q.to.In(q.loc).AddDate(0, 0, -1), q.loc)}
	var firsts []struct {
		Student string `db:"student"`
		First   string `db:"first"`
	}
	err := app.DB().NewQuery(`SELECT student, first FROM (SELECT student, MIN(month) AS first FROM (SELECT b.student, b.month FROM ` +
		migrations.ReportStudentMonths + ` b WHERE TRUE` + bookingFilter(q, p) + ` GROUP BY b.student, b.month HAVING SUM(b.lessons) > 0)
		GROUP BY student) WHERE first >= {:from} AND first <= {:last}`).Bind(p).All(&firsts)
	if err != nil {
		return nil, err
	}
	cohorts := map[string]string{}
	var spans [][4]string
	for _, f := range firsts {
		cohorts[f.Student] = f.First
		start, _ := time.ParseInLocation("2006-01", f.First, q.loc)
		if start.Before(q.from) {
			spans = append(spans, [4]string{f.Student, "before " + f.Student, platform.DBTime(start), platform.DBTime(q.from)})
		}
		if end := start.AddDate(0, 1, 0); end.After(q.to) {
			spans = append(spans, [4]string{f.Student, "in " + f.Student, platform.DBTime(start), platform.DBTime(q.to)})
		}
	}
	keys, err := lessonsWithin(app, q, spans)
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	for _, k := range keys {
		found[k] = true
	}
	for _, sp := range spans {
		if before := sp[1] == "before "+sp[0]; before == found[sp[1]] { // a lesson before the period, or none before its end
			delete(cohorts, sp[0])
		}
	}
	return cohorts, nil
}
