package match

import (
	"errors"
	"slices"
	"testing"
	"time"

	"tutorbase/internal/schedule"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func clock(t testing.TB, s string) schedule.Clock {
	t.Helper()
	c, err := schedule.ParseClock(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// weekdays is a calendar free start–end on the given ISO weekdays in loc,
// teaching 60-minute lessons on a 30-minute step.
func weekdays(t testing.TB, loc *time.Location, start, end string, days ...int) schedule.Calendar {
	cal := schedule.Calendar{Location: loc, Step: 30 * time.Minute, Lengths: []time.Duration{time.Hour}}
	for _, d := range days {
		cal.Windows = append(cal.Windows, schedule.Window{Weekday: d, Start: clock(t, start), End: clock(t, end), Location: loc})
	}
	return cal
}

func TestFirstFreeIsTheFirstSlot(t *testing.T) {
	rome, kolkata := mustLoc(t, "Europe/Rome"), mustLoc(t, "Asia/Kolkata")
	monday := time.Date(2027, 3, 22, 0, 0, 0, 0, rome) // the week of the spring DST change
	now := monday.AddDate(0, 0, -1)
	busyTue := weekdays(t, rome, "10:00", "11:00", 2)
	busyTue.Busy = []schedule.Interval{{Start: time.Date(2027, 3, 23, 10, 0, 0, 0, rome), End: time.Date(2027, 3, 23, 11, 0, 0, 0, rome)}}
	offTue := weekdays(t, rome, "10:00", "11:00", 2, 4)
	offTue.TimeOff = []schedule.Interval{{Start: monday, End: monday.AddDate(0, 0, 3)}}
	noticeCal := weekdays(t, rome, "09:00", "18:00", 1, 2, 3, 4, 5)
	noticeCal.MinNotice = 30 * time.Hour
	tests := []struct {
		name     string
		cal      schedule.Calendar
		from, to time.Time
		length   time.Duration
		now      time.Time
	}{
		{"free every weekday morning", weekdays(t, rome, "09:00", "12:00", 1, 2, 3, 4, 5), monday, monday.AddDate(0, 0, 14), time.Hour, now},
		{"free only on Sunday, twelve days on", weekdays(t, rome, "09:00", "12:00", 7), monday.Add(13 * time.Hour), monday.AddDate(0, 0, 14), time.Hour, now},
		{"the only lesson straddles a chunk edge", weekdays(t, rome, "23:30", "00:30", 1), monday.Add(30 * time.Minute), monday.AddDate(0, 0, 2), time.Hour, now},
		{"a window across midnight", weekdays(t, kolkata, "22:00", "02:00", 3), monday, monday.AddDate(0, 0, 7), time.Hour, now},
		{"the only slot is booked", busyTue, monday, monday.AddDate(0, 0, 7), time.Hour, now},
		{"time off takes the first days", offTue, monday, monday.AddDate(0, 0, 7), time.Hour, now},
		{"notice pushes the first slot to the next day", noticeCal, monday, monday.AddDate(0, 0, 3), time.Hour, monday.Add(8 * time.Hour)},
		{"a length the tutor does not teach", weekdays(t, rome, "09:00", "12:00", 1), monday, monday.AddDate(0, 0, 7), 45 * time.Minute, now},
		{"a window shorter than a lesson", weekdays(t, rome, "09:00", "12:00", 1), monday.Add(9 * time.Hour), monday.Add(9*time.Hour + 30*time.Minute), time.Hour, now},
		{"no windows at all", schedule.Calendar{Location: rome}, monday, monday.AddDate(0, 0, 14), time.Hour, now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// from every 7 minutes over two days, so chunk edges fall everywhere
			for shift := time.Duration(0); shift < 48*time.Hour; shift += 7 * time.Minute {
				from := tt.from.Add(shift)
				if !from.Before(tt.to) {
					break
				}
				all := tt.cal.Slots(from, tt.to, tt.length, tt.now)
				got, ok := FirstFree(tt.cal, from, tt.to, tt.length, tt.now)
				if ok != (len(all) > 0) {
					t.Fatalf("from %v: FirstFree found = %v, Slots has %d", from, ok, len(all))
				}
				if ok && got != all[0] {
					t.Fatalf("from %v: FirstFree = %v, want %v", from, got, all[0])
				}
			}
		})
	}
}

func TestFreeIn(t *testing.T) {
	rome := mustLoc(t, "Europe/Rome")
	monday := time.Date(2027, 3, 1, 0, 0, 0, 0, rome)
	now := monday.AddDate(0, 0, -1)
	busy := weekdays(t, rome, "09:00", "13:00", 1)
	busy.Busy = []schedule.Interval{{Start: monday.Add(10 * time.Hour), End: monday.Add(11 * time.Hour)}}
	tests := []struct {
		name        string
		cal         schedule.Calendar
		from, to    time.Time
		wantSlots   int
		wantMinutes int
		wantFirst   time.Time
	}{
		{"overlapping lessons count once", weekdays(t, rome, "10:00", "12:00", 1), monday, monday.AddDate(0, 0, 1), 3, 120, monday.Add(10 * time.Hour)},
		{"a booking splits the morning", busy, monday, monday.AddDate(0, 0, 1), 4, 180, monday.Add(9 * time.Hour)},
		{"two weeks of one morning", weekdays(t, rome, "10:00", "12:00", 1), monday, monday.AddDate(0, 0, 14), 6, 240, monday.Add(10 * time.Hour)},
		{"the window cuts the morning", weekdays(t, rome, "10:00", "12:00", 1), monday.Add(10*time.Hour + 30*time.Minute), monday.AddDate(0, 0, 1), 2, 90, monday.Add(10*time.Hour + 30*time.Minute)},
		{"nothing free", weekdays(t, rome, "10:00", "12:00", 2), monday, monday.AddDate(0, 0, 1), 0, 0, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FreeIn(tt.cal, tt.from, tt.to, time.Hour, now)
			if got.Slots != tt.wantSlots || got.Minutes != tt.wantMinutes || !got.First.Start.Equal(tt.wantFirst) {
				t.Errorf("FreeIn = {%d slots, %d min, first %v}, want {%d, %d, %v}",
					got.Slots, got.Minutes, got.First.Start, tt.wantSlots, tt.wantMinutes, tt.wantFirst)
			}
		})
	}
}

// loadCall is one call FindFree made to its booking loader.
type loadCall struct {
	ids      []string
	from, to time.Time
}

func TestFindFree(t *testing.T) {
	rome := mustLoc(t, "Europe/Rome")
	monday := time.Date(2027, 3, 1, 0, 0, 0, 0, rome)
	now := monday.AddDate(0, 0, -1)
	at := func(day, hour int) time.Time { return monday.AddDate(0, 0, day).Add(time.Duration(hour) * time.Hour) }
	lesson := func(day, hour int) schedule.Interval {
		return schedule.Interval{Start: at(day, hour), End: at(day, hour+1)}
	}
	// every tutor teaches 10:00-11:00 (one lesson) on their days
	days := map[string][]int{"mon": {1}, "tue": {2}, "fri": {5}, "never": nil, "daily": {1, 2, 3, 4, 5, 6, 7}}
	booked := map[string][]schedule.Interval{"mon": {lesson(0, 10)}, "daily": {lesson(0, 10), lesson(1, 10)}, "fri": {lesson(11, 10)}}
	ids := []string{"daily", "fri", "mon", "never", "tue"}
	tests := []struct {
		name      string
		from, to  time.Time
		wantFree  []string
		wantCalls []loadCall
	}{
		{"one day: one round", monday, at(1, 0), nil,
			[]loadCall{{ids, monday, at(1, 0)}}},
		{"a week: three rounds, each for the tutors not yet free", monday, at(7, 0), []string{"daily", "fri", "tue"},
			[]loadCall{{ids, monday, at(1, 0)}, {ids, at(1, 0), at(3, 0)}, {[]string{"fri", "mon", "never"}, at(3, 0), at(7, 0)}}},
		{"two weeks: a booking in the second week does not hide a free first week", monday, at(14, 0), []string{"daily", "fri", "mon", "tue"},
			[]loadCall{{ids, monday, at(1, 0)}, {ids, at(1, 0), at(3, 0)}, {[]string{"fri", "mon", "never"}, at(3, 0), at(14, 0)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cals := map[string]*schedule.Calendar{}
			for id, ds := range days {
				cal := weekdays(t, rome, "10:00", "11:00", ds...)
				cals[id] = &cal
			}
			var calls []loadCall
			load := func(ids []string, from, to time.Time) error {
				calls = append(calls, loadCall{slices.Clone(ids), from, to})
				for _, id := range ids {
					for _, b := range booked[id] {
						if b.Overlaps(schedule.Interval{Start: from, End: to}) {
							cals[id].Busy = append(cals[id].Busy, b)
						}
					}
				}
				return nil
			}
			free, reach, err := FindFree(cals, ids, tt.from, tt.to, time.Hour, now, load)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(free, tt.wantFree) {
				t.Errorf("free = %v, want %v", free, tt.wantFree)
			}
			if !slices.EqualFunc(calls, tt.wantCalls, func(a, b loadCall) bool {
				return slices.Equal(a.ids, b.ids) && a.from.Equal(b.from) && a.to.Equal(b.to)
			}) {
				t.Errorf("loads = %v, want %v", calls, tt.wantCalls)
			}
			for _, id := range free { // the full answer, with every booking, agrees
				full := weekdays(t, rome, "10:00", "11:00", days[id]...)
				full.Busy = booked[id]
				if first, ok := FirstFree(full, tt.from, tt.to, time.Hour, now); !ok || first.Start.After(reach[id]) {
					t.Errorf("%s: free with all bookings = %v at %v, reach %v", id, ok, first.Start, reach[id])
				}
			}
		})
	}
}

func TestFindFreeReportsLoadErrors(t *testing.T) {
	cal := schedule.Calendar{}
	_, _, err := FindFree(map[string]*schedule.Calendar{"a": &cal}, []string{"a"}, time.Unix(0, 0), time.Unix(3600, 0), time.Hour, time.Unix(0, 0),
		func([]string, time.Time, time.Time) error { return errors.New("database is locked") })
	if err == nil || err.Error() != "database is locked" {
		t.Errorf("err = %v, want the loader's", err)
	}
}
