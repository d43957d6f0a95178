package schedule

import "time"

// The functions here are the slot engine's rules in their plainest form
// (a window's real-time spans, a local time resolved through DST), used by
// the tests as an oracle for the code that production runs.

// Expand returns the real-time spans of all occurrences of the valid windows
// in ws that intersect [from, to), sorted and unioned: overlapping or
// adjacent occurrences (09:00-10:00 and 10:00-11:00) form one span. Spans are
// NOT clipped to [from, to): a span may start before from or end after to,
// so that a caller can ask whether an interval lies wholly inside one.
// Occurrences that DST squeezes to nothing (a window inside a gap) are
// dropped. Invalid windows (see Validate) are skipped. Returned instants are
// UTC.
func Expand(ws []Window, from, to time.Time) []Interval {
	var zs zones
	spans := expand(&zs, ws, toNS(from), toNS(to), nil)
	out := make([]Interval, len(spans))
	for i, sp := range spans {
		out[i] = sp.interval()
	}
	return out
}

// LocalTime resolves a local date and clock in loc to a UTC instant. The date
// is normalised like time.Date's (day 32 is the next month), and Clock 1440
// means 00:00 of the next date. Unlike time.Date, the DST cases are
// specified: a time inside a gap (spring forward) moves to the first instant
// after the gap, and an ambiguous time (fall back) takes the earlier of its
// two instants. A nil loc is UTC.
func LocalTime(year int, month time.Month, day int, c Clock, loc *time.Location) time.Time {
	z := newZone(loc)
	return time.Unix(z.resolve(civilDay(year, month, day)*secondsPerDay+int64(c)*60), 0).UTC()
}

// civilDay returns the day number (days since 1970-01-01) of a proleptic
// Gregorian date, normalised like time.Date.
func civilDay(year int, month time.Month, day int) int64 {
	return floorDiv(time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix(), secondsPerDay)
}

func (a span) interval() Interval {
	return Interval{fromNS(a.s), fromNS(a.e)}
}
