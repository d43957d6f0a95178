package teaching

import (
	"time"

	"tutorbase/internal/app/booking"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

const (
	// ReportDueAfter is how long after a lesson ends its tutor is reminded
	// of a report not written yet.
	ReportDueAfter = 24 * time.Hour
	// ReportReminderWindow: lessons that ended longer ago than this are
	// not reminded of (a school that starts using reports is not flooded
	// with its past lessons).
	ReportReminderWindow = 14 * 24 * time.Hour
)

// RemindMissingReports tells the tutor of each completed lesson that ended
// at least a day ago, and has no report, to write one: once per lesson,
// recorded in report_reminders in the same transaction as the
// notification. The job runs every 15 minutes.
func (s *Service) RemindMissingReports(app core.App, now time.Time) error {
	var ids []string
	err := app.DB().NewQuery(`SELECT b.id FROM bookings b
		LEFT JOIN lesson_reports r ON r.booking = b.id
		LEFT JOIN report_reminders m ON m.booking = b.id
		WHERE b.status = 'completed' AND b."end" <= {:due} AND b."end" > {:oldest}
		AND r.id IS NULL AND m.id IS NULL
		ORDER BY b."end" LIMIT 500`).
		Bind(dbx.Params{"due": platform.DBTime(now.Add(-ReportDueAfter)), "oldest": platform.DBTime(now.Add(-ReportReminderWindow))}).
		Column(&ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.remindReport(app, id); err != nil {
			return err
		}
	}
	return nil
}

// remindReport reminds one lesson's tutor, unless a report or a reminder
// was written meanwhile (read again under the write lock).
func (s *Service) remindReport(app core.App, bookingID string) error {
	return app.RunInTransaction(func(tx core.App) error {
		var n int
		err := tx.DB().NewQuery(`SELECT (SELECT count(*) FROM lesson_reports WHERE booking = {:b}) + (SELECT count(*) FROM report_reminders WHERE booking = {:b})`).
			Bind(dbx.Params{"b": bookingID}).Row(&n)
		if err != nil || n > 0 {
			return err
		}
		b, err := tx.FindRecordById("bookings", bookingID)
		if err != nil {
			return err
		}
		col, err := tx.FindCachedCollectionByNameOrId("report_reminders")
		if err != nil {
			return err
		}
		r := core.NewRecord(col)
		r.Set("booking", bookingID)
		if err := tx.Save(r); err != nil {
			return err
		}
		ev := booking.LessonEvent(tx, b, notify.KindReportMissing)
		ev.JoinURL = ""
		s.notes.Notify(tx, []string{b.GetString("tutor_user")}, ev, map[string]any{"booking": b.Id})
		return nil
	})
}
