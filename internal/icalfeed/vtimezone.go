package icalfeed

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

// transition is a change of a zone's offset at an instant.
type transition struct {
	at     int64 // Unix seconds
	offset int   // seconds east of UTC, from then on
	dst    bool
	abbr   string
}

// maxObservanceSteps bounds the onsets one STANDARD or DAYLIGHT rule may
// walk through (Outlook's rules start in 1601: about 430 years).
const maxObservanceSteps = 5000

// buildZone turns a VTIMEZONE into a *time.Location that is exact over a
// year either side of [from, to): each STANDARD and DAYLIGHT observance
// gives its onsets (DTSTART, RRULE, RDATE, in local time before the
// change, TZOFFSETFROM), which become the transitions of a TZif file that
// the time package loads.
func buildZone(name string, def *ical.Component, from, to time.Time) (*time.Location, error) {
	lo, hi := from.AddDate(-1, 0, 0).Unix(), to.AddDate(1, 0, 0).Unix()
	var all []transition
	for _, obs := range def.Children {
		if obs.Name != ical.CompTimezoneStandard && obs.Name != ical.CompTimezoneDaylight {
			continue
		}
		ts, err := onsets(obs, hi)
		if err != nil {
			return nil, err
		}
		all = append(all, ts...)
	}
	if len(all) == 0 {
		return nil, errors.New("VTIMEZONE without observances")
	}
	slices.SortStableFunc(all, func(a, b transition) int { return cmp.Compare(a.at, b.at) })
	initial := transition{offset: firstFrom(def)} // what held before the first onset
	var kept []transition
	for _, t := range all {
		if t.at < lo {
			initial = t // the last change before the range holds at its start
			continue
		}
		if n := len(kept); n > 0 && kept[n-1].at == t.at {
			kept[n-1] = t
			continue
		}
		kept = append(kept, t)
	}
	return time.LoadLocationFromTZData(name, tzif(initial, kept))
}

// onsets lists one observance's transitions up to hi.
func onsets(obs *ical.Component, hi int64) ([]transition, error) {
	offFrom, err1 := offsetProp(obs, ical.PropTimezoneOffsetFrom)
	offTo, err2 := offsetProp(obs, ical.PropTimezoneOffsetTo)
	start := obs.Props.Get(ical.PropDateTimeStart)
	if err := errors.Join(err1, err2); err != nil || start == nil {
		return nil, fmt.Errorf("observance without offsets or start")
	}
	// local wall-clock times are read as UTC and shifted by the offset
	// before the change
	wall, err := time.ParseInLocation("20060102T150405", strings.TrimSuffix(start.Value, "Z"), time.UTC)
	if err != nil {
		return nil, err
	}
	abbr := ""
	if p := obs.Props.Get(ical.PropTimezoneName); p != nil {
		abbr = p.Value
	}
	mk := func(w time.Time) transition {
		return transition{at: w.Unix() - int64(offFrom), offset: offTo, dst: obs.Name == ical.CompTimezoneDaylight, abbr: abbr}
	}
	out := []transition{mk(wall)}
	if p := obs.Props.Get(ical.PropRecurrenceRule); p != nil {
		opt, err := rrule.StrToROptionInLocation(p.Value, time.UTC)
		if err != nil {
			return nil, err
		}
		if opt.Freq != rrule.YEARLY && opt.Freq != rrule.MONTHLY {
			return nil, fmt.Errorf("unsupported observance rule")
		}
		opt.Dtstart = wall
		if !opt.Until.IsZero() { // UNTIL is UTC; onsets are wall clock
			opt.Until = opt.Until.Add(time.Duration(offFrom) * time.Second)
		}
		// without UNTIL the rule stops 290 years after its start (1601 for
		// Outlook): bound it by the range instead
		if end := time.Unix(hi, 0).UTC().AddDate(0, 0, 1); opt.Until.IsZero() || opt.Until.After(end) {
			opt.Until = end
		}
		r, err := rrule.NewRRule(*opt)
		if err != nil {
			return nil, err
		}
		next := r.Iterator()
		for i := 0; i < maxObservanceSteps; i++ {
			w, ok := next()
			if !ok || w.Unix()-int64(offFrom) > hi {
				break
			}
			out = append(out, mk(w))
		}
	}
	for _, p := range obs.Props.Values(ical.PropRecurrenceDates) {
		for _, v := range splitList(p.Value) {
			if w, err := time.ParseInLocation("20060102T150405", strings.TrimSuffix(v, "Z"), time.UTC); err == nil {
				out = append(out, mk(w))
			}
		}
	}
	return out, nil
}

// firstFrom is the offset before a zone's earliest onset.
func firstFrom(def *ical.Component) int {
	best, off := "", 0
	for _, obs := range def.Children {
		p := obs.Props.Get(ical.PropDateTimeStart)
		if p == nil {
			continue
		}
		if o, err := offsetProp(obs, ical.PropTimezoneOffsetFrom); err == nil && (best == "" || p.Value < best) {
			best, off = p.Value, o
		}
	}
	return off
}

// offsetProp reads a UTC offset, "+0100", "-0530" or "+013000", in
// seconds.
func offsetProp(c *ical.Component, name string) (int, error) {
	p := c.Props.Get(name)
	if p == nil {
		return 0, fmt.Errorf("no %s", name)
	}
	v := strings.TrimSpace(p.Value)
	if len(v) != 5 && len(v) != 7 || (v[0] != '+' && v[0] != '-') {
		return 0, fmt.Errorf("bad offset %q", v)
	}
	n := 0
	for i, unit := range []int{3600, 60, 1} {
		if 1+2*i >= len(v) {
			break
		}
		d, err := strconv.Atoi(v[1+2*i : 3+2*i])
		if err != nil || d > 59 || i == 0 && d > 23 {
			return 0, fmt.Errorf("bad offset %q", v)
		}
		n += d * unit
	}
	if v[0] == '-' {
		n = -n
	}
	return n, nil
}

// tzif writes a version 2 TZif file (RFC 8536) with an empty version 1
// block, the local time type initial for instants before the first
// transition (type 0, used by no transition, as the time package wants),
// and no footer: after the last transition its type holds.
func tzif(initial transition, ts []transition) []byte {
	type kind struct {
		offset int
		dst    bool
		abbr   string
	}
	kinds := []kind{{initial.offset, initial.dst, abbrOf(initial)}}
	index := make([]byte, len(ts))
	for i, t := range ts {
		k := kind{t.offset, t.dst, abbrOf(t)}
		j := slices.Index(kinds[1:], k) + 1
		if j == 0 {
			if len(kinds) == 255 {
				j = len(kinds) - 1
			} else {
				kinds = append(kinds, k)
				j = len(kinds) - 1
			}
		}
		index[i] = byte(j)
	}
	var chars []byte
	charAt := make([]byte, len(kinds))
	for i, k := range kinds {
		charAt[i] = byte(len(chars))
		chars = append(chars, k.abbr...)
		chars = append(chars, 0)
	}
	be := binary.BigEndian
	header := func(timecnt, typecnt, charcnt int) []byte {
		h := append([]byte("TZif2"), make([]byte, 15)...)
		for _, n := range []int{0, 0, 0, timecnt, typecnt, charcnt} {
			h = be.AppendUint32(h, uint32(n))
		}
		return h
	}
	out := header(0, 0, 0) // the empty version 1 block
	out = append(out, header(len(ts), len(kinds), len(chars))...)
	for _, t := range ts {
		out = be.AppendUint64(out, uint64(t.at))
	}
	out = append(out, index...)
	for i, k := range kinds {
		out = be.AppendUint32(out, uint32(int32(k.offset)))
		out = append(out, b2i(k.dst), charAt[i])
	}
	out = append(out, chars...)
	return append(out, '\n', '\n')
}

// abbrOf is a transition's abbreviation: its TZNAME if it is a short word,
// else the offset ("+0130").
func abbrOf(t transition) string {
	ok := len(t.abbr) >= 1 && len(t.abbr) <= 10
	for _, r := range t.abbr {
		ok = ok && (r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '-')
	}
	if ok {
		return t.abbr
	}
	sign, off := '+', t.offset
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%c%02d%02d", sign, off/3600, off%3600/60)
}

func b2i(b bool) byte {
	if b {
		return 1
	}
	return 0
}
