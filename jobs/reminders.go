package jobs

import (
	"time"

	"tutorbase/hooks"
	"tutorbase/internal/app/booking"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// SendReminders reminds the student and the tutor of each pending or
// confirmed lesson once per offset of the school's reminder_offsets
// (default 24 h and 1 h before the start). A reminder is due from
// start − offset until the lesson starts; an offset already past when the
// booking was made (or rescheduled: that is a new booking) is skipped,
// never sent late; a cancelled lesson gets none. Each reminder is recorded
// in reminders_sent in the same transaction as its notifications, so it is
// sent exactly once. The job runs every minute.
func SendReminders(s *hooks.Services, app core.App, now time.Time) error {
	school, err := platform.LoadSchool(app)
	if err != nil {
		return err
	}
	for _, offset := range school.ReminderOffsets {
		minutes := int(offset / time.Minute)
		due, err := dueReminders(app, now, offset)
		if err != nil {
			return err
		}
		for _, b := range due {
			if err := remind(s, app, b, minutes, offset); err != nil {
				return err
			}
		}
	}
	return nil
}

// dueReminders lists the active lessons starting within offset of now,
// booked at least offset before their start, not yet reminded for it.
func dueReminders(app core.App, now time.Time, offset time.Duration) ([]*core.Record, error) {
	var ids []string
	err := app.DB().NewQuery(`SELECT b.id FROM bookings b
		LEFT JOIN reminders_sent r ON r.booking = b.id AND r.offset_minutes = {:minutes}
		WHERE b.status IN ('pending', 'confirmed') AND b.start > {:now} AND b.start <= {:horizon}
		AND (julianday(b.start) - julianday(b.created)) * 1440 >= {:minutes} - 0.001
		AND r.id IS NULL
		ORDER BY b.start LIMIT 500`).
		Bind(dbx.Params{"now": dbTimeJ(now), "horizon": dbTimeJ(now.Add(offset)), "minutes": int(offset / time.Minute)}).
		Column(&ids)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	return app.FindRecordsByIds("bookings", ids)
}

func remind(s *hooks.Services, app core.App, b *core.Record, minutes int, offset time.Duration) error {
	return app.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId("reminders_sent")
		if err != nil {
			return err
		}
		r := core.NewRecord(col)
		r.Set("booking", b.Id)
		r.Set("offset_minutes", minutes)
		if err := tx.Save(r); err != nil {
			return err // a unique violation: reminded already
		}
		ev := booking.LessonEvent(tx, b, notify.KindReminder)
		ev.Offset = offset
		data := map[string]any{"booking": b.Id, "offset": minutes}
		s.Notifications.Notify(tx, []string{b.GetString("student"), b.GetString("tutor_user")}, ev, data)
		guardians, err := platform.NoticedGuardians(tx, b.GetString("student"))
		if err != nil {
			return err
		}
		if len(guardians) > 0 {
			s.Notifications.Notify(tx, guardians, platform.ForGuardians(ev), data)
		}
		return nil
	})
}

func dbTimeJ(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }
