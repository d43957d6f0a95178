package schedule

import (
	"cmp"
	"slices"
	"time"
)

// Interval is a half-open span of real time [Start, End). An interval whose
// End is not after its Start is empty.
type Interval struct {
	Start, End time.Time
}

// Overlaps reports whether a and b share an instant. Half-open intervals
// that only touch (a.End == b.Start) do not overlap, and an empty interval
// overlaps nothing.
func (a Interval) Overlaps(b Interval) bool {
	return a.Start.Before(a.End) && b.Start.Before(b.End) &&
		a.Start.Before(b.End) && b.Start.Before(a.End)
}

// Contains reports whether b lies wholly inside a: a.Start <= b.Start and
// b.End <= a.End.
func (a Interval) Contains(b Interval) bool {
	return !b.Start.Before(a.Start) && !b.End.After(a.End)
}

// Duration returns End - Start.
func (a Interval) Duration() time.Duration {
	return a.End.Sub(a.Start)
}

// String formats a as "[start, end)" in UTC RFC 3339, for logs and tests.
func (a Interval) String() string {
	return "[" + a.Start.UTC().Format(time.RFC3339) + ", " + a.End.UTC().Format(time.RFC3339) + ")"
}

// span is the internal form of an Interval: [s, e) in Unix nanoseconds.
type span struct {
	s, e int64
}

func toSpan(iv Interval) span {
	return span{toNS(iv.Start), toNS(iv.End)}
}

// byStart orders spans by start, then end.
func byStart(a, b span) int {
	if c := cmp.Compare(a.s, b.s); c != 0 {
		return c
	}
	return cmp.Compare(a.e, b.e)
}

// merge sorts list in place and unions overlapping or adjacent spans,
// reusing list's storage. Empty spans are dropped.
func merge(list []span) []span {
	slices.SortFunc(list, byStart)
	out := list[:0]
	for _, iv := range list {
		if iv.s >= iv.e {
			continue
		}
		if n := len(out); n > 0 && iv.s <= out[n-1].e {
			out[n-1].e = max(out[n-1].e, iv.e)
			continue
		}
		out = append(out, iv)
	}
	return out
}

// subtract returns spans minus blocked. Both must be sorted and merged (as
// merge leaves them); the result is too. It runs in one sweep over both and
// appends to out.
func subtract(spans, blocked, out []span) []span {
	j := 0
	for _, sp := range spans {
		cur := sp.s
		for j < len(blocked) && blocked[j].e <= cur {
			j++
		}
		for k := j; k < len(blocked) && blocked[k].s < sp.e; k++ {
			if blocked[k].s > cur {
				out = append(out, span{cur, blocked[k].s})
			}
			cur = max(cur, blocked[k].e)
		}
		if cur < sp.e {
			out = append(out, span{cur, sp.e})
		}
	}
	return out
}
