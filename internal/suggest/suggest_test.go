package suggest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestHabits(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	require.NoError(t, err)
	zone := func(string) *time.Location { return rome }
	now := time.Date(2026, 10, 28, 12, 0, 0, 0, rome) // a Wednesday, after the clocks went back on the 25th
	at := func(tutor string, y int, m time.Month, d, hh int, mins int) Lesson {
		s := time.Date(y, m, d, hh, 0, 0, 0, rome)
		return Lesson{tutor, s, s.Add(time.Duration(mins) * time.Minute)}
	}
	lessons := []Lesson{
		// Tuesdays 17:00 with Giulia, across the change of the clocks: one habit
		at("giulia", 2026, 10, 6, 17, 60), at("giulia", 2026, 10, 13, 17, 60), at("giulia", 2026, 10, 20, 17, 60), at("giulia", 2026, 10, 27, 17, 60),
		// a 90-minute Tuesday is another habit (too few)
		at("giulia", 2026, 9, 29, 17, 90),
		// Fridays 10:00 with Marco: three, one of them too old
		at("marco", 2026, 7, 3, 10, 60), at("marco", 2026, 10, 16, 10, 60), at("marco", 2026, 10, 23, 10, 60),
		// Thursdays 9:00 with Ada: three, the latest in the future (does not count)
		at("ada", 2026, 10, 15, 9, 60), at("ada", 2026, 10, 22, 9, 60), at("ada", 2026, 10, 29, 9, 60), at("ada", 2026, 10, 8, 9, 60),
	}
	got := Habits(lessons, zone, now)
	require.Len(t, got, 2)
	require.Equal(t, Habit{Tutor: "giulia", Location: rome, Weekday: time.Tuesday, Hour: 17, Length: time.Hour, Count: 4,
		Last: time.Date(2026, 10, 27, 17, 0, 0, 0, rome)}, got[0])
	require.Equal(t, "ada", got[1].Tutor)
	require.Equal(t, 3, got[1].Count)

	next := got[0].Next(now, Weeks)
	require.Len(t, next, 6)
	require.Equal(t, time.Date(2026, 11, 3, 17, 0, 0, 0, rome), next[0])
	require.Equal(t, time.Date(2026, 12, 8, 17, 0, 0, 0, rome), next[5])
	require.Equal(t, "16:00", next[0].UTC().Format("15:04"), "winter time")
	// on the habit's own day, before its time: today counts
	require.Equal(t, time.Date(2026, 10, 27, 17, 0, 0, 0, rome), got[0].Next(time.Date(2026, 10, 27, 16, 59, 0, 0, rome), 1)[0])
	require.Empty(t, Habits(nil, zone, now))
}
