package match

import (
	"time"

	"tutorbase/internal/schedule"
)

// chunk is how much of a window FirstFree asks the slot engine for at a
// time: a day keeps each call small, and most tutors with any free time
// have some within the first day or two.
const chunk = 24 * time.Hour

// FirstFree returns the earliest free lesson of length that cal offers in
// [from, to] (as cal.Slots would list it first), and whether there is one.
// It asks the slot engine one day at a time and stops at the first day
// with a free lesson, so "is this tutor free at all" costs a day's work,
// not the window's.
//
// Chunk i covers starts in [from+i·day, from+(i+1)·day]: it ends a lesson
// length after that (capped at to), so a lesson that straddles two chunks
// is still found, in the chunk where it starts.
func FirstFree(cal schedule.Calendar, from, to time.Time, length time.Duration, now time.Time) (schedule.Interval, bool) {
	if length <= 0 {
		return schedule.Interval{}, false
	}
	for start := from; !to.Before(start.Add(length)); start = start.Add(chunk) {
		end := start.Add(chunk + length)
		if end.After(to) {
			end = to
		}
		if slots := cal.Slots(start, end, length, now); len(slots) > 0 {
			return slots[0], true
		}
	}
	return schedule.Interval{}, false
}

// Free summarises a tutor's free time in a window.
type Free struct {
	Slots   int               // free lessons of the asked length (as Slots lists them)
	Minutes int               // minutes of the window covered by at least one free lesson
	First   schedule.Interval // the earliest free lesson; zero when Slots is 0
}

// FreeIn counts the free lessons of length that cal offers in [from, to]
// and how many minutes of the window they cover together (overlapping
// lessons count once: 10:00-11:00 and 10:30-11:30 cover 90 minutes).
func FreeIn(cal schedule.Calendar, from, to time.Time, length time.Duration, now time.Time) Free {
	slots := cal.Slots(from, to, length, now)
	if len(slots) == 0 {
		return Free{}
	}
	f := Free{Slots: len(slots), First: slots[0]}
	var covered time.Duration
	end := slots[0].Start // slots are sorted by start and all have one length
	for _, s := range slots {
		if s.Start.After(end) {
			end = s.Start
		}
		if s.End.After(end) {
			covered += s.End.Sub(end)
			end = s.End
		}
	}
	f.Minutes = int(covered / time.Minute)
	return f
}

// FirstRound and SecondRound are how far into a window FindFree reads
// bookings in its first two rounds; the third reads the rest. Most tutors
// who are free at all are free within a day or three, so most bookings of
// a long window are never read.
const (
	FirstRound  = 24 * time.Hour
	SecondRound = 72 * time.Hour
)

// LoadBusy adds to the calendars of ids their bookings that can block a
// lesson in [from, to].
type LoadBusy func(ids []string, from, to time.Time) error

// FindFree returns, in the order of ids, the tutors whose calendars offer a
// free lesson of length in [from, to], and for each how far their bookings
// have been loaded (reach; before to when they were found free early). The
// calendars must hold everything but bookings; load adds those, in rounds
// (see FirstRound), each only for the tutors not yet found free.
func FindFree(cals map[string]*schedule.Calendar, ids []string, from, to time.Time, length time.Duration, now time.Time, load LoadBusy) ([]string, map[string]time.Time, error) {
	rounds := [...]time.Duration{FirstRound, SecondRound}
	reach := map[string]time.Time{}
	pending, loaded := ids, from
	for round := 0; len(pending) > 0; round++ {
		end := to
		if round < len(rounds) && from.Add(rounds[round]).Before(to) {
			end = from.Add(rounds[round])
		}
		if err := load(pending, loaded, end); err != nil {
			return nil, nil, err
		}
		var next []string
		for _, id := range pending {
			if _, ok := FirstFree(*cals[id], from, end, length, now); ok {
				reach[id] = end
			} else if end.Before(to) {
				next = append(next, id)
			}
		}
		pending, loaded = next, end
	}
	free := make([]string, 0, len(reach))
	for _, id := range ids {
		if _, ok := reach[id]; ok {
			free = append(free, id)
		}
	}
	return free, reach, nil
}
