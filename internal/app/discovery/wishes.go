package discovery

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/match"
	"tutorbase/internal/oneline"
	"tutorbase/internal/schedule"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// The match's student-side wishes beyond subject, window, budget and
// language (docs/discovery.md, "Find me a tutor"): a level, goals in their
// own words, and preferred weekly times.

// Lengths of the free-text wishes, as the students profile allows them.
const (
	MaxLevelLength = 100
	MaxGoalsLength = 500
)

// wishes are the parsed level, goals and preferred times of a match.
type wishes struct {
	level, goals string
	times        []match.Preferred
	windows      []schedule.Interval // the preferred times in the next PreferredDays
}

// readWishes reads level, goals, times and timezone (the school's by
// default); times and a window exclude each other.
func (p *queryParams) readWishes(app core.App, school *platform.School, window bool, now time.Time) wishes {
	var w wishes
	w.level = p.text("level", MaxLevelLength)
	w.goals = p.text("goals", MaxGoalsLength)
	loc := school.Location
	if tz := p.q.Get("timezone"); tz != "" {
		l, err := platform.Location(app, tz)
		if err != nil {
			p.fail("timezone", "invalid_timezone", "Unknown time zone; use an IANA name such as Europe/Rome.")
		} else {
			loc = l
		}
	}
	s := p.q.Get("times")
	if s == "" {
		return w
	}
	times, ok := match.ParseTimes(s)
	switch {
	case !ok:
		p.fail("times", "validation_invalid_value", "Give days and parts of the day, such as tue-evening,sat-morning.")
	case window:
		p.fail("times", "validation_invalid_value", "Give either from and to, or times, not both.")
	default:
		w.times = times
		w.windows = match.Windows(times, now, loc, match.PreferredDays)
	}
	return w
}

// text reads a one-line text of at most max characters; "" when absent or
// too long.
func (p *queryParams) text(field string, max int) string {
	s := oneline.Clean(p.q.Get(field))
	if utf8.RuneCountInString(s) > max {
		p.fail(field, "validation_length_too_long", fmt.Sprintf("The length must be no more than %d.", max))
		return ""
	}
	return s
}

// levelStudents counts, for each tutor of ids, the students at level
// (match.SameLevel with their profile's level) who completed a lesson with
// them.
func levelStudents(app core.App, ids []string, level string) (map[string]int, error) {
	out := map[string]int{}
	if level == "" || len(ids) == 0 {
		return out, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Tutor string `db:"tutor"`
		Level string `db:"level"`
	}
	err = app.DB().NewQuery(`SELECT b.tutor AS tutor, s.level AS level FROM json_each({:ids}) j
		JOIN bookings b ON b.tutor = j.value JOIN students s ON s.user = b.student
		WHERE b.status = 'completed' AND s.level != '' GROUP BY b.tutor, b.student`).
		Bind(dbx.Params{"ids": string(list)}).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("failed to count students by level: %w", err)
	}
	for _, r := range rows {
		if match.SameLevel(level, r.Level) {
			out[r.Tutor]++
		}
	}
	return out, nil
}

// profileText is what a tutor's profile says of them, which goals are
// looked for in: their headline and bio.
func profileText(row *matchRow) string {
	return strings.Join([]string{row.Headline, row.Bio}, "\n")
}

// recordUnmet counts one search without free time for each tutor of ids
// on the school's local date of now (unmet_demand, one upsert).
func recordUnmet(app core.App, ids []string, school *platform.School, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	_, err = app.DB().NewQuery(`INSERT INTO unmet_demand (id, tutor, day, searches, created, updated)
		SELECT substr(lower(hex(randomblob(8))), 1, 15), j.value, {:day}, 1, {:now}, {:now} FROM json_each({:ids}) j WHERE true
		ON CONFLICT (tutor, day) DO UPDATE SET searches = searches + 1, updated = excluded.updated`).
		Bind(dbx.Params{"ids": string(list), "day": now.In(school.Location).Format(time.DateOnly), "now": platform.DBTime(now)}).Execute()
	if err != nil {
		return fmt.Errorf("failed to record unmet demand: %w", err)
	}
	return nil
}
