package jobs_test

import (
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/jobs"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

func reminders(t *testing.T, app core.App, booking string) int64 {
	t.Helper()
	n, err := app.CountRecords("notifications", dbx.NewExp("kind = 'reminder' AND json_extract(data, '$.booking') = {:b}", dbx.Params{"b": booking}))
	require.NoError(t, err)
	return n
}

// A driven clock: a lesson booked 36 hours ahead gets nothing at booking,
// one reminder (to each party) at T−24 h, one at T−1 h, nothing else.
func TestReminderTiming(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	now := time.Now().UTC().Truncate(time.Minute)
	start := now.Add(36 * time.Hour)
	b := bookFor(t, app, hookstest.Tutor, hookstest.Student, start, "confirmed")

	run := func(at time.Time) {
		t.Helper()
		require.NoError(t, jobs.SendReminders(hookstest.ServicesOf(app), app, at))
	}
	run(now)
	require.Zero(t, reminders(t, app, b.Id), "nothing at booking")
	run(start.Add(-24*time.Hour - time.Minute))
	require.Zero(t, reminders(t, app, b.Id), "nothing before T−24 h")
	run(start.Add(-24 * time.Hour))
	require.EqualValues(t, 2, reminders(t, app, b.Id), "student and tutor at T−24 h")
	run(start.Add(-24*time.Hour + time.Minute))
	run(start.Add(-2 * time.Hour))
	require.EqualValues(t, 2, reminders(t, app, b.Id), "exactly once per offset")
	run(start.Add(-time.Hour))
	require.EqualValues(t, 4, reminders(t, app, b.Id), "and again at T−1 h")
	run(start.Add(-time.Minute))
	require.EqualValues(t, 4, reminders(t, app, b.Id))

	n, err := app.CountRecords("reminders_sent", dbx.HashExp{"booking": b.Id})
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
}

func TestNoRemindersForCancelledLateOrRescheduled(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	now := time.Now().UTC().Truncate(time.Minute)

	cancelled := bookFor(t, app, hookstest.Tutor, hookstest.Student, now.Add(36*time.Hour), "cancelled")
	soon := bookFor(t, app, hookstest.Tutor2, hookstest.Student2, now.Add(30*time.Minute), "confirmed")
	for at := now; at.Before(now.Add(37 * time.Hour)); at = at.Add(10 * time.Minute) {
		require.NoError(t, jobs.SendReminders(hookstest.ServicesOf(app), app, at))
	}
	require.Zero(t, reminders(t, app, cancelled.Id), "a cancelled lesson gets none")
	require.Zero(t, reminders(t, app, soon.Id), "booked inside both offsets: nothing is sent late")

	// a reschedule is a new booking: reminders follow the new time only
	old := bookFor(t, app, hookstest.Tutor, hookstest.Student, now.Add(50*time.Hour), "confirmed")
	old.Set("status", "cancelled")
	require.NoError(t, app.Save(old))
	moved := bookFor(t, app, hookstest.Tutor, hookstest.Student, now.Add(60*time.Hour), "confirmed")
	require.NoError(t, jobs.SendReminders(hookstest.ServicesOf(app), app, now.Add(26*time.Hour))) // the old T−24 h
	require.Zero(t, reminders(t, app, old.Id))
	require.Zero(t, reminders(t, app, moved.Id))
	require.NoError(t, jobs.SendReminders(hookstest.ServicesOf(app), app, now.Add(36*time.Hour))) // the new T−24 h
	require.EqualValues(t, 2, reminders(t, app, moved.Id))
}

func TestDigestAndRetention(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	now := time.Now().UTC()
	bookFor(t, app, hookstest.Tutor2, hookstest.Student, now.Add(48*time.Hour), "confirmed")
	require.NoError(t, jobs.WeeklyDigest(hookstest.ServicesOf(app), app, now))
	require.NoError(t, jobs.WeeklyDigest(hookstest.ServicesOf(app), app, now.Add(time.Hour)), "a rerun the same week")
	n, err := app.CountRecords("notifications", dbx.HashExp{"kind": "digest", "user": cast.Users[hookstest.Tutor2]})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)

	before, err := app.CountRecords("notifications")
	require.NoError(t, err)
	require.NoError(t, jobs.Retention(app, now.Add(200*24*time.Hour)))
	after, err := app.CountRecords("notifications")
	require.NoError(t, err)
	require.NotZero(t, before)
	require.Zero(t, after, "older than the school's 180 days: gone, with their deliveries")
	d, err := app.CountRecords("deliveries")
	require.NoError(t, err)
	require.Zero(t, d)
}
