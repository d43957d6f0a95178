package hooks

import (
	"slices"
	"time"

	"tutorbase/internal/notify"

	"github.com/pocketbase/pocketbase/core"
)

// Booking events, named as users.notify names them.
const (
	EventBookingCreated     = notify.KindBookingCreated
	EventBookingConfirmed   = notify.KindBookingConfirmed
	EventBookingCancelled   = notify.KindBookingCancelled
	EventBookingRescheduled = notify.KindBookingRescheduled
)

// Notify tells each user about ev: an in-app notification rendered in their
// language and time zone (delivered live through realtime), and one queued
// delivery per other channel they want (email, SMS, WhatsApp, Telegram),
// due at once or when their quiet hours end. The notification and its
// deliveries are written together (pass a transaction to tie them to the
// change that caused them); the dispatcher job sends the deliveries. It
// never fails the change that caused it: problems are logged.
func Notify(app core.App, userIds []string, ev notify.Event, data map[string]any) {
	now := time.Now()
	for _, id := range userIds {
		if err := notifyOne(app, id, ev, data, now); err != nil {
			app.Logger().Error("failed to notify", "kind", ev.Kind, "user", id, "error", err)
		}
	}
}

func notifyOne(app core.App, userId string, ev notify.Event, data map[string]any, now time.Time) error {
	u, err := app.FindRecordById("users", userId)
	if err != nil {
		return err
	}
	to, loc := recipient(app, u)
	msg, err := notify.Render(ev, to)
	if err != nil {
		return err
	}
	col, err := app.FindCachedCollectionByNameOrId("notifications")
	if err != nil {
		return err
	}
	return app.RunInTransaction(func(tx core.App) error {
		n := core.NewRecord(col)
		n.Load(map[string]any{"user": userId, "kind": ev.Kind, "title": msg.Title, "body": msg.Text,
			"html": msg.HTML, "short": msg.Short, "data": data})
		if err := tx.Save(n); err != nil {
			return err
		}
		return queueDeliveries(tx, u, n, loc, now)
	})
}

func recipient(app core.App, u *core.Record) (notify.Recipient, *time.Location) {
	loc, err := Location(app, u.GetString("timezone"))
	if err != nil {
		loc = time.UTC
	}
	return notify.Recipient{Name: u.GetString("name"), Locale: u.GetString("locale"), Location: loc}, loc
}

// BookingChanged notifies the other party of a booking change: the tutor
// when the student acts, the student when the tutor acts, both when staff
// act. old is the previous booking of a reschedule.
func BookingChanged(app core.App, b *core.Record, old *core.Record, kind, actor string) {
	var to []string
	for _, u := range []string{b.GetString("student"), b.GetString("tutor_user")} {
		if u != "" && u != actor && !slices.Contains(to, u) {
			to = append(to, u)
		}
	}
	if len(to) == 0 {
		return
	}
	ev := LessonEvent(app, b, kind)
	if old != nil {
		ev.OldStart = old.GetDateTime("start").Time()
	}
	Notify(app, to, ev, map[string]any{"booking": b.Id})
}

// LessonEvent describes a booking for the templates.
func LessonEvent(app core.App, b *core.Record, kind string) notify.Event {
	ev := notify.Event{
		Kind:        kind,
		Start:       b.GetDateTime("start").Time(),
		End:         b.GetDateTime("end").Time(),
		TutorName:   b.GetString("tutor_name"),
		StudentName: b.GetString("student_name"),
		Reason:      b.GetString("cancel_reason"),
		LateCancel:  b.GetBool("late_cancel"),
		Link:        app.Settings().Meta.AppURL + "/lessons/" + b.Id,
	}
	if b.GetString("status") == StatusConfirmed {
		ev.JoinURL = b.GetString("meeting_url")
	}
	if s := b.GetString("subject"); s != "" {
		if r, err := app.FindRecordById("subjects", s); err == nil {
			ev.Subject = r.GetString("name")
		}
	}
	return ev
}
