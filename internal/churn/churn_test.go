package churn

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var now = time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC)

func day(n int) time.Time { return now.AddDate(0, 0, n) }

// weekly is a held lesson every 7 days, the last `last` days ago.
func weekly(n, last int) []Lesson {
	ls := make([]Lesson, n)
	for i := range ls {
		ls[i] = Lesson{Start: day(-last - 7*(n-1-i)), Held: true}
	}
	return ls
}

func TestScore(t *testing.T) {
	w := DefaultWeights()
	tests := []struct {
		name  string
		h     History
		score int
		codes []string
	}{
		{"on rhythm", History{Lessons: weekly(6, 6)}, 0, nil},
		{"at 1.5 times the rhythm, nothing yet", History{Lessons: weekly(6, 10)}, 0, nil},
		{"between 1.5 and 4 times: linear", History{Lessons: weekly(6, 19)}, 29, []string{ReasonGap}}, // (19/7 − 1.5) / 2.5 · 60 = 29.1
		{"four times the rhythm or more: all the gap points", History{Lessons: weekly(6, 40)}, 60, []string{ReasonGap}},
		{"booked ahead: no gap", History{Lessons: weekly(6, 40), BookedAhead: true}, 0, nil},
		{"one lesson: a weekly rhythm is assumed", History{Lessons: weekly(1, 28)}, 60, []string{ReasonGap}},
		{"two of four cancelled", History{Lessons: append(weekly(2, 6), Lesson{Start: day(-2), Dropped: true}, Lesson{Start: day(-9), Dropped: true}), BookedAhead: true},
			10, []string{ReasonCancellations}},
		{"one cancellation is not a pattern", History{Lessons: append(weekly(3, 6), Lesson{Start: day(-2), Dropped: true})}, 0, nil},
		{"old cancellations do not count", History{Lessons: append(weekly(3, 6), Lesson{Start: day(-100), Dropped: true}, Lesson{Start: day(-120), Dropped: true})}, 0, nil},
		{"credits ran out", History{Lessons: weekly(3, 3), Bought: 10}, 10, []string{ReasonCredits}},
		{"credits left", History{Lessons: weekly(3, 3), Bought: 10, CreditsLeft: 2}, 0, nil},
		{"ratings fell by two stars", History{Lessons: weekly(3, 3), Reviews: []Review{{day(-20), 5}, {day(-3), 3}, {day(-13), 5}}}, 15, []string{ReasonRatings}},
		{"ratings fell by one star", History{Lessons: weekly(3, 3), Reviews: []Review{{day(-20), 5}, {day(-3), 4}}}, 8, []string{ReasonRatings}},
		{"a low first rating", History{Lessons: weekly(3, 3), Reviews: []Review{{day(-3), 2}}}, 15, []string{ReasonRatings}},
		{"unread for 4 days", History{Lessons: weekly(3, 3), Unread: 2, OldestAt: day(-4)}, 5, []string{ReasonUnread}},
		{"unread for 8 days", History{Lessons: weekly(3, 3), Unread: 1, OldestAt: day(-8)}, 10, []string{ReasonUnread}},
		{"unread for a day", History{Lessons: weekly(3, 3), Unread: 1, OldestAt: day(-1)}, 0, nil},
		{"everything: capped at 100, most points first", History{Lessons: append(weekly(4, 40), Lesson{Start: day(-30), Dropped: true}, Lesson{Start: day(-35), Dropped: true}),
			Bought: 5, Reviews: []Review{{day(-50), 5}, {day(-41), 1}}, Unread: 3, OldestAt: day(-9)}, 100,
			[]string{ReasonGap, ReasonRatings, ReasonCredits, ReasonUnread, ReasonCancellations}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.h.Now = now
			r := Score(tt.h, w)
			var codes []string
			for _, x := range r.Reasons {
				codes = append(codes, x.Code)
			}
			require.Equal(t, tt.codes, codes)
			require.Equal(t, tt.score, r.Score)
		})
	}
}

func TestReasonValuesAndTexts(t *testing.T) {
	r := Score(History{Now: now, Lessons: weekly(6, 40), Reviews: []Review{{day(-60), 5}, {day(-50), 4}, {day(-41), 2}}}, DefaultWeights())
	require.Equal(t, []Reason{
		{ReasonGap, 60, map[string]float64{"days": 40, "usual_days": 7}},
		{ReasonRatings, 15, map[string]float64{"before": 4.5, "last": 2}},
	}, r.Reasons)
	require.Equal(t, "No lesson for 40 days; usually every 7", Text("en", r.Reasons[0]))
	require.Equal(t, "Ultima valutazione 2, prima in media 4,5", Text("it", r.Reasons[1]))
	require.Equal(t, "Ha disdetto o saltato 3 delle 5 lezioni degli ultimi 90 giorni",
		Text("it", Reason{Code: ReasonCancellations, Values: map[string]float64{"dropped": 3, "lessons": 5, "days": 90}}))
	require.Equal(t, "2 unread messages, the oldest 8.5 days old", Text("en", Reason{Code: ReasonUnread, Values: map[string]float64{"messages": 2, "days": 8.5}}))
	require.Equal(t, "1 unread message, 3 days old", Text("en", Reason{Code: ReasonUnread, Values: map[string]float64{"messages": 1, "days": 3}}))
	require.Equal(t, "No credits left (10 bought) and nothing booked", Text("en", Reason{Code: ReasonCredits, Values: map[string]float64{"bought": 10}}))
}

func TestRhythmAndActive(t *testing.T) {
	h := History{Now: now, Lessons: []Lesson{{Start: day(-30), Held: true}, {Start: day(-16), Held: true}, {Start: day(-2), Held: true}, {Start: day(-9), Dropped: true}}}
	require.Equal(t, 14*24*time.Hour, Rhythm(h), "cancelled lessons are not the rhythm")
	require.True(t, Active(h))
	require.False(t, Active(History{Now: now, Lessons: []Lesson{{Start: day(-200), Held: true}}}), "nothing for half a year")
	require.True(t, Active(History{Now: now, BookedAhead: true}), "a first lesson booked")
	require.False(t, Active(History{Now: now, Lessons: []Lesson{{Start: day(-3), Dropped: true}}}))
}
