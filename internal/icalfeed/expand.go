package icalfeed

import (
	"errors"
	"fmt"
	"time"

	"github.com/teambition/rrule-go"
)

// expander turns events into busy intervals inside the horizon, within a
// budget of occurrences walked for the whole feed.
type expander struct {
	opt       Options
	budget    int
	overrides map[string]*replaced
	out       []Interval
}

var errUnsupportedRule = errors.New("unsupported recurrence rule")

// expand adds the busy instances of ev: DTSTART, the rule's and RDATE's
// instances, less EXDATE's and those an override replaces. An override
// (RECURRENCE-ID) is one instance of its own.
func (x *expander) expand(ev *event) error {
	if !ev.busy {
		return nil // a free or cancelled override still replaces its instance (overridesOf)
	}
	var next rrule.Next
	if ev.recur == nil && ev.rrule != "" {
		var err error
		if next, err = x.rule(ev); err != nil {
			return err // before anything is kept: a skipped event gives nothing
		}
	}
	seen := map[int64]bool{}
	var skip *replaced
	if ev.recur == nil {
		skip = x.overrides[ev.uid]
	}
	add := func(start, end time.Time) {
		u := start.Unix()
		if seen[u] || ev.exdate[u] || (skip != nil && skip.at[u]) {
			return
		}
		seen[u] = true
		if y, m, d := start.Date(); ev.exday[[3]int{y, int(m), d}] {
			return
		}
		x.keep(start, end)
	}
	add(ev.start, ev.length.after(ev.start))
	if ev.recur != nil {
		return nil
	}
	for _, o := range ev.rdates {
		end := o.end
		if end.IsZero() {
			end = ev.length.after(o.start)
		}
		add(o.start, end)
	}
	for next != nil {
		start, ok := next()
		if !ok || !start.Before(x.opt.To) {
			return nil
		}
		if x.budget--; x.budget < 0 {
			return fmt.Errorf("%w: the feed repeats its events too often", ErrTooMany)
		}
		add(start, ev.length.after(start))
	}
	return nil
}

// rule returns the iterator of ev's RRULE, bounded by the horizon's end.
func (x *expander) rule(ev *event) (rrule.Next, error) {
	opt, err := rrule.StrToROptionInLocation(ev.rrule, ev.loc)
	if err != nil {
		return nil, err
	}
	if opt.Freq == rrule.MINUTELY || opt.Freq == rrule.SECONDLY {
		return nil, errUnsupportedRule // nobody's busy time repeats by the minute
	}
	opt.Dtstart = ev.start
	if opt.Until.IsZero() || opt.Until.After(x.opt.To) {
		opt.Until = x.opt.To
	}
	if periods(opt) > maxPeriods {
		return nil, errUnsupportedRule
	}
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil, err
	}
	return r.Iterator(), nil
}

// periods estimates how many periods of its frequency a rule walks from
// its start to its UNTIL.
func periods(opt *rrule.ROption) int64 {
	per := map[rrule.Frequency]time.Duration{
		rrule.YEARLY: 365 * 24 * time.Hour, rrule.MONTHLY: 28 * 24 * time.Hour, rrule.WEEKLY: 7 * 24 * time.Hour,
		rrule.DAILY: 24 * time.Hour, rrule.HOURLY: time.Hour,
	}[opt.Freq]
	if per == 0 {
		return 1 << 62
	}
	span := opt.Until.Sub(opt.Dtstart)
	if span <= 0 {
		return 0
	}
	return int64(span/per) / int64(max(opt.Interval, 1))
}

// keep adds [start, end) cut to the horizon, if anything is left.
func (x *expander) keep(start, end time.Time) {
	if start.Before(x.opt.From) {
		start = x.opt.From
	}
	if end.After(x.opt.To) {
		end = x.opt.To
	}
	if end.After(start) {
		x.out = append(x.out, Interval{start.UTC(), end.UTC()})
	}
}
