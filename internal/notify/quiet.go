package notify

import (
	"fmt"
	"time"
)

// QuietHours is a user's nightly do-not-disturb window, in minutes after
// local midnight. Start == End means no quiet hours; Start > End crosses
// midnight (22:00-07:00 is Start 1320, End 420).
type QuietHours struct {
	Start, End int
}

// ParseQuietHours reads a window written "HH:MM" (00:00 to 23:59) at both
// ends, or both ends empty for none.
func ParseQuietHours(start, end string) (QuietHours, error) {
	if start == "" && end == "" {
		return QuietHours{}, nil
	}
	s, err := parseClock(start)
	if err != nil {
		return QuietHours{}, fmt.Errorf("quiet hours start: %w", err)
	}
	e, err := parseClock(end)
	if err != nil {
		return QuietHours{}, fmt.Errorf("quiet hours end: %w", err)
	}
	return QuietHours{Start: s, End: e}, nil
}

// parseClock reads "HH:MM" into minutes after midnight.
func parseClock(s string) (int, error) {
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	if len(s) != 5 || s[2] != ':' || !digit(s[0]) || !digit(s[1]) || !digit(s[3]) || !digit(s[4]) {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if h > 23 || m > 59 {
		return 0, fmt.Errorf("%q is not a time of day (00:00 to 23:59)", s)
	}
	return h*60 + m, nil
}

// Deliver returns when a message due at t may go out to a user in loc
// (nil: UTC): t itself outside quiet hours, else the end of the quiet
// period t falls in, in t's location. Messages are held, never dropped.
//
// A quiet period is the real time between its local start on one date and
// its local end (on the same date, or the next when the window crosses
// midnight), so a DST change lengthens or shortens the night, not the
// window's wall-clock ends. A local time inside a DST gap moves forward to
// the first instant after the gap; an ambiguous one (the repeated hour)
// takes the earlier instant.
//
// Deliver is for the outside channels: in-app notifications are never
// delayed, the caller does not call it for them.
func (q QuietHours) Deliver(t time.Time, loc *time.Location) time.Time {
	if q.Start == q.End {
		return t
	}
	loc = orUTC(loc)
	y, m, d := t.In(loc).Date()
	for _, day := range []int{d - 1, d} {
		start := wallTime(y, m, day, q.Start, loc)
		endDay := day
		if q.End < q.Start {
			endDay++
		}
		end := wallTime(y, m, endDay, q.End, loc)
		if !t.Before(start) && t.Before(end) {
			return end.In(t.Location())
		}
	}
	return t
}

// wallTime is the instant at minutes after midnight of the local date
// y-m-d in loc (d may overflow, as in time.Date). An ambiguous time takes
// the earlier instant; a time in a DST gap takes the end of the gap.
func wallTime(y int, m time.Month, d, minutes int, loc *time.Location) time.Time {
	// The wall clock read as if it were UTC, normalised; an instant shows
	// this wall clock in loc when it equals naive minus its offset.
	naive := time.Date(y, m, d, minutes/60, minutes%60, 0, 0, time.UTC)
	wall := func(t time.Time) time.Time {
		l := t.In(loc)
		return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
	}
	// Candidates: naive shifted by every offset in force within a day and
	// a half either side (zones change offset at most once in that span).
	var candidates []time.Time
	for _, probe := range []time.Duration{-36 * time.Hour, -12 * time.Hour, 0, 12 * time.Hour, 36 * time.Hour} {
		_, off := naive.Add(probe).In(loc).Zone()
		candidates = append(candidates, naive.Add(-time.Duration(off)*time.Second))
	}
	var best time.Time
	for _, c := range candidates {
		if wall(c).Equal(naive) && (best.IsZero() || c.Before(best)) {
			best = c
		}
	}
	if !best.IsZero() {
		return best
	}
	// In a gap: the first instant after it is the start of the zone period
	// one of the candidates lies in, the one whose clock jumps over naive.
	for _, c := range candidates {
		zs, _ := c.In(loc).ZoneBounds()
		if !zs.IsZero() && !wall(zs).Before(naive) && wall(zs.Add(-time.Nanosecond)).Before(naive) {
			return zs
		}
	}
	return time.Date(y, m, d, minutes/60, minutes%60, 0, 0, loc)
}
