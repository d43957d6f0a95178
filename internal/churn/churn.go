// Package churn scores how likely an active student is to stop taking
// lessons, from their own history only, and says why.
//
// The score (0–100) adds the points of five signals, each capped, and
// caps the sum at 100:
//
//   - gap: days since the last lesson held against the student's usual
//     rhythm (the median days between their held lessons, 7 when fewer
//     than two): nothing up to 1.5 times the rhythm, then linearly up to
//     Weights.Gap at 4 times it. A lesson booked ahead gives no gap
//     points: the student is coming back.
//   - cancellations: the share of the lessons of the last 90 days the
//     student cancelled or missed, times Weights.Cancellations, when
//     there are at least two.
//   - credits: bought packages and no credit left, nothing booked ahead:
//     Weights.Credits (the moment a student decides to buy again or not).
//   - ratings: the last review the student wrote against the mean of
//     their earlier ones: Weights.Ratings/2 per star lost, from one star;
//     a last rating of 2 or less alone gives all of it.
//   - unread: messages to the student unread for 3 days or more: half of
//     Weights.Unread, all of it from 7 days.
//
// The package is pure: values in, values out; the texts are in English or
// Italian.
package churn

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Lesson is one of the student's lessons (cancelled ones too).
type Lesson struct {
	Start time.Time
	// Held: completed, missed by the tutor's account, or confirmed and past.
	// Cancelled by the student, or missed by them (a no-show), is Dropped.
	Held, Dropped bool
}

// Review is a rating the student gave, 1–5.
type Review struct {
	At     time.Time
	Rating float64
}

// History is what the score reads of one student at Now.
type History struct {
	Now         time.Time
	Lessons     []Lesson // any order
	BookedAhead bool     // a pending or confirmed lesson after Now
	Bought      int      // credits ever bought (paid packages)
	CreditsLeft int      // credits left in paid, unexpired packages
	Reviews     []Review // any order
	Unread      int      // messages to the student they have not read
	OldestAt    time.Time
}

// Weights are the most points each signal gives.
type Weights struct {
	Gap, Cancellations, Credits, Ratings, Unread float64
}

// DefaultWeights: drifting away from one's rhythm matters most.
func DefaultWeights() Weights {
	return Weights{Gap: 60, Cancellations: 20, Credits: 10, Ratings: 15, Unread: 10}
}

// Threshold is the score from which a student is at risk.
const Threshold = 50

// The look-backs and defaults of the signals.
const (
	DefaultRhythm   = 7 * 24 * time.Hour
	CancelWindow    = 90 * 24 * time.Hour
	RhythmLessons   = 10 // the last held lessons whose gaps make the rhythm
	UnreadSome      = 3 * 24 * time.Hour
	UnreadLong      = 7 * 24 * time.Hour
	gapFree, gapMax = 1.5, 4.0
)

// Reason codes.
const (
	ReasonGap           = "gap"
	ReasonCancellations = "cancellations"
	ReasonCredits       = "credits"
	ReasonRatings       = "ratings"
	ReasonUnread        = "unread"
)

// Reason is one signal that added points, with the numbers behind it.
type Reason struct {
	Code   string             `json:"code"`
	Points int                `json:"points"`
	Values map[string]float64 `json:"values"`
}

// Result is a student's score and its reasons, most points first.
type Result struct {
	Score   int      `json:"score"`
	Reasons []Reason `json:"reasons"`
}

// Active reports whether h is of a student the score is for: one with a
// lesson held in the last 180 days, or one booked ahead.
func Active(h History) bool {
	if h.BookedAhead {
		return true
	}
	return slices.ContainsFunc(h.Lessons, func(l Lesson) bool {
		return l.Held && !l.Start.After(h.Now) && h.Now.Sub(l.Start) <= 180*24*time.Hour
	})
}

// Score scores h with w.
func Score(h History, w Weights) Result {
	var rs []Reason
	for _, r := range []*Reason{gap(h, w), cancellations(h, w), credits(h, w), ratings(h, w), unread(h, w)} {
		if r != nil && r.Points > 0 {
			rs = append(rs, *r)
		}
	}
	slices.SortStableFunc(rs, func(a, b Reason) int { return cmp.Compare(b.Points, a.Points) })
	total := 0
	for _, r := range rs {
		total += r.Points
	}
	return Result{Score: min(total, 100), Reasons: rs}
}

