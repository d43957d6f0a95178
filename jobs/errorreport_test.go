package jobs_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/config"
	"tutorbase/jobs"
	"tutorbase/testkit/fakesentry"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// TestJobErrorReports: with SENTRY_DSN set, a job run that returns an error
// and one that panics are sent to the Sentry-compatible service (a stand-in
// reached through the production client) with the job's name, the release
// and the environment, the panic with its stack; emails, configured
// secrets and password-like values in the error are cut out. A run that
// succeeds sends nothing. Without a DSN nothing is sent and the jobs are
// still counted.
func TestJobErrorReports(t *testing.T) {
	sentry := fakesentry.New(t)
	cfg := hookstest.Config
	cfg.Stripe.SecretKey = "sk_test_configuredsecret123"
	cfg.Sentry = config.Sentry{DSN: sentry.DSN(), Environment: "test-env", Release: "tutorbase@test-2"}
	app := cast.CloneWith(t, cfg)
	defer app.Cleanup()
	stats := hookstest.ServicesOf(app).Ops.Jobs

	add := func(id string, run func(core.App, time.Time) error) {
		require.NoError(t, jobs.Schedule(app, time.Now, stats, jobs.Job{ID: id, Schedule: "* * * * *", Run: run}))
	}
	add("test_fail", func(core.App, time.Time) error {
		return errors.New("smtp refused carla@example.com: password=pw-77 key sk_test_configuredsecret123")
	})
	add("test_panic", func(core.App, time.Time) error { panic("nil map for dario@example.com") })
	add("test_fine", func(core.App, time.Time) error { return nil })
	run := map[string]func(){}
	for _, j := range app.Cron().Jobs() {
		run[j.Id()] = j.Run
	}
	run["test_fine"]()
	run["test_fail"]()
	run["test_panic"]()
	require.EqualValues(t, 1, stats.Of("test_fail").Failures.Load())
	require.EqualValues(t, 1, stats.Of("test_panic").Panics.Load())

	require.Eventually(t, func() bool { return len(sentry.Events()) >= 2 }, 10*time.Second, 20*time.Millisecond)
	time.Sleep(100 * time.Millisecond) // nothing more arrives
	events := map[string]fakesentry.Event{}
	for _, ev := range sentry.Events() {
		events[ev.Tag("job")] = ev
	}
	require.Len(t, sentry.Events(), 2, "the run that succeeded sends nothing")
	for _, id := range []string{"test_fail", "test_panic"} {
		ev := events[id]
		require.NotNil(t, ev.JSON, "%s is reported", id)
		require.Equal(t, "job", ev.Tag("kind"))
		require.Equal(t, "tutorbase@test-2", ev.JSON["release"])
		require.Equal(t, "test-env", ev.JSON["environment"])
		for _, leak := range []string{"carla@example.com", "dario@example.com", "pw-77", "sk_test_configuredsecret123"} {
			require.False(t, strings.Contains(string(ev.Raw), leak), "%s's report leaks %q", id, leak)
		}
	}
	values := events["test_fail"].JSON["exception"].([]any)
	require.Equal(t, "smtp refused [email]: password=[redacted] key [secret]", values[len(values)-1].(map[string]any)["value"])
	values = events["test_panic"].JSON["exception"].([]any)
	last := values[len(values)-1].(map[string]any)
	require.Contains(t, last["value"], "nil map for [email]")
	require.NotEmpty(t, last["stacktrace"], "a panic comes with its stack")
}

// TestNoErrorReportsWithoutDSN: off by default, a failing job is counted
// and logged, and the reporter says it is off.
func TestNoErrorReportsWithoutDSN(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	s := hookstest.ServicesOf(app).Ops
	require.False(t, s.Errors.Enabled())
	require.NoError(t, jobs.Schedule(app, time.Now, s.Jobs, jobs.Job{ID: "test_fail", Schedule: "* * * * *",
		Run: func(core.App, time.Time) error { return errors.New("nope") }}))
	for _, j := range app.Cron().Jobs() {
		if j.Id() == "test_fail" {
			j.Run()
		}
	}
	require.EqualValues(t, 1, s.Jobs.Of("test_fail").Failures.Load())
}
