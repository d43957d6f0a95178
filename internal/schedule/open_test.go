package schedule

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestOpen(t *testing.T) {
	rome := loc(t, "Europe/Rome")
	monday := Window{Weekday: 1, Start: hm("09:00"), End: hm("17:00"), Location: rome}
	tests := []struct {
		name     string
		c        Calendar
		from, to string
		want     []Interval
	}{
		{"across the spring-forward Sunday the UTC hours move", Calendar{Windows: []Window{monday}}, "2027-03-22T00:00:00Z", "2027-04-05T00:00:00Z",
			[]Interval{ival("2027-03-22T08:00:00Z", "2027-03-22T16:00:00Z"), ival("2027-03-29T07:00:00Z", "2027-03-29T15:00:00Z")}},
		{"time off cuts a hole", Calendar{Windows: []Window{monday}, TimeOff: []Interval{ival("2027-03-29T10:00:00Z", "2027-03-29T12:00:00Z")}},
			"2027-03-29T00:00:00Z", "2027-03-30T00:00:00Z",
			[]Interval{ival("2027-03-29T07:00:00Z", "2027-03-29T10:00:00Z"), ival("2027-03-29T12:00:00Z", "2027-03-29T15:00:00Z")}},
		{"clipped to the range", Calendar{Windows: []Window{monday}}, "2027-03-29T09:00:00Z", "2027-03-29T11:00:00Z",
			[]Interval{ival("2027-03-29T09:00:00Z", "2027-03-29T11:00:00Z")}},
		{"overlapping windows merge", Calendar{Windows: []Window{monday, {Weekday: 1, Start: hm("16:00"), End: hm("19:00"), Location: rome}}},
			"2027-03-29T00:00:00Z", "2027-03-30T00:00:00Z", []Interval{ival("2027-03-29T07:00:00Z", "2027-03-29T17:00:00Z")}},
		{"empty range", Calendar{Windows: []Window{monday}}, "2027-03-29T11:00:00Z", "2027-03-29T09:00:00Z", nil},
		{"no windows", Calendar{}, "2027-03-29T00:00:00Z", "2027-03-30T00:00:00Z", []Interval{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.c.Open(at(tt.from), at(tt.to))
			assert.Equal(t, len(tt.want), len(got), "%v", got)
			for i := range min(len(got), len(tt.want)) {
				assert.True(t, got[i].Start.Equal(tt.want[i].Start) && got[i].End.Equal(tt.want[i].End), "got %v, want %v", got[i], tt.want[i])
				assert.Equal(t, time.UTC, got[i].Start.Location())
			}
		})
	}
}
