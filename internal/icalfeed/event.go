package icalfeed

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"
)

// event is what expansion needs of one VEVENT: never its title or text.
type event struct {
	uid    string
	start  time.Time // DTSTART in its zone
	allDay bool
	length length
	busy   bool
	rrule  string // RRULE's value, "" for none
	rdates []occurrence
	exdate map[int64]bool  // excluded starts (Unix seconds)
	exday  map[[3]int]bool // excluded local dates (EXDATE given as DATE)
	recur  *time.Time      // RECURRENCE-ID: the instance this event replaces
	loc    *time.Location  // DTSTART's zone: the rule repeats in it
}

// occurrence is an extra instance (RDATE): a start, and an end when it
// was given as a PERIOD.
type occurrence struct {
	start, end time.Time
}

// length is how long an event lasts: days are nominal (a day in a DST
// change is 23 or 25 hours), the rest exact.
type length struct {
	days  int
	exact time.Duration
}

func (l length) after(t time.Time) time.Time { return t.AddDate(0, 0, l.days).Add(l.exact) }

var errNoStart = errors.New("event without DTSTART")

// readEvent reads the instants of a VEVENT.
func readEvent(c *ical.Component, zs *zones) (*event, error) {
	ev := &event{busy: blocks(c), exdate: map[int64]bool{}, exday: map[[3]int]bool{}}
	if p := c.Props.Get(ical.PropUID); p != nil {
		ev.uid = p.Value
	}
	start := c.Props.Get(ical.PropDateTimeStart)
	if start == nil {
		return nil, errNoStart
	}
	var err error
	if ev.start, ev.allDay, err = zs.when(start, start.Value); err != nil {
		return nil, err
	}
	ev.loc = ev.start.Location()
	if ev.length, err = lengthOf(c, ev, zs); err != nil {
		return nil, err
	}
	if p := c.Props.Get(ical.PropRecurrenceID); p != nil {
		t, _, err := zs.when(p, p.Value)
		if err != nil {
			return nil, err
		}
		ev.recur = &t
		return ev, nil // an instance: its own rules, if any, are not followed
	}
	if p := c.Props.Get(ical.PropRecurrenceRule); p != nil {
		ev.rrule = strings.TrimSpace(p.Value)
	}
	for _, p := range c.Props.Values(ical.PropRecurrenceDates) {
		for _, v := range splitList(p.Value) {
			o, err := zs.period(&p, v)
			if err != nil {
				return nil, err
			}
			ev.rdates = append(ev.rdates, o)
		}
	}
	for _, p := range c.Props.Values(ical.PropExceptionDates) {
		for _, v := range splitList(p.Value) {
			t, allDay, err := zs.when(&p, v)
			if err != nil {
				return nil, err
			}
			if allDay && !ev.allDay { // a date: every instance that day
				y, m, d := t.Date()
				ev.exday[[3]int{y, int(m), d}] = true
				continue
			}
			ev.exdate[t.Unix()] = true
		}
	}
	return ev, nil
}

// lengthOf reads DTEND or DURATION; without either an all-day event lasts
// its day and a timed one no time at all (RFC 5545 §3.6.1).
func lengthOf(c *ical.Component, ev *event, zs *zones) (length, error) {
	if p := c.Props.Get(ical.PropDateTimeEnd); p != nil {
		end, allDay, err := zs.when(p, p.Value)
		if err != nil {
			return length{}, err
		}
		if ev.allDay && allDay {
			y1, m1, d1 := ev.start.Date()
			y2, m2, d2 := end.Date()
			days := int(time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC).Sub(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
			return length{days: max(days, 0)}, nil
		}
		return length{exact: max(end.Sub(ev.start), 0)}, nil
	}
	if p := c.Props.Get(ical.PropDuration); p != nil {
		return parseDuration(p.Value)
	}
	if ev.allDay {
		return length{days: 1}, nil
	}
	return length{}, nil
}

// parseDuration reads an RFC 5545 DURATION: [+]P[nW][nD][T[nH][nM][nS]].
// A negative one is an error.
func parseDuration(s string) (length, error) {
	s = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "+")
	rest, ok := strings.CutPrefix(s, "P")
	if !ok || rest == "" {
		return length{}, fmt.Errorf("bad duration %q", s)
	}
	var l length
	inTime := false
	num := ""
	for _, r := range rest {
		switch {
		case r >= '0' && r <= '9':
			num += string(r)
			continue
		case r == 'T' && num == "":
			inTime = true
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil || n > 1_000_000 {
			return length{}, fmt.Errorf("bad duration %q", s)
		}
		num = ""
		switch {
		case r == 'W' && !inTime:
			l.days += 7 * n
		case r == 'D' && !inTime:
			l.days += n
		case r == 'H' && inTime:
			l.exact += time.Duration(n) * time.Hour
		case r == 'M' && inTime:
			l.exact += time.Duration(n) * time.Minute
		case r == 'S' && inTime:
			l.exact += time.Duration(n) * time.Second
		default:
			return length{}, fmt.Errorf("bad duration %q", s)
		}
	}
	if num != "" || strings.HasSuffix(rest, "T") {
		return length{}, fmt.Errorf("bad duration %q", s)
	}
	return l, nil
}

// splitList splits a comma-separated list of values (EXDATE, RDATE).
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// overridesOf indexes the instances that events with a RECURRENCE-ID
// replace, by UID and start.
func overridesOf(events []*event) map[string]*replaced {
	out := map[string]*replaced{}
	for _, ev := range events {
		if ev.recur == nil {
			continue
		}
		r := out[ev.uid]
		if r == nil {
			r = &replaced{at: map[int64]bool{}}
			out[ev.uid] = r
		}
		r.at[ev.recur.Unix()] = true
	}
	return out
}

// replaced are the instances of one UID that overrides replace.
type replaced struct {
	at map[int64]bool
}
