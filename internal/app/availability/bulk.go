package availability

import (
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/match"
	"tutorbase/internal/schedule"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// SchedRow is what a tutor's calendar needs from the tutors row.
type SchedRow struct {
	Id            string               `db:"id"`
	Timezone      string               `db:"timezone"`
	LessonMinutes types.JSONArray[int] `db:"lesson_minutes"`
	Buffer        int                  `db:"buffer_minutes"`
	Notice        int                  `db:"min_notice_minutes"`
	Advance       int                  `db:"max_advance_days"`
}

// SchedColumns are the tutors columns a schedRow reads, on alias t.
const (
	SchedColumns      = "t.id, " + SchedExtraColumns
	SchedExtraColumns = "t.timezone, t.lesson_minutes, CAST(t.buffer_minutes AS INTEGER) AS buffer_minutes, " +
		"CAST(t.min_notice_minutes AS INTEGER) AS min_notice_minutes, CAST(t.max_advance_days AS INTEGER) AS max_advance_days"
)

// LessonLengths is a tutor's lesson lengths, the defaults when none are
// set (as LessonMinutes does for a record).
func LessonLengths(minutes []int) []int {
	if len(minutes) == 0 {
		return platform.DefaultLessonMinutes
	}
	return minutes
}

// TutorZone is a tutor's effective zone: their own, else the school's.
func TutorZone(app core.App, school *platform.School, tz string) *time.Location {
	if tz != "" {
		if loc, err := platform.Location(app, tz); err == nil {
			return loc
		}
	}
	return school.Location
}

// MaxBuffer is the widest buffer a tutor keeps around lessons
// (buffer_minutes ≤ 240): a booking that far outside a window still blocks
// lessons in it.
const MaxBuffer = 4 * time.Hour

// LoadCalendars builds the schedule.Calendar of every tutor in rows with
// their weekly availability (cached, see Register) and their time off
// in [from, to]; addBookings adds their bookings. The tutor ids go in as
// one JSON array (json_each), so each query walks the per-tutor index once
// per candidate.
func LoadCalendars(app core.App, school *platform.School, rows []SchedRow, from, to time.Time) (map[string]*schedule.Calendar, error) {
	cals := make(map[string]*schedule.Calendar, len(rows))
	ids := make([]string, len(rows))
	for i, r := range rows {
		c := &schedule.Calendar{
			Location: TutorZone(app, school, r.Timezone), Step: school.SlotStep,
			Buffer: time.Duration(r.Buffer) * time.Minute, MinNotice: time.Duration(r.Notice) * time.Minute,
			MaxAdvance: time.Duration(r.Advance) * 24 * time.Hour,
		}
		for _, m := range LessonLengths(r.LessonMinutes) {
			c.Lengths = append(c.Lengths, time.Duration(m)*time.Minute)
		}
		cals[r.Id], ids[i] = c, r.Id
	}
	if err := loadWindowsInto(app, cals, ids); err != nil {
		return nil, err
	}
	list, _ := json.Marshal(ids) // a []string always encodes
	p := dbx.Params{"ids": string(list), "from": platform.DBTime(from), "to": platform.DBTime(to)}
	err := loadIntervalsInto(app, cals, `SELECT o.tutor, o.start, o."end" FROM json_each({:ids}) j JOIN time_off o ON o.tutor = j.value
		WHERE o.start < {:to} AND o."end" > {:from}`, p,
		func(c *schedule.Calendar, iv schedule.Interval) { c.TimeOff = append(c.TimeOff, iv) })
	if err != nil {
		return nil, err
	}
	return cals, addBusyInto(app, cals, string(list), from, to)
}

// AddBookings adds to the calendars of ids the active bookings that can
// block a lesson in [from, to]. The unary "+" keeps SQLite on the (tutor,
// start) index, within a bounded start range, instead of the (status, end)
// one, which would read every future booking of the school.
func AddBookings(app core.App, cals map[string]*schedule.Calendar, ids []string, from, to time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	list, _ := json.Marshal(ids) // a []string always encodes
	p := dbx.Params{"ids": string(list), "from": platform.DBTime(from.Add(-MaxBuffer)), "to": platform.DBTime(to.Add(MaxBuffer)),
		"earliest": platform.DBTime(from.Add(-MaxBuffer - platform.MaxLesson))}
	return loadIntervalsInto(app, cals, `SELECT b.tutor, b.start, b."end" FROM json_each({:ids}) j JOIN bookings b ON b.tutor = j.value
		WHERE b.start > {:earliest} AND b.start < {:to} AND +b.status IN `+platform.ActiveStatusesSQL+` AND +b."end" > {:from}`, p,
		func(c *schedule.Calendar, iv schedule.Interval) { c.Busy = append(c.Busy, iv) })
}

type bulkWindowRow struct {
	Tutor string `db:"tutor"`
	windowRow
}

// loadWindowsInto gives each calendar its tutor's weekly windows, from the
// cache or, for the tutors not in it, from one bulk query.
func loadWindowsInto(app core.App, cals map[string]*schedule.Calendar, ids []string) error {
	cache, ok := app.Store().Get(windowCacheKey).(*match.WindowCache)
	if !ok {
		cache = match.NewWindowCache() // not registered: nothing to share
	}
	windows, missing, gen := cache.Lookup(ids)
	if len(missing) > 0 {
		list, _ := json.Marshal(missing) // a []string always encodes
		var rows []bulkWindowRow
		err := app.DB().NewQuery(`SELECT a.tutor, a.weekday, a.start, a."end", a.timezone, a.valid_from, a.valid_until
			FROM json_each({:ids}) j JOIN availability a ON a.tutor = j.value`).Bind(dbx.Params{"ids": string(list)}).All(&rows)
		if err != nil {
			return fmt.Errorf("failed to load availability: %w", err)
		}
		loaded := make(map[string][]schedule.Window, len(missing))
		for _, r := range rows {
			if w, err := windowFromRow(app, r.windowRow, cals[r.Tutor].Location); err == nil {
				loaded[r.Tutor] = append(loaded[r.Tutor], w)
			} // validated on write; an unreadable window offers no time
		}
		cache.Store(gen, missing, loaded)
		maps.Copy(windows, loaded)
	}
	for id, c := range cals {
		c.Windows = windows[id]
	}
	return nil
}

type bulkIntervalRow struct {
	Tutor string `db:"tutor"`
	Start string `db:"start"`
	End   string `db:"end"`
}

func loadIntervalsInto(app core.App, cals map[string]*schedule.Calendar, query string, params dbx.Params, add func(*schedule.Calendar, schedule.Interval)) error {
	var rows []bulkIntervalRow
	if err := app.DB().NewQuery(query).Bind(params).All(&rows); err != nil {
		return fmt.Errorf("failed to load busy times: %w", err)
	}
	for _, r := range rows {
		c := cals[r.Tutor]
		if c == nil {
			continue
		}
		iv, err := platform.ParseInterval(r.Start, r.End)
		if err != nil {
			return fmt.Errorf("busy time of tutor %s: %w", r.Tutor, err)
		}
		add(c, iv)
	}
	return nil
}
