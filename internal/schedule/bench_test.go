package schedule

import (
	"testing"
	"time"
)

// benchCalendar is a busy tutor's week in Rome: ten windows (weekday
// mornings 08:00-13:00 and afternoons 14:00-21:00), forty bookings (eight a
// day, 30 or 60 minutes), a 10-minute buffer, and a week that contains the
// spring DST change.
func benchCalendar(b testing.TB) (Calendar, time.Time, time.Time, time.Time) {
	rome := loc(b, "Europe/Rome")
	cal := Calendar{
		Location:   rome,
		Buffer:     10 * time.Minute,
		MinNotice:  2 * time.Hour,
		MaxAdvance: 90 * 24 * time.Hour,
		Lengths:    lengths,
	}
	for wd := 1; wd <= 5; wd++ {
		cal.Windows = append(cal.Windows,
			Window{Weekday: wd, Start: hm("08:00"), End: hm("13:00"), Location: rome},
			Window{Weekday: wd, Start: hm("14:00"), End: hm("21:00"), Location: rome})
	}
	monday := time.Date(2027, 3, 22, 0, 0, 0, 0, rome)
	for d := range 5 {
		for i, m := range []int{480, 540, 660, 750, 840, 900, 1050, 1140} { // minutes after midnight
			s := time.Date(2027, 3, 22+d, 0, m, 0, 0, rome)
			length := 30 * time.Minute
			if i == 7 {
				length = time.Hour
			}
			cal.Busy = append(cal.Busy, Interval{s.UTC(), s.Add(length).UTC()})
		}
	}
	now := monday.Add(-24 * time.Hour)
	return cal, monday, monday.AddDate(0, 0, 7), now
}

func BenchmarkSlots(b *testing.B) {
	cal, from, to, now := benchCalendar(b)
	for _, bc := range []struct {
		name   string
		to     time.Time
		length time.Duration
	}{
		{"7d/30m", to, 30 * time.Minute},
		{"7d/60m", to, time.Hour},
		{"62d/60m", from.AddDate(0, 0, 62), time.Hour}, // the route's widest range
	} {
		to, length := bc.to, bc.length
		b.Run(bc.name, func(b *testing.B) {
			n := len(cal.Slots(from, to, length, now))
			if n == 0 {
				b.Fatal("no slots: the benchmark measures nothing")
			}
			b.ReportAllocs()
			for b.Loop() {
				cal.Slots(from, to, length, now)
			}
			b.ReportMetric(float64(n), "slots/op")
		})
	}
}

func BenchmarkCheck(b *testing.B) {
	cal, _, _, now := benchCalendar(b)
	req := Interval{at("2027-03-24T09:00:00Z"), at("2027-03-24T09:30:00Z")} // Wednesday 10:00 Rome
	student := []Interval{ival("2027-03-23T15:00:00Z", "2027-03-23T16:00:00Z")}
	if err := cal.Check(req, student, now); err != nil {
		b.Fatalf("Check = %v, want a bookable request", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = cal.Check(req, student, now)
	}
}
