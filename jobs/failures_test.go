package jobs_test

import (
	"errors"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/jobs"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

var errDiskFull = errors.New("disk full")

// A job whose write fails says so (the cron wrapper logs and counts it)
// and leaves what it could not finish as it was, for the next run.
func TestJobsReportFailedWritesAndChangeNothing(t *testing.T) {
	t.Run("expiring a request", func(t *testing.T) {
		app := cast.Clone(t)
		defer app.Cleanup()
		now := cast.Now().UTC().Truncate(time.Minute)
		started := book(t, app, now.Add(-time.Hour), "pending")
		ended := book(t, app, now.Add(-3*time.Hour), "confirmed")
		app.OnRecordUpdate("bookings").BindFunc(func(*core.RecordEvent) error { return errDiskFull })

		require.ErrorIs(t, jobs.ExpirePending(hookstest.ServicesOf(app), app, now), errDiskFull)
		require.Equal(t, "pending", status(t, app, started.Id))
		require.ErrorIs(t, jobs.CompleteEnded(app, now), errDiskFull)
		require.Equal(t, "confirmed", status(t, app, ended.Id))
		n, err := app.CountRecords("notifications", dbx.HashExp{"kind": "booking_cancelled"})
		require.NoError(t, err)
		require.Zero(t, n, "nobody is told of a cancel that did not happen")
	})

	t.Run("a reminder whose mark cannot be written is not sent", func(t *testing.T) {
		app := cast.Clone(t)
		defer app.Cleanup()
		now := cast.Now().UTC().Truncate(time.Minute)
		b := book(t, app, now.Add(36*time.Hour), "confirmed")
		app.OnRecordCreate("reminders_sent").BindFunc(func(*core.RecordEvent) error { return errDiskFull })

		err := jobs.SendReminders(hookstest.ServicesOf(app), app, now.Add(12*time.Hour))
		require.ErrorIs(t, err, errDiskFull)
		require.Zero(t, reminders(t, app, b.Id), "sent only with its mark, so never twice")
	})

	t.Run("cancelling an unpaid purchase", func(t *testing.T) {
		app := cast.Clone(t)
		defer app.Cleanup()
		p, pay := purchase(t, app, hookstest.Student, time.Time{})
		app.OnRecordUpdate("purchases").BindFunc(func(*core.RecordEvent) error { return errDiskFull })

		require.ErrorIs(t, jobs.ExpireUnpaid(hookstest.ServicesOf(app), app, cast.Now().Add(8*24*time.Hour)), errDiskFull)
		require.Equal(t, "pending", reload(t, app, "purchases", p.Id).GetString("status"))
		require.Equal(t, "pending", reload(t, app, "payments", pay.Id).GetString("status"))
	})
}
