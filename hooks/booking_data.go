package hooks

import (
	"context"
	"fmt"
	"time"

	"tutorbase/internal/schedule"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Booking statuses.
const (
	StatusPending   = "pending"
	StatusConfirmed = "confirmed"
	StatusCancelled = "cancelled"
	StatusCompleted = "completed"
	StatusNoShow    = "no_show"
)

// activeStatuses are the statuses that hold a tutor's and a student's time.
const activeStatusesSQL = "('pending', 'confirmed')"

// tutorInfo is what the booking rules need to know about a tutor.
type tutorInfo struct {
	Id, User, Name, Currency, MeetingURL string
	Verified, AutoConfirm                bool
	Status                               string
	HourlyRate                           int64
	Lengths                              []int
	Buffer, MinNotice, MaxAdvance        time.Duration
	Location                             *time.Location
	Windows                              []schedule.Window // weekly availability
}

// bookable reports whether the tutor takes bookings and shows free time.
func (t *tutorInfo) bookable() bool { return t.Verified && t.Status == "active" }

// loadTutor returns what the booking rules need of a tutor, with their
// weekly windows. Both come from caches (tutorCacheKey here, the discovery
// windows cache for the windows) that every write to a tutor, to
// availability or to the school clears: slot queries and bookings read
// them on every request.
func loadTutor(app core.App, id string) (*tutorInfo, error) {
	t, err := cached(app, tutorCacheKey, id, func() (*tutorInfo, error) {
		r, err := app.FindRecordById("tutors", id)
		if err != nil {
			return nil, err
		}
		return tutorFromRecord(app, r)
	})
	if err != nil {
		return nil, err
	}
	cals := map[string]*schedule.Calendar{id: {Location: t.Location}}
	if err := loadWindowsInto(app, cals, []string{id}); err != nil {
		return nil, err
	}
	with := *t // the cached value is shared: copy before adding the windows
	with.Windows = cals[id].Windows
	return &with, nil
}

// person is what the booking rules need of a user.
type person struct{ Id, Name, Role string }

func loadPerson(app core.App, id string) (person, error) {
	return cached(app, peopleCacheKey, id, func() (p person, err error) {
		err = app.DB().Select("id", "name", "role").From("users").Where(dbx.HashExp{"id": id}).Limit(1).One(&p)
		return p, err
	})
}

// tutorTimeOff is the tutor's time off that overlaps [from, to), from the
// cache of each tutor's whole list.
func tutorTimeOff(app core.App, tutor string, from, to time.Time) ([]schedule.Interval, error) {
	all, err := cached(app, timeOffCacheKey, tutor, func() ([]schedule.Interval, error) {
		return loadIntervals(app, "time_off", "tutor = {:id}", tutor, time.Unix(0, 0), maxTime, 0)
	})
	var out []schedule.Interval
	for _, iv := range all {
		if iv.Start.Before(to) && iv.End.After(from) {
			out = append(out, iv)
		}
	}
	return out, err
}

// maxTime is later than any stored date.
var maxTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

func tutorFromRecord(app core.App, r *core.Record) (*tutorInfo, error) {
	zone := r.GetString("timezone")
	if zone == "" {
		school, err := LoadSchool(app)
		if err != nil {
			return nil, err
		}
		zone = school.Timezone
	}
	loc, err := Location(app, zone)
	if err != nil {
		return nil, fmt.Errorf("tutor %s: %w", r.Id, err)
	}
	return &tutorInfo{
		Id:          r.Id,
		User:        r.GetString("user"),
		Name:        r.GetString("name"),
		Currency:    r.GetString("currency"),
		MeetingURL:  r.GetString("meeting_url"),
		Verified:    r.GetBool("verified"),
		AutoConfirm: r.GetBool("auto_confirm"),
		Status:      r.GetString("status"),
		HourlyRate:  int64(r.GetInt("hourly_rate")),
		Lengths:     LessonMinutes(r),
		Buffer:      time.Duration(r.GetInt("buffer_minutes")) * time.Minute,
		MinNotice:   time.Duration(r.GetInt("min_notice_minutes")) * time.Minute,
		MaxAdvance:  time.Duration(r.GetInt("max_advance_days")) * 24 * time.Hour,
		Location:    loc,
	}, nil
}

// calendar builds the tutor's schedule.Calendar for lessons in [from, to):
// availability, time off and, with busy, the active bookings near that
// range.
func calendar(app core.App, t *tutorInfo, school *School, from, to time.Time, busy bool) (schedule.Calendar, error) {
	c := schedule.Calendar{
		Location: t.Location, Buffer: t.Buffer, MinNotice: t.MinNotice, MaxAdvance: t.MaxAdvance, Step: school.SlotStep,
	}
	for _, m := range t.Lengths {
		c.Lengths = append(c.Lengths, time.Duration(m)*time.Minute)
	}
	c.Windows = t.Windows
	margin := 24 * time.Hour
	var err error
	if c.TimeOff, err = tutorTimeOff(app, t.Id, from.Add(-margin), to.Add(margin)); err != nil {
		return c, err
	}
	if busy {
		busyFrom, busyTo := from.Add(-t.Buffer-margin), to.Add(t.Buffer+margin)
		c.Busy, err = loadIntervals(app, "bookings", "tutor = {:id} AND status IN "+activeStatusesSQL, t.Id, busyFrom, busyTo, maxLesson)
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
		if w.Location, err = Location(app, r.Timezone); err != nil {
			return w, err
		}
	}
	if w.Start, err = schedule.ParseClock(r.Start); err != nil {
		return w, err
	}
	if w.End, err = schedule.ParseClock(r.End); err != nil {
		return w, err
	}
	w.ValidFrom = localDate(r.ValidFrom, w.Location)
	w.ValidUntil = localDate(r.ValidUntil, w.Location)
	return w, nil
}

// localDate reads the date part of a stored date field as a date in loc:
// availability's valid_from and valid_until are calendar dates.
func localDate(stored string, loc *time.Location) time.Time {
	d, err := types.ParseDateTime(stored)
	if err != nil || d.IsZero() {
		return time.Time{}
	}
	y, m, day := d.Time().UTC().Date()
	return time.Date(y, m, day, 0, 0, 0, 0, loc)
}

type intervalRow struct {
	Id    string `db:"id"`
	Start string `db:"start"`
	End   string `db:"end"`
}

// loadIntervals reads [start, end) of the rows of table matching where
// ({:id} bound to id) that overlap [from, to). No row lasts longer than
// longest, which bounds the index range from below.
func loadIntervals(app core.App, table, where, id string, from, to time.Time, longest time.Duration) ([]schedule.Interval, error) {
	var rows []intervalRow
	err := app.DB().Select("id", "start", "end").From(table).
		Where(dbx.NewExp(where+` AND start > {:floor} AND start < {:to} AND "end" > {:from}`,
			dbx.Params{"id": id, "floor": dbTime(from.Add(-longest)), "from": dbTime(from), "to": dbTime(to)})).
		All(&rows)
	if err != nil {
		return nil, fmt.Errorf("failed to load %s: %w", table, err)
	}
	out := make([]schedule.Interval, 0, len(rows))
	for _, r := range rows {
		iv, err := parseInterval(r.Start, r.End)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", table, r.Id, err)
		}
		out = append(out, iv)
	}
	return out, nil
}

func parseInterval(start, end string) (schedule.Interval, error) {
	s, err := time.Parse(types.DefaultDateLayout, start)
	if err != nil {
		return schedule.Interval{}, err
	}
	e, err := time.Parse(types.DefaultDateLayout, end)
	if err != nil {
		return schedule.Interval{}, err
	}
	return schedule.Interval{Start: s, End: e}, nil
}

// dbTime formats an instant the way PocketBase stores dates, so SQL string
// comparison is chronological.
func dbTime(t time.Time) string { return t.UTC().Format(types.DefaultDateLayout) }

// importKey marks a context whose booking writes come from trusted code.
type importKey struct{}

// Imported marks ctx so that bookings saved with it (app.SaveWithContext)
// skip the booking policy (availability, notice, alignment, lengths): for
// seeds and imports of existing lessons, past ones included. Overlaps are
// still refused, by the hooks and by the database triggers.
func Imported(ctx context.Context) context.Context { return context.WithValue(ctx, importKey{}, true) }

func isImported(ctx context.Context) bool {
	v, _ := ctx.Value(importKey{}).(bool)
	return v
}
