package availability

import (
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/schedule"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// BusyTable holds the busy intervals read from tutors' own calendars
// (internal/app/busy writes it): instants only, never a title. They block
// lessons exactly as time off does (rule 3, outside_availability), so the
// calendars built here add them to TimeOff.
const BusyTable = "busy_times"

// MaxBusySpan is the longest stored busy interval: a longer one (a
// three-week holiday) is stored in consecutive pieces, so that readers
// bound their index range from below, at from - MaxBusySpan. A day and
// two hours: a whole local day (25 hours when the clocks go back) stays
// one piece, and a week's search reads about 8 days of busy times.
const MaxBusySpan = 26 * time.Hour

// TutorBusy returns a tutor's imported busy intervals that overlap
// [from, to).
func TutorBusy(app core.App, tutor string, from, to time.Time) ([]schedule.Interval, error) {
	return platform.LoadIntervals(app, BusyTable, "tutor = {:id}", tutor, from, to, MaxBusySpan)
}

// addBusyInto adds to each calendar its tutor's imported busy intervals in
// [from, to), as time off, with one query over the ids (a JSON array).
func addBusyInto(app core.App, cals map[string]*schedule.Calendar, ids string, from, to time.Time) error {
	p := dbx.Params{"ids": ids, "from": platform.DBTime(from), "to": platform.DBTime(to), "floor": platform.DBTime(from.Add(-MaxBusySpan))}
	return loadIntervalsInto(app, cals, `SELECT o.tutor, o.start, o."end" FROM json_each({:ids}) j JOIN `+BusyTable+` o ON o.tutor = j.value
		WHERE o.start > {:floor} AND o.start < {:to} AND o."end" > {:from}`, p,
		func(c *schedule.Calendar, iv schedule.Interval) { c.TimeOff = append(c.TimeOff, iv) })
}
