package schedule

const minutesPerWeek = 7 * 1440

// Overlapping finds two windows in ws whose occurrences overlap in wall-clock
// terms and returns the first such pair (i < j, smallest i, then smallest
// j). Windows overlap when their weekly ranges share a minute, counting a
// window that crosses midnight as spilling into the next weekday (Sunday
// into Monday); ranges that only touch (10:00 end, 10:00 start) do not
// overlap. Windows whose validity periods cannot produce occurrences on a
// common date never overlap, so a summer and a winter timetable can share
// weekdays. Time zones are ignored: the comparison is of wall-clock times,
// as the availability editor shows them. Invalid windows are skipped.
func Overlapping(ws []Window) (i, j int, ok bool) {
	for i = range ws {
		if !ws[i].usable() {
			continue
		}
		for j = i + 1; j < len(ws); j++ {
			if ws[j].usable() && windowsOverlap(&ws[i], &ws[j]) {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

// windowsOverlap compares two usable windows.
func windowsOverlap(a, b *Window) bool {
	lo, hi := commonDays(a, b)
	if lo > hi {
		return false
	}
	if hi-lo >= 14 { // also when unbounded
		// Every weekday occurs at least twice in the common period, so the
		// weekly pattern decides.
		as, ae := weekRange(a)
		bs, be := weekRange(b)
		for _, shift := range [...]int64{-minutesPerWeek, 0, minutesPerWeek} {
			if as < be+shift && bs+shift < ae {
				return true
			}
		}
		return false
	}
	// A short common period: compare the actual occurrences, in minutes
	// since 1970-01-01 local, of both windows around it.
	for da := lo - 1; da <= hi; da++ {
		if !occursOn(a, da) {
			continue
		}
		as := da*1440 + int64(a.Start)
		ae := as + a.length()
		for db := da - 1; db <= da+1; db++ {
			if occursOn(b, db) {
				bs := db*1440 + int64(b.Start)
				if as < bs+b.length() && bs < ae {
					return true
				}
			}
		}
	}
	return false
}

// weekRange returns w's range in minutes after Monday 00:00; the end may
// pass the end of the week.
func weekRange(w *Window) (int64, int64) {
	s := int64(w.Weekday-1)*1440 + int64(w.Start)
	return s, s + w.length()
}

// validDays returns the civil days w may start on, inclusive; an unbounded
// end is a day far enough away that differences cannot overflow.
func validDays(w *Window) (lo, hi int64) {
	z := newZone(w.Location)
	return w.dayRange(&z, minInt64/4, maxInt64/4)
}

// commonDays returns the civil days on which occurrences of both windows can
// be under way: each window's validity, extended by a day at the end for a
// window crossing midnight, intersected.
func commonDays(a, b *Window) (lo, hi int64) {
	alo, ahi := validDays(a)
	blo, bhi := validDays(b)
	if a.crosses() {
		ahi++
	}
	if b.crosses() {
		bhi++
	}
	return max(alo, blo), min(ahi, bhi)
}

// occursOn reports whether w has an occurrence starting on civil day d.
func occursOn(w *Window, d int64) bool {
	lo, hi := validDays(w)
	return isoWeekday(d) == w.Weekday && d >= lo && d <= hi
}

const (
	minInt64 = -1 << 63
	maxInt64 = 1<<63 - 1
)
