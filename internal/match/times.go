package match

import (
	"slices"
	"strings"
	"time"

	"tutorbase/internal/schedule"
)

// DayPart is a part of a day a student may prefer, in local hours
// [From, To).
type DayPart struct {
	Name     string
	From, To int
}

// DayParts are the parts a student picks from: mornings, afternoons and
// evenings, as a school day divides.
var DayParts = []DayPart{{"morning", 8, 12}, {"afternoon", 12, 17}, {"evening", 17, 21}}

// PreferredDays is how many days ahead, from tomorrow, preferred times
// are looked for: two weeks, the longest window discovery measures.
const PreferredDays = 14

var weekdayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// Preferred is one weekly time a student prefers: a weekday and a part of
// the day ("tue-evening").
type Preferred struct {
	Weekday time.Weekday
	Part    DayPart
}

// ParseTimes reads a comma-separated list of "<day>-<part>" (mon..sun,
// morning, afternoon or evening): "tue-evening,sat-morning". Repeats count
// once; the answer is sorted by weekday (Monday first), then part. ok is
// false when a piece is not of that form or there are none.
func ParseTimes(s string) (prefs []Preferred, ok bool) {
	for _, piece := range strings.Split(s, ",") {
		day, part, _ := strings.Cut(strings.TrimSpace(piece), "-")
		d := slices.Index(weekdayNames, day)
		p := slices.IndexFunc(DayParts, func(dp DayPart) bool { return dp.Name == part })
		if d < 0 || p < 0 {
			return nil, false
		}
		pr := Preferred{Weekday: time.Weekday(d), Part: DayParts[p]}
		if !slices.Contains(prefs, pr) {
			prefs = append(prefs, pr)
		}
	}
	slices.SortFunc(prefs, func(a, b Preferred) int {
		if c := mondayFirst(a.Weekday) - mondayFirst(b.Weekday); c != 0 {
			return c
		}
		return a.Part.From - b.Part.From
	})
	return prefs, len(prefs) > 0
}

func mondayFirst(d time.Weekday) int { return (int(d) + 6) % 7 }

// Windows returns the instants of prefs on the days local dates after
// now's (in loc), in order: each preferred part of each matching day.
// Local hours are read on each date, so a window keeps its hours across a
// change of the clocks.
func Windows(prefs []Preferred, now time.Time, loc *time.Location, days int) []schedule.Interval {
	local := now.In(loc)
	var out []schedule.Interval
	for i := 1; i <= days; i++ {
		y, m, d := local.AddDate(0, 0, i).Date()
		wd := time.Date(y, m, d, 12, 0, 0, 0, loc).Weekday()
		for _, p := range prefs {
			if p.Weekday == wd {
				out = append(out, schedule.Interval{
					Start: time.Date(y, m, d, p.Part.From, 0, 0, 0, loc),
					End:   time.Date(y, m, d, p.Part.To, 0, 0, 0, loc),
				})
			}
		}
	}
	return out
}

// FreeInWindows is FreeIn over several windows: the free lessons and
// minutes of each added up, First the earliest.
func FreeInWindows(cal schedule.Calendar, windows []schedule.Interval, length time.Duration, now time.Time) Free {
	var total Free
	for _, w := range windows {
		f := FreeIn(cal, w.Start, w.End, length, now)
		if f.Slots > 0 && (total.Slots == 0 || f.First.Start.Before(total.First.Start)) {
			total.First = f.First
		}
		total.Slots += f.Slots
		total.Minutes += f.Minutes
	}
	return total
}

// WindowMinutes is the length of windows in minutes.
func WindowMinutes(windows []schedule.Interval) int {
	var d time.Duration
	for _, w := range windows {
		d += w.End.Sub(w.Start)
	}
	return int(d / time.Minute)
}
