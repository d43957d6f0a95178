package reports

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
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
	var reps []struct {
		Student  string                 `db:"student"`
		Name     string                 `db:"name"`
		Ratings  types.JSONMap[float64] `db:"ratings"`
		Homework string                 `db:"homework"`
		Done     types.DateTime         `db:"homework_done_at"`
	}
	if err := app.DB().NewQuery(`SELECT b.student, COALESCE(u.name, '') AS name, b.ratings, b.homework, b.homework_done_at
		FROM lesson_reports b LEFT JOIN users u ON u.id = b.student
		WHERE b.lesson_start >= {:from} AND b.lesson_start < {:to}` + filter + ` ORDER BY b.student, b.lesson_start`).Bind(p).All(&reps); err != nil {
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
		add(r, "reports", 1)
		if rep.Homework != "" {
			add(r, "homework_set", 1)
			if !rep.Done.IsZero() {
				add(r, "homework_done", 1)
			}
		}
		if rating, ok := reportRating(rep.Ratings, q.subject); ok {
			if r["first_rating"] == nil {
				r["first_rating"] = rating
			}
			r["last_rating"] = rating
			r["change"] = round3(rating - r["first_rating"].(float64))
		}
	}
	return sortedRows(order, byStudent), nil
}

// reportRating is a report's progress rating: its rating of subject, or
// with none the mean of its ratings.
func reportRating(ratings map[string]float64, subject string) (float64, bool) {
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
