package reports

import (
	"encoding/json"

	"github.com/pocketbase/pocketbase/core"
)

var studentsColumns = []string{"student", "name", "lessons", "reports", "first_rating", "last_rating", "change", "homework_set", "homework_done"}

// studentsReport summarises each student's progress in the period from
// their lessons and lesson reports: lessons completed, reports written,
// the progress rating of the first and the last rated report (the mean of
// a report's ratings, or its rating of the query's subject) and its change,
// homework set and done.
func (s *Service) studentsReport(app core.App, q query) ([]map[string]any, error) {
	p := period(q)
	filter := bookingFilter(q, p)
	var lessons []struct {
		Student string `db:"student"`
		Name    string `db:"name"`
		N       int64  `db:"n"`
	}
	if err := app.DB().NewQuery(`SELECT b.student, COALESCE(u.name, '') AS name, COUNT(*) AS n FROM bookings b LEFT JOIN users u ON u.id = b.student
		WHERE b.start >= {:from} AND b.start < {:to} AND b.status = 'completed'` + filter + ` GROUP BY b.student`).Bind(p).All(&lessons); err != nil {
		return nil, err
	}
	rated := "b.ratings NOT IN ('', '{}', 'null')"
	if q.subject != "" {
		rated = "json_extract(b.ratings, {:path}) IS NOT NULL"
		p["path"] = `$."` + q.subject + `"` // an id: letters and digits
	}
	inPeriod := "b.lesson_start >= {:from} AND b.lesson_start < {:to}" + filter
	rating := func(order string) string {
		return `(SELECT b.ratings FROM lesson_reports b WHERE b.student = x.student AND ` + inPeriod + ` AND ` + rated +
			` ORDER BY b.lesson_start ` + order + ` LIMIT 1)`
	}
	var reps []struct {
		Student string `db:"student"`
		Name    string `db:"name"`
		Reports int64  `db:"reports"`
		Set     int64  `db:"hw_set"`
		Done    int64  `db:"hw_done"`
		First   string `db:"first"`
		Last    string `db:"last"`
	}
	if err := app.DB().NewQuery(`SELECT x.*, COALESCE(u.name, '') AS name, COALESCE(` + rating("ASC") + `, '') AS first, COALESCE(` + rating("DESC") + `, '') AS last
		FROM (SELECT b.student, COUNT(*) AS reports, COALESCE(SUM(b.homework != ''), 0) AS hw_set,
			COALESCE(SUM(b.homework != '' AND b.homework_done_at != ''), 0) AS hw_done
			FROM lesson_reports b WHERE ` + inPeriod + ` GROUP BY b.student) x LEFT JOIN users u ON u.id = x.student`).Bind(p).All(&reps); err != nil {
		return nil, err
	}
	byStudent := map[string]map[string]any{}
	var order []string
	row := func(id, name string) map[string]any {
		if r := byStudent[id]; r != nil {
			return r
		}
		r := map[string]any{"student": id, "name": name, "lessons": int64(0), "reports": int64(0), "first_rating": nil, "last_rating": nil,
			"change": nil, "homework_set": int64(0), "homework_done": int64(0)}
		byStudent[id] = r
		order = append(order, id)
		return r
	}
	for _, l := range lessons {
		row(l.Student, l.Name)["lessons"] = l.N
	}
	for _, rep := range reps {
		r := row(rep.Student, rep.Name)
		r["reports"], r["homework_set"], r["homework_done"] = rep.Reports, rep.Set, rep.Done
		first, ok1 := reportRating(rep.First, q.subject)
		last, ok2 := reportRating(rep.Last, q.subject)
		if ok1 && ok2 {
			r["first_rating"], r["last_rating"], r["change"] = first, last, round3(last-first)
		}
	}
	return sortedRows(order, byStudent), nil
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

// sortedRows is the rows by name, then id.
func sortedRows(ids []string, rows map[string]map[string]any) []map[string]any {
	out := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		out = append(out, rows[id])
	}
	sortByName(out)
	return out
}
