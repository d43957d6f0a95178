package assist

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"tutorbase/internal/app/availability"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/suggest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// GapHorizon is how far ahead a tutor's gaps are looked for.
const GapHorizon = 7 * 24 * time.Hour

// GapLesson is the length of a suggested gap: an hour when the tutor
// teaches hours, else their first length.
const GapLesson = time.Hour

// tutorGaps finds the caller's free lessons of the next GapHorizon (the
// slot engine's, so each is bookable) at the weekly times the students
// who had lessons with them in the last suggest.Lookback have lessons
// (with anyone).
func (s *Service) tutorGaps(app core.App, user, lang string) ([]GapJSON, error) {
	rec, err := app.FindFirstRecordByData("tutors", "user", user)
	if errors.Is(err, sql.ErrNoRows) {
		return []GapJSON{}, nil
	} else if err != nil {
		return nil, err
	}
	t, err := platform.LoadTutor(app, rec.Id)
	if err != nil {
		return nil, err
	}
	now := s.env.Now()
	var rows []struct {
		Student string         `db:"student"`
		Start   types.DateTime `db:"start"`
	}
	err = app.DB().NewQuery(`SELECT student, start FROM bookings
		WHERE student IN (SELECT DISTINCT student FROM bookings WHERE tutor = {:t} AND status != 'cancelled' AND start >= {:from} AND start < {:now})
		AND status != 'cancelled' AND start >= {:from} AND start < {:now}`).
		Bind(dbx.Params{"t": t.Id, "from": platform.DBTime(now.Add(-suggest.Lookback)), "now": platform.DBTime(now)}).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("failed to load the students' lessons: %w", err)
	}
	if len(rows) == 0 {
		return []GapJSON{}, nil
	}
	lessons := make([]suggest.StudentLesson, len(rows))
	for i, r := range rows {
		lessons[i] = suggest.StudentLesson{Student: r.Student, Start: r.Start.Time()}
	}
	school, err := platform.LoadSchool(app)
	if err != nil {
		return nil, err
	}
	cal, err := availability.Calendar(app, t, school, now, now.Add(GapHorizon), true)
	if err != nil {
		return nil, err
	}
	length := GapLesson
	if len(t.Lengths) > 0 && !slices.Contains(t.Lengths, int(GapLesson/time.Minute)) {
		length = time.Duration(t.Lengths[0]) * time.Minute
	}
	var free [][2]time.Time
	for _, iv := range cal.Slots(now, now.Add(GapHorizon), length, now) {
		free = append(free, [2]time.Time{iv.Start, iv.End})
	}
	out := []GapJSON{}
	for _, g := range suggest.Gaps(free, lessons, t.Location) {
		out = append(out, GapJSON{Text: g.Text(lang, t.Location), Start: rfc(g.Start), End: rfc(g.End), Students: g.Students})
	}
	return out, nil
}
