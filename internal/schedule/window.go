package schedule

import "time"

// Window is one weekly availability window, written in local wall-clock time
// in Location.
//
// When End > Start the window lies within one local date (End 1440, "24:00",
// runs to the end of that date). When End < Start the window crosses
// midnight: it starts at Start on its weekday and ends at End on the next
// local date, so {Weekday: 7, Start: 22:00, End: 02:00} is Sunday 22:00 to
// Monday 02:00; End 00:00 then means the same as 24:00. Start == End is
// invalid.
//
// ValidFrom and ValidUntil optionally bound the dates the window applies to
// (the zero time is unbounded). Each is reduced to its local date in
// Location and compared, inclusively, with the local date an occurrence
// starts on; build them with time.Date(y, m, d, 0, 0, 0, 0, Location) from
// a civil date so that the date survives the round trip.
type Window struct {
	Weekday    int            // ISO: 1 = Monday .. 7 = Sunday, the local date the window starts on
	Start, End Clock          // local wall-clock times; End < Start crosses midnight
	Location   *time.Location // the zone Start and End are written in
	ValidFrom  time.Time      // first local date the window applies to; zero: no bound
	ValidUntil time.Time      // last local date the window applies to; zero: no bound
}

// CodeInvalidWindow is the RuleError code of every Window.Validate failure.
const CodeInvalidWindow = "invalid_window"

// Validate reports the first thing wrong with w as a *RuleError with code
// CodeInvalidWindow and the field of the availability record at fault
// (weekday, start, end, timezone, valid_until), or nil. Expand, Slots and
// Check skip invalid windows, so validate on write.
func (w Window) Validate() error {
	if ps := w.Problems(); len(ps) > 0 {
		return ps[0]
	}
	return nil
}

// Problems lists everything wrong with w, at most one *RuleError per field,
// in Validate's order, so a form can show every bad field at once.
func (w Window) Problems() []*RuleError {
	var out []*RuleError
	fail := func(field, msg string) {
		out = append(out, &RuleError{Code: CodeInvalidWindow, Field: field, Message: msg})
	}
	if w.Weekday < 1 || w.Weekday > 7 {
		fail("weekday", "Weekday must be between 1 (Monday) and 7 (Sunday).")
	}
	startOK := w.Start >= 0 && w.Start < EndOfDay
	if !startOK {
		fail("start", "Start must be between 00:00 and 23:59.")
	}
	switch {
	case w.End < 0 || w.End > EndOfDay:
		fail("end", "End must be between 00:00 and 24:00.")
	case startOK && w.Start == w.End:
		fail("end", "End must differ from start.")
	}
	if w.Location == nil {
		fail("timezone", "A time zone is required.")
	} else if !w.ValidFrom.IsZero() && !w.ValidUntil.IsZero() {
		z := newZone(w.Location)
		if z.localDay(w.ValidUntil) < z.localDay(w.ValidFrom) {
			fail("valid_until", "Valid until must not be before valid from.")
		}
	}
	return out
}

// usable is the allocation-free part of Validate that expansion relies on.
func (w *Window) usable() bool {
	return w.Weekday >= 1 && w.Weekday <= 7 && w.Start >= 0 && w.Start < EndOfDay &&
		w.End >= 0 && w.End <= EndOfDay && w.Start != w.End && w.Location != nil
}

// crosses reports whether w ends on the local date after the one it starts on.
func (w *Window) crosses() bool {
	return w.End < w.Start
}

// length returns w's length in wall-clock minutes.
func (w *Window) length() int64 {
	if w.crosses() {
		return int64(w.End) + int64(EndOfDay) - int64(w.Start)
	}
	return int64(w.End - w.Start)
}

// dayRange narrows the civil days [lo, hi] to those w is valid on.
func (w *Window) dayRange(z *zone, lo, hi int64) (int64, int64) {
	if !w.ValidFrom.IsZero() {
		lo = max(lo, z.localDay(w.ValidFrom))
	}
	if !w.ValidUntil.IsZero() {
		hi = min(hi, z.localDay(w.ValidUntil))
	}
	return lo, hi
}

// expand is Expand on Unix nanoseconds: it appends the occurrences to
// out[:0] and merges them; zs caches offsets across calls.
func expand(zs *zones, ws []Window, from, to int64, out []span) []span {
	out = out[:0]
	if from >= to {
		return out
	}
	for i := range ws {
		w := &ws[i]
		if !w.usable() {
			continue
		}
		z := zs.get(w.Location)
		// An occurrence starting the day before from's date can reach into
		// it; one starting after to's date starts after to.
		first, last := w.dayRange(z, z.localDayNS(from)-1, z.localDayNS(to))
		if first > last {
			continue
		}
		d := first + int64((w.Weekday-isoWeekday(first)+7)%7)
		startSec := int64(w.Start) * 60
		endSec := startSec + w.length()*60
		for ; d <= last; d += 7 {
			s := z.resolveNS(d*secondsPerDay + startSec)
			e := z.resolveNS(d*secondsPerDay + endSec)
			if s < e && e > from && s < to {
				out = append(out, span{s, e})
			}
		}
	}
	return merge(out)
}

// zones holds one offset cache per location met, the first few inline.
type zones struct {
	n     int
	first [4]zone
	more  []zone
}

func (zs *zones) get(loc *time.Location) *zone {
	if loc == nil {
		loc = time.UTC
	}
	for i := range zs.n {
		if zs.first[i].loc == loc {
			return &zs.first[i]
		}
	}
	for i := range zs.more {
		if zs.more[i].loc == loc {
			return &zs.more[i]
		}
	}
	if zs.n < len(zs.first) {
		zs.first[zs.n] = newZone(loc)
		zs.n++
		return &zs.first[zs.n-1]
	}
	zs.more = append(zs.more, newZone(loc))
	return &zs.more[len(zs.more)-1]
}
