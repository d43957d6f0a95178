package schedule

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestSlotsAgainstBruteForce compares Slots with a slow, independent
// reading of the rules on random calendars around DST changes: every minute
// is a candidate start, occurrences come straight from LocalTime, and every
// minute of a lesson is checked against every occurrence, time off and
// buffered booking. It also requires Check to agree on each candidate.
func TestSlotsAgainstBruteForce(t *testing.T) {
	// Each zone with the day before its 2027 changes (any day when it has none).
	zones := map[string][]string{
		"Europe/Rome":         {"2027-03-27", "2027-10-30"},
		"America/New_York":    {"2027-03-13", "2027-11-06"},
		"Australia/Lord_Howe": {"2027-04-03", "2027-10-02"},
		"America/Santiago":    {"2027-04-03", "2027-09-04"},
		"Asia/Beirut":         {"2027-03-27", "2027-10-30"},
		"Asia/Kolkata":        {"2027-06-15"},
		"Asia/Kathmandu":      {"2027-06-15"},
		"UTC":                 {"2027-06-15"},
	}
	var zoneNames []string
	for name := range zones {
		zoneNames = append(zoneNames, name)
	}
	slices.Sort(zoneNames)
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 400 {
		cal, from, to, length, now := randomCalendar(t, rng, zoneNames, zones)
		got := rfcs(cal.Slots(from, to, length, now))
		want := bruteSlots(t, cal, from, to, length, now)
		if !assert.Equal(t, want, got, "case %d: %+v from %s to %s length %v now %s", n, cal, rfc(from), rfc(to), length, rfc(now)) {
			return
		}
	}
}

func randomCalendar(t *testing.T, rng *rand.Rand, zoneNames []string, anchors map[string][]string) (Calendar, time.Time, time.Time, time.Duration, time.Time) {
	pick := func(ds ...time.Duration) time.Duration { return ds[rng.IntN(len(ds))] }
	name := zoneNames[rng.IntN(len(zoneNames))]
	zone := loc(t, name)
	cal := Calendar{
		Location:   zone,
		Buffer:     pick(0, 0, 10*time.Minute, 15*time.Minute, 30*time.Minute),
		MinNotice:  pick(0, 0, 2*time.Hour),
		MaxAdvance: pick(0, 0, 48*time.Hour),
		Step:       pick(15*time.Minute, 30*time.Minute, 30*time.Minute, time.Hour),
		Lengths:    lengths,
	}
	base := at(anchors[name][rng.IntN(len(anchors[name]))] + "T00:00:00Z").Add(time.Duration(rng.IntN(24*60)) * time.Minute)
	from := base
	to := from.Add(time.Duration(12*60+rng.IntN(3*24*60)) * time.Minute)
	for range 1 + rng.IntN(6) {
		w := Window{Weekday: 1 + rng.IntN(7), Start: Clock(15 * rng.IntN(96)), End: Clock(15 * rng.IntN(97)), Location: zone}
		if rng.IntN(5) == 0 {
			w.Location = loc(t, zoneNames[rng.IntN(len(zoneNames))])
		}
		if rng.IntN(4) == 0 {
			w.ValidFrom = from.AddDate(0, 0, rng.IntN(3)-1)
		}
		if rng.IntN(4) == 0 {
			w.ValidUntil = from.AddDate(0, 0, rng.IntN(4))
		}
		cal.Windows = append(cal.Windows, w)
	}
	randomSpan := func(maxMinutes int) Interval {
		s := from.Add(time.Duration(15*rng.IntN(4*24*4)) * time.Minute).Add(-24 * time.Hour)
		return Interval{s, s.Add(time.Duration(15+rng.IntN(maxMinutes)) * time.Minute)}
	}
	for range rng.IntN(12) {
		cal.Busy = append(cal.Busy, randomSpan(120))
	}
	for range rng.IntN(3) {
		cal.TimeOff = append(cal.TimeOff, randomSpan(600))
	}
	now := from.Add(time.Duration(rng.IntN(48*60)-24*60) * time.Minute)
	return cal, from, to, lengths[rng.IntN(len(lengths))], now
}

// bruteSlots is the specification of Slots written the slow way.
func bruteSlots(t *testing.T, cal Calendar, from, to time.Time, length time.Duration, now time.Time) []string {
	var occ []Interval
	for _, w := range cal.Windows {
		if w.Validate() != nil {
			continue
		}
		for d := from.In(w.Location).AddDate(0, 0, -2); !d.After(to.In(w.Location).AddDate(0, 0, 1)); d = d.AddDate(0, 0, 1) {
			date := d.Format(time.DateOnly)
			if (int(d.Weekday())+6)%7+1 != w.Weekday ||
				(!w.ValidFrom.IsZero() && date < w.ValidFrom.In(w.Location).Format(time.DateOnly)) ||
				(!w.ValidUntil.IsZero() && date > w.ValidUntil.In(w.Location).Format(time.DateOnly)) {
				continue
			}
			endDay := d.Day()
			if w.End < w.Start {
				endDay++
			}
			occ = append(occ, Interval{
				LocalTime(d.Year(), d.Month(), d.Day(), w.Start, w.Location),
				LocalTime(d.Year(), d.Month(), endDay, w.End, w.Location),
			})
		}
	}
	in := func(u time.Time, list []Interval, widen time.Duration) bool {
		for _, iv := range list {
			if !iv.Start.Before(iv.End) {
				continue
			}
			if !u.Before(iv.Start.Add(-widen)) && u.Before(iv.End.Add(widen)) {
				return true
			}
		}
		return false
	}
	free := func(s time.Time) bool {
		for u := s; u.Before(s.Add(length)); u = u.Add(time.Minute) {
			if !in(u, occ, 0) || in(u, cal.TimeOff, 0) || in(u, cal.Busy, cal.Buffer) {
				return false
			}
		}
		return true
	}
	step := cal.Step
	out := []string{}
	for s := from.Truncate(time.Minute); !s.Add(length).After(to); s = s.Add(time.Minute) {
		l := s.In(cal.Location)
		aligned := s.Sub(LocalTime(l.Year(), l.Month(), l.Day(), 0, cal.Location))%step == 0
		ok := aligned && !s.Before(from) && !s.Before(now.Add(cal.MinNotice)) &&
			(cal.MaxAdvance == 0 || !s.After(now.Add(cal.MaxAdvance))) && free(s)
		if ok {
			out = append(out, rfc(s)+"/"+rfc(s.Add(length)))
		}
		if checked := cal.Check(Interval{s, s.Add(length)}, nil, now) == nil; aligned && checked != ok && !s.Before(from) {
			t.Fatalf("Check(%s) = %v, brute force says %v", rfc(s), checked, ok)
		}
	}
	return out
}
