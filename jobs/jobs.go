// Package jobs holds Tutorbase's clock-driven work. Every job is scheduled
// through PocketBase's cron, so it shows in the dashboard (Settings → Crons)
// and can be run from there, and is wrapped with robfig/cron's chain:
// Recover (a panicking job is logged, never kills the server) and
// SkipIfStillRunning (a slow run never overlaps itself).
//
// Job bodies take `now` as a parameter so tests drive the clock.
package jobs

import (
	"fmt"
	"time"

	"tutorbase/hooks"
	"tutorbase/internal/app/credits"
	"tutorbase/internal/app/ops"

	"github.com/pocketbase/pocketbase/core"
	"github.com/robfig/cron/v3"
)

// Job is one scheduled task.
type Job struct {
	ID       string // shown in the dashboard, e.g. "tutorbase_reminders"
	Schedule string // 5-field cron expression in UTC
	Run      func(app core.App, now time.Time) error
}

// All lists every Tutorbase job of the app whose capabilities are s.
func All(s *hooks.Services) []Job {
	with := func(f func(*hooks.Services, core.App, time.Time) error) func(core.App, time.Time) error {
		return func(app core.App, now time.Time) error { return f(s, app, now) }
	}
	return []Job{
		{ID: "tutorbase_deliveries", Schedule: "* * * * *", Run: s.Notifications.DispatchDeliveries},
		{ID: "tutorbase_notifications_owed", Schedule: "* * * * *", Run: with(WriteOwedNotifications)},
		{ID: "tutorbase_telegram_updates", Schedule: "* * * * *", Run: s.Notifications.PollTelegram},
		{ID: "tutorbase_reminders", Schedule: "* * * * *", Run: with(SendReminders)},
		{ID: "tutorbase_complete_lessons", Schedule: "*/5 * * * *", Run: CompleteEnded},
		{ID: "tutorbase_expire_pending", Schedule: "*/5 * * * *", Run: with(ExpirePending)},
		{ID: "tutorbase_expire_purchases", Schedule: "7 * * * *", Run: credits.Expire},
		{ID: "tutorbase_retry_refunds", Schedule: "*/10 * * * *", Run: s.Payments.RetryRefunds},
		{ID: "tutorbase_calendar_feeds", Schedule: "* * * * *", Run: s.Busy.RefreshDue}, // each feed every 10 minutes, failing ones backing off
		{ID: "tutorbase_google_calendar", Schedule: "* * * * *", Run: with(SyncGoogle)}, // lessons owed to Google Calendars; busy times every 5 minutes
		{ID: "tutorbase_invoice_pdfs", Schedule: "23 * * * *", Run: s.Payments.RenderMissingPDFs},
		{ID: "tutorbase_payouts", Schedule: "30 3 * * *", Run: with(PayLastWeek)},
		{ID: "tutorbase_payout_transfers", Schedule: "41 * * * *", Run: s.Payouts.RetryPayoutTransfers},
		{ID: "tutorbase_expire_unpaid", Schedule: "37 3 * * *", Run: with(ExpireUnpaid)},
		{ID: "tutorbase_package_expiring", Schedule: "0 8 * * *", Run: with(PackageExpiring)},
		{ID: "tutorbase_report_reminders", Schedule: "*/15 * * * *", Run: s.Teaching.RemindMissingReports},
		{ID: "tutorbase_weekly_digest", Schedule: "0 6 * * 1", Run: with(WeeklyDigest)},
		{ID: "tutorbase_retention", Schedule: "47 3 * * *", Run: Retention},
		{ID: "tutorbase_login_attempts_cleanup", Schedule: "17 4 * * *", Run: CleanupLoginAttempts},
		{ID: "tutorbase_unread_messages", Schedule: "* * * * *", Run: s.Messages.NotifyUnread}, // a message unread for 10 minutes, once an hour per thread
		{ID: "tutorbase_erasures", Schedule: "53 3 * * *", Run: s.Privacy.EraseDue},            // accounts whose 14 days of grace ended
		{ID: "tutorbase_churn_scores", Schedule: "13 4 * * *", Run: s.Churn.Recompute},         // every active student's churn risk (docs/insight.md)
		{ID: "tutorbase_sequences", Schedule: "*/15 * * * *", Run: s.Sequences.Run},            // follow-up messages due, once per person (docs/insight.md)
	}
}

// Register schedules every job on app's cron.
func Register(app core.App, s *hooks.Services) error {
	for _, j := range All(s) {
		if err := Schedule(app, s.Env.Now, s.Ops.Jobs, j); err != nil {
			return err
		}
	}
	return nil
}

// Schedule adds j to app's cron behind the Recover and SkipIfStillRunning
// wrappers; each run is given the time of now and counted in stats.
func Schedule(app core.App, now func() time.Time, stats *ops.JobStats, j Job) error {
	counters := stats.Of(j.ID)
	logger := cronLogger{app: app, job: j.ID, stats: stats}
	wrapped := cron.NewChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)).Then(cron.FuncJob(func() {
		at := now().UTC()
		counters.Runs.Add(1)
		counters.LastRun.Store(at.Unix())
		began := time.Now() // a duration, not an instant of the school's clock
		defer func() { stats.Observe(j.ID, time.Since(began)) }()
		if err := j.Run(app, at); err != nil {
			stats.Failed(j.ID, err) // counted, and reported (SENTRY_DSN)
			app.Logger().Error("job failed", "job", j.ID, "error", err)
		}
	}))
	if err := app.Cron().Add(j.ID, j.Schedule, wrapped.Run); err != nil {
		return fmt.Errorf("failed to schedule %s: %w", j.ID, err)
	}
	return nil
}

// cronLogger adapts PocketBase's slog logger to robfig/cron's Logger and
// counts (and reports) recovered panics.
type cronLogger struct {
	app   core.App
	job   string
	stats *ops.JobStats
}

func (l cronLogger) Info(msg string, kv ...any) {
	l.app.Logger().Debug(msg, append([]any{"job", l.job}, kv...)...)
}

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.stats.Panicked(l.job, err)
	l.app.Logger().Error(msg, append([]any{"job", l.job, "error", err}, kv...)...)
}

var _ cron.Logger = cronLogger{}
