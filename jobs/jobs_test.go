package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"
	"tutorbase/jobs"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

var cast *hookstest.Cast

func TestMain(m *testing.M) {
	var err error
	if cast, err = hookstest.Build(nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	cast.Close()
	os.Exit(code)
}

func book(t *testing.T, app core.App, start time.Time, status string) *core.Record {
	t.Helper()
	return bookFor(t, app, hookstest.Tutor, hookstest.Student, start, status)
}

func bookFor(t *testing.T, app core.App, tutor, student string, start time.Time, status string) *core.Record {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId("bookings")
	require.NoError(t, err)
	b := core.NewRecord(col)
	b.Load(map[string]any{"tutor": cast.Tutors[tutor], "student": cast.Users[student],
		"start": start, "end": start.Add(time.Hour), "status": status})
	require.NoError(t, app.SaveWithContext(platform.Imported(context.Background()), b))
	return b
}

func status(t *testing.T, app core.App, id string) string {
	t.Helper()
	b, err := app.FindRecordById("bookings", id)
	require.NoError(t, err)
	return b.GetString("status")
}

func TestCompleteEnded(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	now := time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC)
	ended := book(t, app, now.Add(-2*time.Hour), "confirmed")
	endsNow := book(t, app, now.Add(-time.Hour), "confirmed")
	running := bookFor(t, app, hookstest.Tutor2, hookstest.Student2, now.Add(-30*time.Minute), "confirmed")
	cancelled := book(t, app, now.Add(-5*time.Hour), "cancelled")

	require.NoError(t, jobs.CompleteEnded(app, now))
	require.Equal(t, "completed", status(t, app, ended.Id))
	require.Equal(t, "completed", status(t, app, endsNow.Id))
	require.Equal(t, "confirmed", status(t, app, running.Id), "a lesson still running stays confirmed")
	require.Equal(t, "cancelled", status(t, app, cancelled.Id))
	require.NoError(t, jobs.CompleteEnded(app, now), "a second run has nothing to do")
}

func TestExpirePending(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	now := time.Now().UTC().Truncate(time.Minute)
	started := book(t, app, now.Add(-time.Hour), "pending")
	future := book(t, app, now.Add(72*time.Hour), "pending")

	require.NoError(t, jobs.ExpirePending(hookstest.ServicesOf(app), app, now))
	b, err := app.FindRecordById("bookings", started.Id)
	require.NoError(t, err)
	require.Equal(t, "cancelled", b.GetString("status"))
	require.Equal(t, "expired", b.GetString("cancel_reason"))
	require.Equal(t, "pending", status(t, app, future.Id), "a fresh request waits for the tutor")

	// 48 hours later (the school's pending_expiry_hours) the request is stale
	require.NoError(t, jobs.ExpirePending(hookstest.ServicesOf(app), app, now.Add(49*time.Hour)))
	require.Equal(t, "cancelled", status(t, app, future.Id))
	n, err := app.CountRecords("notifications", dbx.HashExp{"kind": "booking_cancelled"})
	require.NoError(t, err)
	require.EqualValues(t, 4, n, "both parties hear of each expiry")
}

// A panicking job is recovered and counted; a slow run never overlaps
// itself.
func TestScheduleWrappers(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()

	require.NoError(t, jobs.Schedule(app, time.Now, hookstest.ServicesOf(app).Ops.Jobs, jobs.Job{ID: "test_panic", Schedule: "* * * * *", Run: func(core.App, time.Time) error { panic("boom") }}))
	require.NoError(t, jobs.Schedule(app, time.Now, hookstest.ServicesOf(app).Ops.Jobs, jobs.Job{ID: "test_fail", Schedule: "* * * * *", Run: func(core.App, time.Time) error { return errors.New("nope") }}))
	var running, overlaps atomic.Int32
	release := make(chan struct{})
	require.NoError(t, jobs.Schedule(app, time.Now, hookstest.ServicesOf(app).Ops.Jobs, jobs.Job{ID: "test_slow", Schedule: "* * * * *", Run: func(core.App, time.Time) error {
		if running.Add(1) > 1 {
			overlaps.Add(1)
		}
		<-release
		running.Add(-1)
		return nil
	}}))

	jobByID := map[string]func(){}
	for _, j := range app.Cron().Jobs() {
		jobByID[j.Id()] = j.Run
	}
	run := func(id string) { jobByID[id]() }
	for _, id := range []string{"test_panic", "test_fail", "test_slow"} {
		require.Contains(t, jobByID, id)
	}
	require.NotPanics(t, func() { run("test_panic") })
	require.EqualValues(t, 1, hookstest.ServicesOf(app).Ops.Jobs.Of("test_panic").Panics.Load())
	run("test_fail")
	require.EqualValues(t, 1, hookstest.ServicesOf(app).Ops.Jobs.Of("test_fail").Failures.Load())

	go run("test_slow")
	require.Eventually(t, func() bool { return running.Load() == 1 }, time.Second, time.Millisecond)
	run("test_slow") // skipped: the first run is still going
	close(release)
	require.Eventually(t, func() bool { return running.Load() == 0 }, time.Second, time.Millisecond)
	require.Zero(t, overlaps.Load())
	require.EqualValues(t, 1, hookstest.ServicesOf(app).Ops.Jobs.Of("test_slow").Runs.Load(), "the overlapping trigger was skipped")
}

func TestRegisterSchedulesEveryJob(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	require.NoError(t, jobs.Register(app, hookstest.ServicesOf(app)))
	ids := map[string]bool{}
	for _, j := range app.Cron().Jobs() {
		ids[j.Id()] = true
	}
	for _, j := range jobs.All(hookstest.ServicesOf(app)) {
		require.True(t, ids[j.ID], j.ID)
	}
}
