package schedule_test

import (
	"fmt"
	"time"

	"tutorbase/internal/schedule"
)

func ExampleCalendar_Slots() {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic(err)
	}
	nine, _ := schedule.ParseClock("09:00")
	one, _ := schedule.ParseClock("13:00")
	cal := schedule.Calendar{
		Location: rome,
		Windows:  []schedule.Window{{Weekday: 1, Start: nine, End: one, Location: rome}},
		// A lesson on Monday 29 March 2027, 10:00-11:00 Rome (CEST, UTC+2).
		Busy:      []schedule.Interval{{Start: time.Date(2027, 3, 29, 8, 0, 0, 0, time.UTC), End: time.Date(2027, 3, 29, 9, 0, 0, 0, time.UTC)}},
		Buffer:    15 * time.Minute,
		MinNotice: 2 * time.Hour,
		Step:      30 * time.Minute,
		Lengths:   []time.Duration{time.Hour},
	}
	from := time.Date(2027, 3, 29, 0, 0, 0, 0, time.UTC)
	to := from.Add(24 * time.Hour)
	now := time.Date(2027, 3, 28, 12, 0, 0, 0, time.UTC)
	for _, s := range cal.Slots(from, to, time.Hour, now) {
		fmt.Println(s.Start.Format(time.RFC3339), "-", s.End.Format(time.RFC3339))
	}
	// The buffer keeps 09:00 and 11:00 Rome free; 11:30 and 12:00 are offered.

	// Output:
	// 2027-03-29T09:30:00Z - 2027-03-29T10:30:00Z
	// 2027-03-29T10:00:00Z - 2027-03-29T11:00:00Z
}
