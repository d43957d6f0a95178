package icalfeed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"
)

// Interval is one span of busy time, [Start, End), in UTC.
type Interval struct {
	Start, End time.Time
}

// Options say which busy time Busy returns.
type Options struct {
	// From and To bound the horizon: only busy time inside [From, To) is
	// returned, cut at both ends.
	From, To time.Time
	// Zone reads all-day events and times without a zone ("floating"):
	// the tutor's own zone. Nil is UTC.
	Zone *time.Location
	// MaxSpan splits longer intervals into pieces of at most this length
	// (readers bound their index ranges with it); 0 leaves them whole.
	MaxSpan time.Duration
	// MaxIntervals is the most intervals a feed may give; more is
	// ErrTooMany. 0 means DefaultMaxIntervals.
	MaxIntervals int
}

// Defaults of the limits.
const (
	// DefaultMaxIntervals bounds the busy intervals of one feed over the
	// horizon (after merging): 5,000 is about 14 a day for a year.
	DefaultMaxIntervals = 5000
	// maxOccurrences bounds the occurrences one feed may make Busy walk
	// through, past ones included.
	maxOccurrences = 500_000
	// maxPeriods bounds the periods of one rule between its start and the
	// horizon's end (a rule that began long ago and repeats often).
	maxPeriods = 200_000
)

// Errors of Busy, wrapped.
var (
	// ErrUnparsable: the data is not an iCalendar object.
	ErrUnparsable = errors.New("not an iCalendar feed")
	// ErrTooMany: the feed gives more busy time than the limits allow.
	ErrTooMany = errors.New("too many busy times")
)

// Result is a feed read as busy time.
type Result struct {
	// Intervals are sorted, merged where they overlap or touch, cut to the
	// horizon and split at MaxSpan.
	Intervals []Interval
	// Events counts the feed's VEVENTs; Skipped those that could not be
	// read (no start, a date that does not parse, a rule repeating more
	// often than hourly or too long).
	Events, Skipped int
}

// Busy reads an iCalendar feed and returns its busy time inside the
// horizon of opt. It stops with ErrTooMany when ctx is done first: a
// rule that never matches (the 30th of February, daily) costs a fraction
// of a second to find empty, so a feed of many is bounded by time.
func Busy(ctx context.Context, data []byte, opt Options) (res Result, err error) {
	if opt.MaxIntervals <= 0 {
		opt.MaxIntervals = DefaultMaxIntervals
	}
	if opt.Zone == nil {
		opt.Zone = time.UTC
	}
	cal, err := decode(data)
	if err != nil {
		return res, fmt.Errorf("%w: %v", ErrUnparsable, err)
	}
	zs := newZones(cal, opt)
	var events []*event
	for _, c := range cal.Children {
		if c.Name != ical.CompEvent {
			continue
		}
		res.Events++
		ev, err := readEvent(c, zs)
		if err != nil {
			res.Skipped++
			continue
		}
		events = append(events, ev)
	}
	x := &expander{opt: opt, budget: maxOccurrences, overrides: overridesOf(events)}
	for _, ev := range events {
		if ctx.Err() != nil {
			return res, fmt.Errorf("%w: the feed takes too long to read (%v)", ErrTooMany, ctx.Err())
		}
		if err := x.expand(ev); err != nil {
			if errors.Is(err, ErrTooMany) {
				return res, err
			}
			res.Skipped++
		}
	}
	res.Intervals = Normalize(x.out, opt.MaxSpan)
	if len(res.Intervals) > opt.MaxIntervals {
		return res, fmt.Errorf("%w: %d busy intervals, at most %d", ErrTooMany, len(res.Intervals), opt.MaxIntervals)
	}
	return res, nil
}

// decode parses data as one VCALENDAR. The decoder's rare panics on
// malformed input are an unparsable feed, not a crash.
func decode(data []byte) (cal *ical.Calendar, err error) {
	defer func() {
		if r := recover(); r != nil {
			cal, err = nil, fmt.Errorf("malformed calendar")
		}
	}()
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a byte order mark
	if !bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("BEGIN:VCALENDAR")) {
		return nil, errors.New("no BEGIN:VCALENDAR")
	}
	return ical.NewDecoder(bytes.NewReader(data)).Decode()
}

// Normalize sorts intervals, merges those that overlap or touch and, when
// maxSpan > 0, splits each longer one into consecutive pieces of at most
// maxSpan. Empty intervals are dropped.
func Normalize(in []Interval, maxSpan time.Duration) []Interval {
	ivs := slices.DeleteFunc(slices.Clone(in), func(iv Interval) bool { return !iv.End.After(iv.Start) })
	slices.SortFunc(ivs, func(a, b Interval) int { return a.Start.Compare(b.Start) })
	var merged []Interval
	for _, iv := range ivs {
		if n := len(merged); n > 0 && !iv.Start.After(merged[n-1].End) {
			if iv.End.After(merged[n-1].End) {
				merged[n-1].End = iv.End
			}
			continue
		}
		merged = append(merged, Interval{iv.Start.UTC(), iv.End.UTC()})
	}
	if maxSpan <= 0 {
		return merged
	}
	out := make([]Interval, 0, len(merged))
	for _, iv := range merged {
		for iv.End.Sub(iv.Start) > maxSpan {
			out = append(out, Interval{iv.Start, iv.Start.Add(maxSpan)})
			iv.Start = iv.Start.Add(maxSpan)
		}
		out = append(out, iv)
	}
	return out
}

// blocks reports whether an event holds its time: not cancelled, not
// marked free (TRANSP:TRANSPARENT, or Outlook's busy status FREE).
func blocks(c *ical.Component) bool {
	value := func(name string) string {
		if p := c.Props.Get(name); p != nil {
			return strings.ToUpper(strings.TrimSpace(p.Value))
		}
		return ""
	}
	switch {
	case value(ical.PropStatus) == "CANCELLED":
		return false
	case value(ical.PropTransparency) == "TRANSPARENT":
		return false
	case value("X-MICROSOFT-CDO-BUSYSTATUS") == "FREE":
		return false
	}
	return true
}
