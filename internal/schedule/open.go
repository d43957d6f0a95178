package schedule

import "time"

// Open lists the tutor's working time within [from, to): the occurrences of
// the weekly windows, merged, minus time off, clipped to the range, sorted.
// Bookings, buffers, notice and the slot step play no part: this is what a
// calendar shades as "available", not what can be booked. Returned
// instants are UTC.
func (c Calendar) Open(from, to time.Time) []Interval {
	lo, hi := toNS(from), toNS(to)
	if hi <= lo {
		return nil
	}
	var zs zones
	spans := expand(&zs, c.Windows, lo, hi, nil)
	var off []span
	for _, iv := range c.TimeOff {
		if sp := toSpan(iv); sp.s < sp.e && sp.s < hi && sp.e > lo {
			off = append(off, sp)
		}
	}
	free := subtract(spans, merge(off), nil)
	out := make([]Interval, 0, len(free))
	for _, f := range free {
		s, e := max(f.s, lo), min(f.e, hi)
		if s < e {
			out = append(out, Interval{fromNS(s), fromNS(e)})
		}
	}
	return out
}
