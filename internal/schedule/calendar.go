package schedule

import (
	"slices"
	"time"
)

// DefaultStep is the slot step used when Calendar.Step (or Aligned's step)
// is not positive: the school's default slot_step_minutes.
const DefaultStep = 30 * time.Minute

// Calendar is everything about one tutor that decides free time. It is a
// plain value: build one per request from the tutor's records; Slots and
// Check never modify it or the slices it holds.
type Calendar struct {
	// Location is the tutor's zone. Slot starts are aligned from the first
	// instant of each local date in it (see Aligned). Nil is UTC.
	Location *time.Location
	// Windows is the weekly availability; invalid windows are ignored.
	Windows []Window
	// TimeOff intervals are never bookable, not even partly.
	TimeOff []Interval
	// Busy holds the tutor's active (pending or confirmed) bookings, in any
	// order.
	Busy []Interval
	// Buffer is kept free on both sides of every Busy interval. It does not
	// apply at window edges: a booking may start where a window starts.
	Buffer time.Duration
	// MinNotice: a start must be at or after now + MinNotice.
	MinNotice time.Duration
	// MaxAdvance: a start must be at or before now + MaxAdvance; 0 means no
	// limit.
	MaxAdvance time.Duration
	// Step is the school's slot step; 0 means DefaultStep.
	Step time.Duration
	// Lengths are the allowed lesson lengths; empty allows any positive
	// length.
	Lengths []time.Duration
}

func (c *Calendar) step() time.Duration {
	if c.Step <= 0 {
		return DefaultStep
	}
	return c.Step
}

// lengthAllowed reports whether a lesson of length d may be booked.
func (c *Calendar) lengthAllowed(d time.Duration) bool {
	return d > 0 && (len(c.Lengths) == 0 || slices.Contains(c.Lengths, d))
}

// Slots lists the free lessons of the given length whose start and end both
// lie within [from, to], sorted by start, each start listed once. A start is
// offered when it is aligned (see Aligned, with c.Location and c.Step), the
// whole lesson lies inside the union of window occurrences and clear of time
// off and of every Busy interval widened by Buffer, and it is at or after
// now + MinNotice and, when MaxAdvance > 0, at or before now + MaxAdvance.
// Every slot listed passes Check with no student bookings. A length that
// Lengths does not allow gives nil. Returned instants are UTC.
//
// The work is proportional to the number of windows, busy intervals and
// slots in the range (plus sorting the busy intervals); nothing is
// quadratic.
func (c Calendar) Slots(from, to time.Time, length time.Duration, now time.Time) []Interval {
	if !c.lengthAllowed(length) {
		return nil
	}
	lo := max(toNS(from), toNS(now.Add(c.MinNotice))) // earliest start
	hi := toNS(to.Add(-length))                       // latest start
	if c.MaxAdvance > 0 {
		hi = min(hi, toNS(now.Add(c.MaxAdvance)))
	}
	if hi < lo {
		return nil
	}
	end := addNS(hi, length) // latest end
	var zs zones
	spans := expand(&zs, c.Windows, lo, end, make([]span, 0, 2*len(c.Windows)+4))
	blocked := c.blocked(lo, end)
	free := subtract(spans, blocked, blocked[len(blocked):cap(blocked)][:0])
	step := int64(c.step())
	n := 0 // an upper bound on the slots, to allocate once
	for _, f := range free {
		if first, last := max(f.s, lo), min(f.e-int64(length), hi); first <= last {
			n += int((last-first)/step) + 2
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]Interval, 0, n)
	g := grid{z: newZone(c.Location), step: step}
	for _, f := range free {
		first, last := max(f.s, lo), min(f.e-int64(length), hi)
		for s := g.ceil(first); s <= last; s = g.next(s) {
			out = append(out, Interval{fromNS(s), fromNS(s + int64(length))})
		}
	}
	return out
}

// blocked returns time off and buffered bookings that intersect [from, to),
// sorted and merged. The slice has spare capacity for subtract's result.
func (c *Calendar) blocked(from, to int64) []span {
	n := len(c.TimeOff) + len(c.Busy)
	out := make([]span, 0, 2*n+2*len(c.Windows)+4)
	for _, iv := range c.TimeOff {
		if sp := toSpan(iv); sp.s < sp.e && sp.s < to && sp.e > from {
			out = append(out, sp)
		}
	}
	for _, b := range c.Busy {
		sp := toSpan(b)
		if sp.s >= sp.e {
			continue
		}
		sp = span{addNS(sp.s, -c.Buffer), addNS(sp.e, c.Buffer)}
		if sp.s < to && sp.e > from {
			out = append(out, sp)
		}
	}
	return merge(out)
}

// grid walks the aligned instants of a location in real time: k*step after
// the first instant of each local date, restarting at every local midnight.
// It caches the current local date so that stepping costs no zone lookup.
// Instants are Unix nanoseconds.
type grid struct {
	z          zone
	step       int64
	day        int64 // civil day number of the current local date
	start, end int64 // first instants of day and of day+1
}

// enter makes the local date of t the current one.
func (g *grid) enter(t int64) {
	g.day = g.z.localDayNS(t)
	g.start = g.z.resolveNS(g.day * secondsPerDay)
	g.end = g.z.resolveNS((g.day + 1) * secondsPerDay)
}

// advance moves to the next local date.
func (g *grid) advance() {
	g.day++
	g.start = g.end
	g.end = g.z.resolveNS((g.day + 1) * secondsPerDay)
}

// ceil returns the first aligned instant at or after t.
func (g *grid) ceil(t int64) int64 {
	if t < g.start || t >= g.end {
		g.enter(t)
	}
	if s := g.start - floorDiv(g.start-t, g.step)*g.step; s < g.end {
		return s
	}
	g.advance()
	return g.start
}

// next returns the first aligned instant after the aligned instant s.
func (g *grid) next(s int64) int64 {
	if n := s + g.step; n < g.end {
		return n
	}
	g.advance()
	if g.start <= s { // only in a zone whose local dates are not contiguous
		return s + g.step
	}
	return g.start
}
