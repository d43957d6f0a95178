package schedule

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestIntervalOverlaps(t *testing.T) {
	nine := ival("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")
	tests := []struct {
		name string
		b    Interval
		want bool
	}{
		{"same", nine, true},
		{"inside", ival("2027-03-01T09:15:00Z", "2027-03-01T09:45:00Z"), true},
		{"around", ival("2027-03-01T08:00:00Z", "2027-03-01T11:00:00Z"), true},
		{"tail", ival("2027-03-01T09:59:00Z", "2027-03-01T11:00:00Z"), true},
		{"touching after", ival("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z"), false},
		{"touching before", ival("2027-03-01T08:00:00Z", "2027-03-01T09:00:00Z"), false},
		{"apart", ival("2027-03-01T12:00:00Z", "2027-03-01T13:00:00Z"), false},
		{"empty inside", ival("2027-03-01T09:30:00Z", "2027-03-01T09:30:00Z"), false},
		{"reversed inside", ival("2027-03-01T09:45:00Z", "2027-03-01T09:15:00Z"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nine.Overlaps(tt.b); got != tt.want {
				t.Errorf("%v.Overlaps(%v) = %v, want %v", nine, tt.b, got, tt.want)
			}
			if got := tt.b.Overlaps(nine); got != tt.want {
				t.Errorf("%v.Overlaps(%v) = %v, want %v (symmetry)", tt.b, nine, got, tt.want)
			}
		})
	}
}

func TestMerge(t *testing.T) {
	tests := []struct {
		name string
		in   []Interval
		want []string
	}{
		{"empty", nil, []string{}},
		{"unsorted disjoint",
			[]Interval{ival("2027-03-01T11:00:00Z", "2027-03-01T12:00:00Z"), ival("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")},
			[]string{"2027-03-01T09:00:00Z/2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z/2027-03-01T12:00:00Z"}},
		{"adjacent join",
			[]Interval{ival("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z"), ival("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")},
			[]string{"2027-03-01T09:00:00Z/2027-03-01T11:00:00Z"}},
		{"nested",
			[]Interval{ival("2027-03-01T09:00:00Z", "2027-03-01T12:00:00Z"), ival("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z")},
			[]string{"2027-03-01T09:00:00Z/2027-03-01T12:00:00Z"}},
		{"empty dropped",
			[]Interval{ival("2027-03-01T09:00:00Z", "2027-03-01T09:00:00Z"), ival("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z")},
			[]string{"2027-03-01T10:00:00Z/2027-03-01T11:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, rfcs(fromSpans(merge(toSpans(tt.in)))))
		})
	}
}

func TestSubtract(t *testing.T) {
	day := []Interval{
		ival("2027-03-01T09:00:00Z", "2027-03-01T12:00:00Z"),
		ival("2027-03-01T14:00:00Z", "2027-03-01T18:00:00Z"),
	}
	tests := []struct {
		name    string
		blocked []Interval
		want    []string
	}{
		{"nothing blocked", nil,
			[]string{"2027-03-01T09:00:00Z/2027-03-01T12:00:00Z", "2027-03-01T14:00:00Z/2027-03-01T18:00:00Z"}},
		{"hole in the middle", []Interval{ival("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z")},
			[]string{"2027-03-01T09:00:00Z/2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z/2027-03-01T12:00:00Z",
				"2027-03-01T14:00:00Z/2027-03-01T18:00:00Z"}},
		{"one block across two spans", []Interval{ival("2027-03-01T11:00:00Z", "2027-03-01T15:00:00Z")},
			[]string{"2027-03-01T09:00:00Z/2027-03-01T11:00:00Z", "2027-03-01T15:00:00Z/2027-03-01T18:00:00Z"}},
		{"edges", []Interval{ival("2027-03-01T08:00:00Z", "2027-03-01T09:30:00Z"), ival("2027-03-01T17:30:00Z", "2027-03-01T19:00:00Z")},
			[]string{"2027-03-01T09:30:00Z/2027-03-01T12:00:00Z", "2027-03-01T14:00:00Z/2027-03-01T17:30:00Z"}},
		{"touching leaves all", []Interval{ival("2027-03-01T12:00:00Z", "2027-03-01T14:00:00Z")},
			[]string{"2027-03-01T09:00:00Z/2027-03-01T12:00:00Z", "2027-03-01T14:00:00Z/2027-03-01T18:00:00Z"}},
		{"everything", []Interval{ival("2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z")}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, rfcs(fromSpans(subtract(toSpans(day), toSpans(tt.blocked), nil))))
		})
	}
}

func toSpans(ivs []Interval) []span {
	out := make([]span, len(ivs))
	for i, iv := range ivs {
		out[i] = toSpan(iv)
	}
	return out
}

func fromSpans(sps []span) []Interval {
	out := make([]Interval, len(sps))
	for i, sp := range sps {
		out[i] = sp.interval()
	}
	return out
}

func TestNanosecondClamp(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want int64
	}{
		{"epoch", time.Unix(0, 0), 0},
		{"with nanoseconds", time.Unix(1, 5), nsPerSecond + 5},
		{"zero time clamps low", time.Time{}, -nsLimit},
		{"far future clamps high", time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), nsLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := toNS(tt.in); got != tt.want {
				t.Errorf("toNS(%v) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestAddNS(t *testing.T) {
	tests := []struct {
		name string
		n    int64
		d    time.Duration
		want int64
	}{
		{"plain", 10, 5, 15},
		{"negative", 10, -15, -5},
		{"saturates high", nsLimit - 1, time.Duration(1<<63 - 1), nsLimit},
		{"saturates low", -nsLimit + 1, time.Duration(-1 << 63), -nsLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := addNS(tt.n, tt.d); got != tt.want {
				t.Errorf("addNS(%d, %d) = %d, want %d", tt.n, tt.d, got, tt.want)
			}
		})
	}
}
