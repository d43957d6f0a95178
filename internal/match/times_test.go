package match

import (
	"testing"
	"time"

	"tutorbase/internal/schedule"

	"github.com/stretchr/testify/require"
)

func TestParseTimes(t *testing.T) {
	prefs, ok := ParseTimes("sat-morning,tue-evening,tue-morning,sat-morning")
	require.True(t, ok)
	require.Equal(t, []Preferred{
		{time.Tuesday, DayParts[0]}, {time.Tuesday, DayParts[2]}, {time.Saturday, DayParts[0]},
	}, prefs, "Monday first, then the part; repeats once")
	for _, bad := range []string{"", "tue", "tuesday-evening", "tue-night", "tue-evening,", "Tue-evening"} {
		_, ok := ParseTimes(bad)
		require.False(t, ok, bad)
	}
}

func TestWindows(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	require.NoError(t, err)
	// Friday 27 March 2026, 23:30 in Rome: the clocks go forward on Sunday 29th
	now := time.Date(2026, 3, 27, 23, 30, 0, 0, rome)
	prefs, _ := ParseTimes("sun-morning,mon-evening")
	got := Windows(prefs, now, rome, 10)
	want := []schedule.Interval{
		{Start: time.Date(2026, 3, 29, 8, 0, 0, 0, rome), End: time.Date(2026, 3, 29, 12, 0, 0, 0, rome)},
		{Start: time.Date(2026, 3, 30, 17, 0, 0, 0, rome), End: time.Date(2026, 3, 30, 21, 0, 0, 0, rome)},
		{Start: time.Date(2026, 4, 5, 8, 0, 0, 0, rome), End: time.Date(2026, 4, 5, 12, 0, 0, 0, rome)},
		{Start: time.Date(2026, 4, 6, 17, 0, 0, 0, rome), End: time.Date(2026, 4, 6, 21, 0, 0, 0, rome)},
	}
	require.Equal(t, want, got, "from tomorrow (Saturday) for 10 days, local hours kept across the change")
	require.Equal(t, "06:00", got[0].Start.UTC().Format("15:04"), "summer time on the 29th")
	require.Equal(t, 16*60, WindowMinutes(got))
	require.Empty(t, Windows(prefs, now, rome, 0))
}

func TestGoalsAndLevel(t *testing.T) {
	matched, total := GoalsIn("Pass the maths exams and improve my grammar", "Twenty years preparing students for exams. Grammar is fun.")
	require.Equal(t, []string{"exams", "grammar"}, matched)
	require.Equal(t, 5, total, "pass, maths, exams, improve, grammar")
	matched, total = GoalsIn("the and of", "anything")
	require.Empty(t, matched)
	require.Zero(t, total)

	require.True(t, SameLevel("B2", "English B2, upper intermediate"))
	require.True(t, SameLevel("liceo", "Liceo scientifico"))
	require.False(t, SameLevel("liceo classico", "Liceo scientifico"))
	require.False(t, SameLevel("the", "the"), "a level of stop words matches nobody")
}

func TestRankLevelAndGoals(t *testing.T) {
	c := func(id string, students int, matched []string) Candidate {
		return Candidate{ID: id, HourlyRate: 3000, Currency: "EUR", WantedLevel: "liceo", LevelStudents: students,
			GoalsMatched: matched, GoalTerms: 4}
	}
	ranked := Rank([]Candidate{c("none", 0, nil), c("some", 1, []string{"exams"}), c("many", 5, []string{"exams", "grammar"})}, DefaultWeights())
	require.Equal(t, "many", ranked[0].ID)
	require.Equal(t, []Reason{
		{ReasonRating, "No reviews yet", 0.25}, // (rating 0.2 × 0.75) ÷ (0.2 + 0.1 + 0.15 + 0.15),
		{ReasonPrice, "€30/h", 0.083333},
		{ReasonLevel, "Taught 5 students at your level (liceo)", 0.25},
		{ReasonGoals, "Profile mentions exams, grammar", 0.125},
	}, roundReasons(ranked[0].Reasons))
	require.Equal(t, "Taught 1 student at your level (liceo)", ranked[1].Reasons[2].Text)
	require.Equal(t, "No students at your level (liceo) yet", ranked[2].Reasons[2].Text)
	require.Equal(t, "Profile mentions none of your goals", ranked[2].Reasons[3].Text)
	require.Equal(t, []string{"many", "some", "none"}, []string{ranked[0].ID, ranked[1].ID, ranked[2].ID})
}

func roundReasons(rs []Reason) []Reason {
	out := make([]Reason, len(rs))
	for i, r := range rs {
		out[i] = Reason{r.Code, r.Text, float64(int(r.Weight*1e6+0.5)) / 1e6}
	}
	return out
}
