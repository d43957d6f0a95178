package schedule

import (
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zoneinfo
)

// loc loads an IANA zone or fails the test.
func loc(t testing.TB, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return l
}

// at parses an RFC 3339 instant or panics (test tables are literals).
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// hm parses "HH:MM" or panics.
func hm(s string) Clock {
	c, err := ParseClock(s)
	if err != nil {
		panic(err)
	}
	return c
}

// ival builds an interval from two RFC 3339 instants.
func ival(start, end string) Interval {
	return Interval{at(start), at(end)}
}

// rfc formats an instant as UTC RFC 3339.
func rfc(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// rfcs formats intervals as "start/end" UTC RFC 3339 strings.
func rfcs(ivs []Interval) []string {
	out := []string{}
	for _, iv := range ivs {
		out = append(out, rfc(iv.Start)+"/"+rfc(iv.End))
	}
	return out
}

// every lists n "start/end" strings whose starts are step apart, each lasting
// length: the expected side of slot tables with long runs.
func every(first string, n int, step, length time.Duration) []string {
	out := []string{}
	s := at(first)
	for range n {
		out = append(out, rfc(s)+"/"+rfc(s.Add(length)))
		s = s.Add(step)
	}
	return out
}

// concat joins string lists.
func concat(lists ...[]string) []string {
	out := []string{}
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
