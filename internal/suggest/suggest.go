// Package suggest finds the habits in a student's lessons that scheduling
// suggestions are made of: "your usual Tuesday 17:00 with Giulia". A habit
// is a tutor, a weekday and a local start time (in the tutor's zone, where
// a weekly series keeps its time) and a lesson length that recur in the
// student's recent lessons. Whether the habit's next weeks are free is the
// slot engine's question (internal/schedule), asked by the caller.
//
// The package is pure: values in, values out; the time comes as a
// parameter.
package suggest

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// Defaults of the student suggestions: a habit is at least MinRepeats
// lessons in the Lookback before now, and is offered for the next Weeks.
const (
	MinRepeats = 3
	Lookback   = 12 * 7 * 24 * time.Hour
	Weeks      = 6
)

// Lesson is one of the student's lessons that counts (not cancelled).
type Lesson struct {
	Tutor      string
	Start, End time.Time
}

// Habit is a recurring lesson: Count lessons with Tutor on Weekday at
// Hour:Minute local time (Location, the tutor's zone) lasting Length, the
// latest at Last.
type Habit struct {
	Tutor        string
	Location     *time.Location
	Weekday      time.Weekday
	Hour, Minute int
	Length       time.Duration
	Count        int
	Last         time.Time
}

// Habits groups the lessons that started in [now-Lookback, now) by tutor,
// local weekday, local start time and length, and returns the groups of at
// least MinRepeats lessons, most lessons first (then the latest, then the
// tutor and time, so the order is fixed). zone gives each tutor's zone.
func Habits(lessons []Lesson, zone func(tutor string) *time.Location, now time.Time) []Habit {
	type key struct {
		tutor        string
		wd           time.Weekday
		hour, minute int
		length       time.Duration
	}
	groups := map[key]*Habit{}
	for _, l := range lessons {
		if !l.Start.Before(now) || l.Start.Before(now.Add(-Lookback)) {
			continue
		}
		loc := zone(l.Tutor)
		s := l.Start.In(loc)
		k := key{l.Tutor, s.Weekday(), s.Hour(), s.Minute(), l.End.Sub(l.Start)}
		h, ok := groups[k]
		if !ok {
			h = &Habit{Tutor: l.Tutor, Location: loc, Weekday: k.wd, Hour: k.hour, Minute: k.minute, Length: k.length}
			groups[k] = h
		}
		h.Count++
		if l.Start.After(h.Last) {
			h.Last = l.Start
		}
	}
	var out []Habit
	for _, h := range groups {
		if h.Count >= MinRepeats {
			out = append(out, *h)
		}
	}
	slices.SortFunc(out, func(a, b Habit) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), b.Last.Compare(a.Last), cmp.Compare(a.Tutor, b.Tutor),
			cmp.Compare(a.Weekday, b.Weekday), cmp.Compare(a.Hour*60+a.Minute, b.Hour*60+b.Minute))
	})
	return out
}

// Next returns the habit's next n lessons after now: its weekday and local
// time on each of the next n such dates (the local time kept across a
// change of the clocks, as a series keeps it).
func (h Habit) Next(now time.Time, n int) []time.Time {
	local := now.In(h.Location)
	d := time.Date(local.Year(), local.Month(), local.Day(), h.Hour, h.Minute, 0, 0, h.Location)
	for d.Weekday() != h.Weekday || !d.After(now) {
		d = time.Date(d.Year(), d.Month(), d.Day()+1, h.Hour, h.Minute, 0, 0, h.Location)
	}
	out := make([]time.Time, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, time.Date(d.Year(), d.Month(), d.Day()+7*i, h.Hour, h.Minute, 0, 0, h.Location))
	}
	return out
}

var (
	enWeekdays = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	itWeekdays = [7]string{"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"}
)

// Text says a habit is free for the next weeks, in lang (it or en):
// "Your usual Tuesday 17:00 with Giulia Rossi is free for the next 6
// weeks." The time is the tutor's local time, as a series keeps it.
func (h Habit) Text(lang, tutorName string, weeks int) string {
	clock := time.Date(2000, 1, 1, h.Hour, h.Minute, 0, 0, time.UTC).Format("15:04")
	if lang == "it" {
		return "Il tuo solito " + itWeekdays[h.Weekday] + " alle " + clock + " con " + tutorName +
			" è libero per le prossime " + strconv.Itoa(weeks) + " settimane."
	}
	return "Your usual " + enWeekdays[h.Weekday] + " " + clock + " with " + tutorName + " is free for the next " +
		strconv.Itoa(weeks) + " weeks."
}
