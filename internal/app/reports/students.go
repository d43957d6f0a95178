package reports

import (
	"encoding/json"

	"tutorbase/migrations"

	"github.com/pocketbase/pocketbase/core"
)

var studentsColumns = []string{"student", "name", "lessons", "reports", "first_rating", "last_rating", "change", "homework_set", "homework_done"}

// studentsReport summarises each student's progress in the period from
// their lessons and lesson reports: lessons completed, reports written,
// the progress rating of the first and the last rated report (the mean of
// a report's ratings, or its rating of the query's subject) and its change,
// homework set and done. The counts add up each student's days of
// report_student_days; the ratings are two probes of the (student,
// lesson_start) index per student with reports.
func (s *Service) studentsReport(app core.App, q query) ([]map[string]any, error) {
	p := period(q)
	filter := bookingFilter(q, p)
	rated := "b.ratings NOT IN ('', '{}', 'null')"
	if q.subject != "" {
		rated = "json_extract(b.ratings, {:path}) IS NOT NULL"
		p["path"] = `$."` + q.subject + `"` // an id: letters and digits
	}
	rating := func(order string) string {
		return `CASE WHEN json_extract(x.sums, '$[1]') > 0 THEN (SELECT b.ratings FROM lesson_reports b WHERE b.student = x.student
			AND b.lesson_start >= {:from} AND b.lesson_start < {:to}` + filter + ` AND ` + rated + ` ORDER BY b.lesson_start ` + order + ` LIMIT 1) END`
	}
	with := personSums(q, p, migrations.ReportStudentDays, "student", []string{"lessons", "reports", "homework_set", "homework_done"}, filter)
	var list []struct {
		Student string `db:"student"`
		Name    string `db:"name"`
		Sums    string `db:"sums"`
		First   string `db:"first"`
		Last    string `db:"last"`
	}
	if err := app.DB().NewQuery(with + `SELECT x.student, x.sums, COALESCE(u.name, '') AS name, COALESCE(` + rating("ASC") + `, '') AS first,
		COALESCE(` + rating("DESC") + `, '') AS last FROM x LEFT JOIN users u ON u.id = x.student
		WHERE json_extract(x.sums, '$[0]') > 0 OR json_extract(x.sums, '$[1]') > 0 ORDER BY x.student`).Bind(p).All(&list); err != nil {
		return nil, err
	}
	rows := make([]map[string]any, len(list))
	for i, l := range list {
		n := parseSums(l.Sums, 4)
		r := map[string]any{"student": l.Student, "name": l.Name, "lessons": int64(n[0]), "reports": int64(n[1]), "first_rating": nil, "last_rating": nil,
			"change": nil, "homework_set": int64(n[2]), "homework_done": int64(n[3])}
		first, ok1 := reportRating(l.First, q.subject)
		last, ok2 := reportRating(l.Last, q.subject)
		if ok1 && ok2 {
			r["first_rating"], r["last_rating"], r["change"] = first, last, round3(last-first)
		}
		rows[i] = r
	}
	sortByName(rows)
	return rows, nil
}

// reportRating is a report's progress rating: its rating of subject, or
// with none the mean of its ratings.
func reportRating(raw, subject string) (float64, bool) {
	var ratings map[string]float64
	if json.Unmarshal([]byte(raw), &ratings) != nil {
		return 0, false
	}
	if subject != "" {
		v, ok := ratings[subject]
		return v, ok
	}
	if len(ratings) == 0 {
		return 0, false
	}
	var sum float64
	for _, v := range ratings {
		sum += v
	}
	return round3(sum / float64(len(ratings))), true
}
