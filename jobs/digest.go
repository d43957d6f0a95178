package jobs

import (
	"time"

	"tutorbase/hooks"
	"tutorbase/internal/app/booking"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/app/privacy"
	"tutorbase/internal/app/subscriptions"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// WeeklyDigest sends every active tutor, once a week (Monday morning), the
// lessons of their coming seven days.
func WeeklyDigest(s *hooks.Services, app core.App, now time.Time) error {
	tutors, err := app.FindAllRecords("tutors", dbx.HashExp{"verified": true, "status": "active"})
	if err != nil {
		return err
	}
	weekAgo := now.Add(-6 * 24 * time.Hour)
	for _, t := range tutors {
		user := t.GetString("user")
		if n, _ := app.CountRecords("notifications", dbx.NewExp("user = {:u} AND kind = 'digest' AND created > {:since}",
			dbx.Params{"u": user, "since": dbTimeJ(weekAgo)})); n > 0 {
			continue // sent this week already (a rerun from the dashboard)
		}
		lessons, err := app.FindRecordsByFilter("bookings", "tutor = {:t} && (status = 'pending' || status = 'confirmed') && start >= {:from} && start < {:to}",
			"start", 200, 0, dbx.Params{"t": t.Id, "from": dbTimeJ(now), "to": dbTimeJ(now.Add(7 * 24 * time.Hour))})
		if err != nil {
			return err
		}
		ev := notify.Event{Kind: notify.KindDigest, Link: app.Settings().Meta.AppURL + "/tutor/lessons"}
		for _, b := range lessons {
			ev.Lessons = append(ev.Lessons, booking.LessonEvent(app, b, notify.KindDigest))
		}
		s.Notifications.Notify(app, []string{user}, ev, map[string]any{"lessons": len(lessons)})
	}
	return nil
}

// PackageExpiring tells students, once, that a package with credits left
// expires within a week.
func PackageExpiring(s *hooks.Services, app core.App, now time.Time) error {
	soon, err := app.FindRecordsByFilter("purchases", "status = 'paid' && credits_total > credits_used && expires_at > {:now} && expires_at <= {:soon}",
		"expires_at", 500, 0, dbx.Params{"now": dbTimeJ(now), "soon": dbTimeJ(now.Add(7 * 24 * time.Hour))})
	if err != nil {
		return err
	}
	for _, p := range soon {
		if n, _ := app.CountRecords("notifications", dbx.NewExp("user = {:u} AND kind = 'package_expiring' AND json_extract(data, '$.purchase') = {:p}",
			dbx.Params{"u": p.GetString("student"), "p": p.Id})); n > 0 {
			continue
		}
		s.Notifications.Notify(app, []string{p.GetString("student")}, notify.Event{
			Kind: notify.KindPackageExpiring, Credits: p.GetInt("credits_total") - p.GetInt("credits_used"),
			ExpiresAt: p.GetDateTime("expires_at").Time(), Link: app.Settings().Meta.AppURL + "/credits",
		}, map[string]any{"purchase": p.Id})
	}
	return nil
}

// ExpireUnpaid cancels purchases left unpaid for a week, with their
// pending payments, and ends the manual subscriptions set to end whose
// period is over.
func ExpireUnpaid(s *hooks.Services, app core.App, now time.Time) error {
	if _, err := subscriptions.EndDue(app, now); err != nil {
		return err
	}
	stale, err := app.FindRecordsByFilter("purchases", "status = 'pending' && created <= {:before}", "created", 500, 0,
		dbx.Params{"before": dbTimeJ(now.Add(-7 * 24 * time.Hour))})
	if err != nil {
		return err
	}
	for _, p := range stale {
		if err := s.Payments.CancelUnpaidPurchase(app, p); err != nil && !platform.IsStale(err) { // paid meanwhile: skip it
			return err
		}
	}
	return nil
}

// Retention applies the school's retention schedule: notifications (with
// their deliveries) older than retention_days and the reminder marks of
// long-past lessons, then deliveries, audit entries and server logs
// (privacy.ApplyRetention).
func Retention(app core.App, now time.Time) error {
	if err := privacy.ApplyRetention(app, now); err != nil {
		return err
	}
	school, err := platform.LoadSchool(app)
	if err != nil {
		return err
	}
	if school.RetentionDays <= 0 {
		return nil
	}
	cutoff := dbTimeJ(now.Add(-time.Duration(school.RetentionDays) * 24 * time.Hour))
	for {
		old, err := app.FindRecordsByFilter("notifications", "created < {:cutoff}", "created", 500, 0, dbx.Params{"cutoff": cutoff})
		if err != nil {
			return err
		}
		for _, n := range old {
			if err := app.Delete(n); err != nil { // deliveries cascade
				return err
			}
		}
		if len(old) < 500 {
			break
		}
	}
	_, err = app.DB().NewQuery("DELETE FROM reminders_sent WHERE created < {:cutoff}").Bind(dbx.Params{"cutoff": cutoff}).Execute()
	return err
}
