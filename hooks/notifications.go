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
// language and time zone (delivered live through realtime). It never fails
// the change that caused it: problems are logged.
func Notify(app core.App, userIds []string, ev notify.Event, data map[string]any) {
	col, err := app.FindCachedCollectionByNameOrId("notifications")
	if err != nil {
		app.Logger().Error("notifications collection missing", "error", err)
		return
	}
	for _, id := range userIds {
		u, err := app.FindRecordById("users", id)
		if err != nil {
			continue
		}
		msg, err := notify.Render(ev, recipient(app, u))
		if err != nil {
			app.Logger().Error("failed to render a notification", "kind", ev.Kind, "error", err)
			continue
		}
		n := core.NewRecord(col)
		n.Load(map[string]any{"user": id, "kind": ev.Kind, "title": msg.Title, "body": msg.Text, "data": data})
		if err := app.Save(n); err != nil {
			app.Logger().Error("failed to save a notification", "kind", ev.Kind, "user", id, "error", err)
		}
	}
}

func recipient(app core.App, u *core.Record) notify.Recipient {
	loc, err := Location(app, u.GetString("timezone"))
	if err != nil {
		loc = time.UTC
	}
	return notify.Recipient{Name: u.GetString("name"), Locale: u.GetString("locale"), Location: loc}
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
	if old != nil {
		ev.OldStart = old.GetDateTime("start").Time()
	}
	Notify(app, to, ev, map[string]any{"booking": b.Id})
}
