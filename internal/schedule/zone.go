package schedule

import (
	"math"
	"time"
)

const secondsPerDay = 86400

// Aligned reports whether t lies a whole number of steps after the first
// instant of t's local date in loc, counted in real time. With a 30-minute
// step that is :00 and :30 local in whole-hour, +05:30 and +05:45 zones
// alike, and on a DST night the grid keeps running through real time from
// local midnight. A step <= 0 means DefaultStep; a nil loc is UTC.
func Aligned(t time.Time, loc *time.Location, step time.Duration) bool {
	if step <= 0 {
		step = DefaultStep
	}
	z := newZone(loc)
	start := time.Unix(z.resolve(z.localDay(t)*secondsPerDay), 0)
	return t.Sub(start)%step == 0
}

// Weekly returns n instants: first, then the same local wall-clock time in
// loc on each of the following n-1 weeks. DST changes move the UTC instant,
// not the local time; a repeat that lands in a gap or an ambiguous hour is
// resolved as in LocalTime. All results are in UTC; n <= 0 gives nil.
func Weekly(first time.Time, loc *time.Location, n int) []time.Time {
	if n <= 0 {
		return nil
	}
	z := newZone(loc)
	sec := first.Unix()
	wall := sec + z.offset(sec)
	out := make([]time.Time, n)
	out[0] = first.UTC()
	for k := 1; k < n; k++ {
		w := wall + int64(k)*7*secondsPerDay
		at := z.resolve(w)
		nsec := 0
		if at+z.offset(at) == w { // not moved out of a gap: keep the fraction
			nsec = first.Nanosecond()
		}
		out[k] = time.Unix(at, int64(nsec)).UTC()
	}
	return out
}

// zone answers offset questions about one location, caching the period of
// constant offset it last looked at: slot generation asks hundreds of
// questions per query, almost all about the same period.
type zone struct {
	loc        *time.Location
	start, end int64 // cached period [start, end) in Unix seconds; empty at first
	off        int64 // its UTC offset in seconds
}

func newZone(loc *time.Location) zone {
	if loc == nil {
		loc = time.UTC
	}
	return zone{loc: loc, start: 1, end: 0}
}

// offset returns loc's UTC offset in seconds at the instant sec.
func (z *zone) offset(sec int64) int64 {
	if sec >= z.start && sec < z.end {
		return z.off
	}
	t := time.Unix(sec, 0).In(z.loc)
	_, off := t.Zone()
	from, until := t.ZoneBounds()
	z.off = int64(off)
	z.start, z.end = math.MinInt64, math.MaxInt64
	if !from.IsZero() {
		z.start = from.Unix()
	}
	if !until.IsZero() {
		z.end = until.Unix()
	}
	return z.off
}

// localDay returns the civil day number (days since 1970-01-01) of t's local
// date.
func (z *zone) localDay(t time.Time) int64 {
	sec := t.Unix()
	return floorDiv(sec+z.offset(sec), secondsPerDay)
}

// localDayNS is localDay for an instant in Unix nanoseconds.
func (z *zone) localDayNS(n int64) int64 {
	sec := floorDiv(n, nsPerSecond)
	return floorDiv(sec+z.offset(sec), secondsPerDay)
}

// resolve turns a local wall-clock time, written as seconds since
// 1970-01-01T00:00 local, into an instant in Unix seconds with the gap and
// ambiguity rules of LocalTime. It assumes at most one offset change within
// a day on either side of wall, which holds for every zone in the tz
// database since the railways.
func (z *zone) resolve(wall int64) int64 {
	before := z.offset(wall - secondsPerDay)
	after := z.offset(wall + secondsPerDay)
	if before == after {
		return wall - before
	}
	early, late := wall-before, wall-after // candidates with the old and new offset
	okEarly := z.offset(early) == before
	okLate := z.offset(late) == after
	switch {
	case okEarly && okLate: // ambiguous: the earlier instant
		return min(early, late)
	case okEarly:
		return early
	case okLate:
		return late
	}
	// In the gap: both candidates fell on the wrong side of the change, and
	// the candidate with the old offset lies after it. The first instant
	// after the gap is the start of that candidate's period.
	z.offset(early)
	return z.start
}

// resolveNS is resolve returning Unix nanoseconds.
func (z *zone) resolveNS(wall int64) int64 {
	return secToNS(z.resolve(wall))
}

// isoWeekday returns the ISO weekday (1 = Monday .. 7 = Sunday) of a civil
// day number; day 0 was a Thursday.
func isoWeekday(day int64) int {
	return int((day%7+7+3)%7) + 1
}

// Internally instants are Unix nanoseconds (int64): half the size of a
// time.Time and free of pointers, which keeps slot generation off the
// garbage collector's back. Instants beyond nsLimit (years before 1716 or
// after 2223) are clamped to it.
const (
	nsPerSecond = int64(time.Second)
	nsLimit     = 8_000_000_000 * nsPerSecond
)

// toNS converts t to Unix nanoseconds, clamped to ±nsLimit.
func toNS(t time.Time) int64 {
	return clampNS(t.Unix(), int64(t.Nanosecond()))
}

func secToNS(sec int64) int64 {
	return clampNS(sec, 0)
}

func clampNS(sec, nsec int64) int64 {
	switch {
	case sec <= -nsLimit/nsPerSecond:
		return -nsLimit
	case sec >= nsLimit/nsPerSecond:
		return nsLimit
	}
	return sec*nsPerSecond + nsec
}

// fromNS converts Unix nanoseconds to a UTC time.
func fromNS(n int64) time.Time {
	return time.Unix(0, n).UTC()
}

// addNS adds d to the instant n, saturating at ±nsLimit.
func addNS(n int64, d time.Duration) int64 {
	r := n + int64(d)
	switch {
	case d > 0 && r < n:
		return nsLimit
	case d < 0 && r > n:
		return -nsLimit
	}
	return max(-nsLimit, min(nsLimit, r))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
