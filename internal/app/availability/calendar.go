package availability

import (
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/schedule"

	"github.com/pocketbase/pocketbase/core"
)

// Calendar builds the tutor's schedule.Calendar for lessons in [from, to):
// availability, time off and the busy times of the tutor's own calendars
// (as time off), and, with busy, the active bookings near that range.
func Calendar(app core.App, t *platform.Tutor, school *platform.School, from, to time.Time, busy bool) (schedule.Calendar, error) {
	c := schedule.Calendar{
		Location: t.Location, Buffer: t.Buffer, MinNotice: t.MinNotice, MaxAdvance: t.MaxAdvance, Step: school.SlotStep,
	}
	for _, m := range t.Lengths {
		c.Lengths = append(c.Lengths, time.Duration(m)*time.Minute)
	}
	cals := map[string]*schedule.Calendar{t.Id: &c}
	if err := loadWindowsInto(app, cals, []string{t.Id}); err != nil {
		return c, err
	}
	margin := 24 * time.Hour
	var err error
	if c.TimeOff, err = platform.TutorTimeOff(app, t.Id, from.Add(-margin), to.Add(margin)); err != nil {
		return c, err
	}
	imported, err := TutorBusy(app, t.Id, from.Add(-margin), to.Add(margin))
	if err != nil {
		return c, err
	}
	c.TimeOff = append(c.TimeOff, imported...)
	if busy {
		busyFrom, busyTo := from.Add(-t.Buffer-margin), to.Add(t.Buffer+margin)
		c.Busy, err = platform.LoadIntervals(app, "bookings", "tutor = {:id} AND status IN "+platform.ActiveStatusesSQL, t.Id, busyFrom, busyTo, platform.MaxLesson)
	}
	return c, err
}

type windowRow struct {
	Weekday    int    `db:"weekday"`
	Start      string `db:"start"`
	End        string `db:"end"`
	Timezone   string `db:"timezone"`
	ValidFrom  string `db:"valid_from"`
	ValidUntil string `db:"valid_until"`
}

func windowFromRow(app core.App, r windowRow, fallback *time.Location) (schedule.Window, error) {
	w := schedule.Window{Weekday: r.Weekday, Location: fallback}
	var err error
	if r.Timezone != "" {
		if w.Location, err = platform.Location(app, r.Timezone); err != nil {
			return w, err
		}
	}
	if w.Start, err = schedule.ParseClock(r.Start); err != nil {
		return w, err
	}
	if w.End, err = schedule.ParseClock(r.End); err != nil {
		return w, err
	}
	w.ValidFrom = platform.LocalDate(r.ValidFrom, w.Location)
	w.ValidUntil = platform.LocalDate(r.ValidUntil, w.Location)
	return w, nil
}
