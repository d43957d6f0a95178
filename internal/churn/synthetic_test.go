package churn

import (
	"math/rand/v2"
	"testing"
	"time"
)

// synthetic is a school of 300 students whose futures are known: who
// stays (weekly, fortnightly, and weekly back from a holiday of two to
// four weeks — the hard case) and who leaves (drifting away with
// cancellations, spent credits, falling ratings or unread messages, some
// with none of these — and some who just left, too recently to tell).
// Same seed, same school.
func synthetic() (hs []History, churns []bool) {
	rng := rand.New(rand.NewPCG(28, 2027))
	between := func(lo, hi int) int { return lo + rng.IntN(hi-lo+1) }
	chance := func(p float64) bool { return rng.Float64() < p }
	for i := range 300 {
		h := History{Now: now}
		var churner bool
		every, last, drops := 7, between(0, 6), 0
		switch k := i % 20; {
		case k < 8: // weekly, staying
			h.BookedAhead = chance(0.6)
			drops = between(0, 1)
		case k < 11: // fortnightly, staying
			every, last = 14, between(0, 13)
			h.BookedAhead = chance(0.5)
		case k < 13: // weekly, back from a holiday next week
			last = between(14, 30)
		case k < 18: // drifting away
			churner, last, drops = true, between(18, 60), between(0, 3)
		default: // just left: nothing shows yet
			churner, last = true, between(7, 12)
		}
		n := between(4, 20)
		for j := range n {
			start := now.Add(-time.Duration(last+every*(n-1-j))*24*time.Hour - time.Duration(between(-20, 20))*time.Hour)
			h.Lessons = append(h.Lessons, Lesson{Start: start, Held: true})
		}
		for range drops {
			h.Lessons = append(h.Lessons, Lesson{Start: now.AddDate(0, 0, -between(last, last+40)), Dropped: true})
		}
		if chance(0.5) {
			h.Bought = 10
			h.CreditsLeft = between(1, 8)
			if churner && chance(0.6) {
				h.CreditsLeft = 0
			}
		}
		for j := range between(0, 4) {
			r := float64(between(4, 5))
			if churner && j > 0 && chance(0.4) {
				r = float64(between(1, 3))
			}
			h.Reviews = append(h.Reviews, Review{At: now.AddDate(0, 0, -last-30+j*7), Rating: r})
		}
		if chance(0.2) || churner && chance(0.3) {
			h.Unread, h.OldestAt = between(1, 3), now.AddDate(0, 0, -between(0, 10))
		}
		hs, churns = append(hs, h), append(churns, churner)
	}
	return hs, churns
}

// TestSyntheticPrecisionRecall: on the synthetic school, the students
// scored at risk (Threshold) are mostly those who leave (precision
// ≥ 0.7), and most who leave are found (recall ≥ 0.6).
func TestSyntheticPrecisionRecall(t *testing.T) {
	hs, churns := synthetic()
	tp, fp, fn := 0, 0, 0
	for i, h := range hs {
		risk := Score(h, DefaultWeights()).Score >= Threshold
		switch {
		case risk && churns[i]:
			tp++
		case risk:
			fp++
		case churns[i]:
			fn++
		}
	}
	precision, recall := float64(tp)/float64(tp+fp), float64(tp)/float64(tp+fn)
	t.Logf("synthetic school: %d students, %d leave; at risk %d: %d true, %d false; missed %d; precision %.3f, recall %.3f",
		len(hs), tp+fn, tp+fp, tp, fp, fn, precision, recall)
	if precision < 0.7 {
		t.Errorf("precision %.3f < 0.7", precision)
	}
	if recall < 0.6 {
		t.Errorf("recall %.3f < 0.6", recall)
	}
}
