package cmd_test

import (
	"slices"
	"testing"
	"time"

	"tutorbase/cmd"
	"tutorbase/hooks/hookstest"
	"tutorbase/internal/churn"

	"github.com/stretchr/testify/require"
)

// TestChurnOnTheDemoSchool runs the churn job on the demo school's
// generated history (docs/insight.md, Churn risk: the figures): on the day
// it is seeded, and four weeks later when nobody booked again.
func TestChurnOnTheDemoSchool(t *testing.T) {
	app := hookstest.NewApp(t)
	defer app.Cleanup()
	now := time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC)
	s := hookstest.ServicesOf(app)
	require.NoError(t, cmd.SeedDemo(s, app, now))
	figures := func(at time.Time) (scored, atRisk int, scores []int) {
		require.NoError(t, s.Churn.Recompute(app, at))
		rows, err := app.FindRecordsByFilter("churn_scores", "", "student", 0, 0)
		require.NoError(t, err)
		for _, r := range rows {
			scores = append(scores, r.GetInt("score"))
			if r.GetInt("score") >= churn.Threshold {
				atRisk++
			}
		}
		slices.Sort(scores)
		return len(rows), atRisk, scores
	}
	scored, atRisk, scores := figures(now)
	t.Logf("demo school, the day it is seeded: %d students scored, %d at risk, scores %v", scored, atRisk, scores)
	require.Equal(t, 6, scored, "every demo student has lessons")
	require.Zero(t, atRisk, "each has a lesson booked next week")
	require.Equal(t, []int{0, 0, 0, 0, 0, 8}, scores, "one gave a lower rating last")
	scored, atRisk, scores = figures(now.AddDate(0, 0, 28))
	t.Logf("four weeks later, nobody booked again: %d students scored, %d at risk, scores %v", scored, atRisk, scores)
	require.Equal(t, 6, scored)
	require.Equal(t, 4, atRisk)
	require.Equal(t, []int{15, 39, 60, 60, 60, 68}, scores)
}
