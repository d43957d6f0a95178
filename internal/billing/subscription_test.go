package billing

import (
	"slices"
	"testing"
	"time"
)

func TestRolloverExcess(t *testing.T) {
	cases := []struct {
		name  string
		left  []int
		limit int
		want  []int
	}{
		{"nothing left", []int{0, 0}, 2, []int{0, 0}},
		{"under the limit", []int{1, 1}, 2, []int{0, 0}},
		{"oldest go first", []int{3, 2}, 2, []int{3, 0}},
		{"spans periods", []int{1, 4}, 2, []int{1, 2}},
		{"no roll-over", []int{2, 5}, 0, []int{2, 5}},
		{"a negative limit is none", []int{2}, -1, []int{2}},
		{"no periods", nil, 3, []int{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := RolloverExcess(c.left, c.limit); !slices.Equal(got, c.want) {
				t.Errorf("RolloverExcess(%v, %d) = %v, want %v", c.left, c.limit, got, c.want)
			}
		})
	}
}

func TestNextPeriod(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	cases := []struct {
		name, interval string
		start, want    time.Time
	}{
		{"a month, across the DST change", IntervalMonth, time.Date(2027, 3, 10, 9, 0, 0, 0, rome), time.Date(2027, 4, 10, 9, 0, 0, 0, rome)},
		{"a week", IntervalWeek, time.Date(2027, 10, 28, 9, 0, 0, 0, rome), time.Date(2027, 11, 4, 9, 0, 0, 0, rome)},
		{"the 31st runs into the next month", IntervalMonth, time.Date(2027, 1, 31, 9, 0, 0, 0, rome), time.Date(2027, 3, 3, 9, 0, 0, 0, rome)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := NextPeriod(c.start, c.interval, rome); !got.Equal(c.want) {
				t.Errorf("NextPeriod = %v, want %v", got, c.want)
			}
		})
	}
}
