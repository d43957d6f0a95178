package suggest

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// StudentLesson is a lesson of one of a tutor's past students, with any
// tutor: when that student likes to have lessons.
type StudentLesson struct {
	Student string
	Start   time.Time
}

// Gap is a free lesson of a tutor at a weekly time their past students
// like: Students of them had lessons on that weekday at that local time.
type Gap struct {
	Start, End time.Time
	Students   int
}

// MaxGaps is how many gaps a tutor is shown.
const MaxGaps = 5

// Gaps scores the tutor's free lessons (from the slot engine) by how many
// distinct past students had a lesson on the same weekday at the same
// local time (in loc, the tutor's zone) in the lessons given, keeps those
// liked by at least one, and returns the best MaxGaps: most students
// first, then earliest.
func Gaps(free [][2]time.Time, lessons []StudentLesson, loc *time.Location) []Gap {
	type key struct {
		wd     time.Weekday
		minute int
	}
	keyOf := func(t time.Time) key {
		l := t.In(loc)
		return key{l.Weekday(), l.Hour()*60 + l.Minute()}
	}
	liked := map[key]map[string]bool{}
	for _, l := range lessons {
		k := keyOf(l.Start)
		if liked[k] == nil {
			liked[k] = map[string]bool{}
		}
		liked[k][l.Student] = true
	}
	var out []Gap
	for _, f := range free {
		if n := len(liked[keyOf(f[0])]); n > 0 {
			out = append(out, Gap{Start: f[0], End: f[1], Students: n})
		}
	}
	slices.SortStableFunc(out, func(a, b Gap) int { return cmp.Or(cmp.Compare(b.Students, a.Students), a.Start.Compare(b.Start)) })
	return out[:min(MaxGaps, len(out))]
}

// Text says why a gap is suggested, in lang: "Tuesday 17:00 is free: 3 of
// your students have lessons then."
func (g Gap) Text(lang string, loc *time.Location) string {
	l := g.Start.In(loc)
	clock := l.Format("15:04")
	n := strconv.Itoa(g.Students)
	if lang == "it" {
		day := itWeekdays[l.Weekday()]
		if g.Students == 1 {
			return day + " alle " + clock + " sei libero: un tuo studente fa lezione a quell'ora."
		}
		return day + " alle " + clock + " sei libero: " + n + " tuoi studenti fanno lezione a quell'ora."
	}
	if g.Students == 1 {
		return enWeekdays[l.Weekday()] + " " + clock + " is free: 1 of your students has lessons then."
	}
	return enWeekdays[l.Weekday()] + " " + clock + " is free: " + n + " of your students have lessons then."
}