func points(v float64) int { return int(math.Round(max(v, 0))) }

func days(d time.Duration) float64 { return math.Round(d.Hours()/24*10) / 10 }

// held is the start times of the held lessons up to now, in order.
func held(h History) []time.Time {
	var ts []time.Time
	for _, l := range h.Lessons {
		if l.Held && !l.Start.After(h.Now) {
			ts = append(ts, l.Start)
		}
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	return ts
}

// Rhythm is the median time between the last RhythmLessons held lessons,
// DefaultRhythm with fewer than two, at least a day.
func Rhythm(h History) time.Duration {
	ts := held(h)
	ts = ts[max(0, len(ts)-RhythmLessons):]
	if len(ts) < 2 {
		return DefaultRhythm
	}
	gaps := make([]time.Duration, len(ts)-1)
	for i := range gaps {
		gaps[i] = ts[i+1].Sub(ts[i])
	}
	slices.Sort(gaps)
	m := gaps[len(gaps)/2]
	if len(gaps)%2 == 0 {
		m = (gaps[len(gaps)/2-1] + gaps[len(gaps)/2]) / 2
	}
	return max(m, 24*time.Hour)
}

func gap(h History, w Weights) *Reason {
	ts := held(h)
	if h.BookedAhead || len(ts) == 0 {
		return nil
	}
	since, rhythm := h.Now.Sub(ts[len(ts)-1]), Rhythm(h)
	ratio := float64(since) / float64(rhythm)
	v := w.Gap * min(1, (ratio-gapFree)/(gapMax-gapFree))
	return &Reason{Code: ReasonGap, Points: points(v), Values: map[string]float64{"days": days(since), "usual_days": days(rhythm)}}
}

func cancellations(h History, w Weights) *Reason {
	dropped, all := 0, 0
	for _, l := range h.Lessons {
		if l.Start.After(h.Now) || h.Now.Sub(l.Start) > CancelWindow || !(l.Held || l.Dropped) {
			continue
		}
		all++
		if l.Dropped {
			dropped++
		}
	}
	if dropped < 2 {
		return nil
	}
	return &Reason{Code: ReasonCancellations, Points: points(w.Cancellations * float64(dropped) / float64(all)),
		Values: map[string]float64{"dropped": float64(dropped), "lessons": float64(all), "days": days(CancelWindow)}}
}

func credits(h History, w Weights) *Reason {
	if h.Bought <= 0 || h.CreditsLeft > 0 || h.BookedAhead {
		return nil
	}
	return &Reason{Code: ReasonCredits, Points: points(w.Credits), Values: map[string]float64{"left": 0, "bought": float64(h.Bought)}}
}

func ratings(h History, w Weights) *Reason {
	if len(h.Reviews) == 0 {
		return nil
	}
	rs := slices.Clone(h.Reviews)
	slices.SortStableFunc(rs, func(a, b Review) int { return a.At.Compare(b.At) })
	last := rs[len(rs)-1].Rating
	before := last
	if len(rs) > 1 {
		sum := 0.0
		for _, r := range rs[:len(rs)-1] {
			sum += r.Rating
		}
		before = sum / float64(len(rs)-1)
	}
	drop := before - last
	v := 0.0
	switch {
	case last <= 2:
		v = w.Ratings
	case drop >= 1:
		v = min(w.Ratings, w.Ratings/2*drop)
	}
	return &Reason{Code: ReasonRatings, Points: points(v), Values: map[string]float64{"before": math.Round(before*10) / 10, "last": last}}
}

func unread(h History, w Weights) *Reason {
	if h.Unread <= 0 || h.OldestAt.IsZero() {
		return nil
	}
	age := h.Now.Sub(h.OldestAt)
	v := 0.0
	switch {
	case age >= UnreadLong:
		v = w.Unread
	case age >= UnreadSome:
		v = w.Unread / 2
	}
	return &Reason{Code: ReasonUnread, Points: points(v), Values: map[string]float64{"messages": float64(h.Unread), "days": days(age)}}
}
