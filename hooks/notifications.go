package hooks

import (
	"slices"
	"time"

	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"

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
	writeNotes(app, prepareNotes(app, userIds, ev, data))
}

// note is a notification ready to be written: its recipient and its
// rendered record.
type note struct {
	to  *contact
	loc *time.Location
	rec *core.Record
}

// prepareNotes reads the recipients and renders ev for each, writing
// nothing (so a batch can be rendered outside the write transaction).
func prepareNotes(app core.App, userIds []string, ev notify.Event, data map[string]any) []*note {
	col, err := app.FindCachedCollectionByNameOrId("notifications")
	if err != nil {
		app.Logger().Error("notifications collection missing", "error", err)
		return nil
	}
	notes := make([]*note, 0, len(userIds))
	for _, id := range userIds {
		u, err := loadContact(app, id)
		if err != nil {
			app.Logger().Error("failed to notify an unknown user", "kind", ev.Kind, "user", id, "error", err)
			continue
		}
		to, loc := u.recipient(app)
		msg, err := notify.Render(ev, to)
		if err != nil {
			app.Logger().Error("failed to render a notification", "kind", ev.Kind, "user", id, "error", err)
			continue
		}
		n := core.NewRecord(col)
		n.Load(map[string]any{"user": id, "kind": ev.Kind, "title": msg.Title, "body": msg.Text,
			"html": msg.HTML, "short": msg.Short, "data": data})
		notes = append(notes, &note{to: u, loc: loc, rec: n})
	}
	return notes
}

// writeNotes writes notes (each notification with its deliveries) in one
// transaction; if that fails, each note alone, so one bad note loses no
// other.
func writeNotes(app core.App, notes []*note) {
	if len(notes) == 0 {
		return
	}
	now := time.Now()
	err := app.RunInTransaction(func(tx core.App) error {
		for _, n := range notes {
			if err := saveNote(tx, n, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil || len(notes) == 1 {
		if err != nil {
			app.Logger().Error("failed to save a notification", "user", notes[0].to.Id, "error", err)
		}
		return
	}
	for _, n := range notes {
		n.rec.MarkAsNew()
		writeNotes(app, []*note{n})
	}
}

// saveNote writes a notification and queues its deliveries in tx.
func saveNote(tx core.App, n *note, now time.Time) error {
	if err := tx.SaveNoValidate(n.rec); err != nil { // built here, valid by construction
		return err
	}
	return queueDeliveries(tx, n.to, n.rec, n.loc, now)
}

// contact is what notifying a user needs of them: read with one narrow
// query (a whole users record costs several times more, on every booking).
type contact struct {
	Id         string `db:"id"`
	Name       string `db:"name"`
	Email      string `db:"email"`
	Locale     string `db:"locale"`
	Timezone   string `db:"timezone"`
	Notify     string `db:"notify"`
	QuietStart string `db:"quiet_start"`
	QuietEnd   string `db:"quiet_end"`
	Phone      string `db:"phone"`
	PhoneOK    bool   `db:"phone_verified"`   // SMS and WhatsApp go only to a proven number
	Telegram   string `db:"telegram_chat_id"` // set only by the school's bot (hooks/contacts.go)
}

func loadContact(app core.App, id string) (*contact, error) {
	var c contact
	err := app.DB().Select("id", "name", "email", "locale", "timezone", "COALESCE(notify, '') AS notify", "quiet_start", "quiet_end",
		"phone", "phone_verified", "telegram_chat_id").From("users").Where(dbx.HashExp{"id": id}).Limit(1).One(&c)
	return &c, err
}

func (u *contact) recipient(app core.App) (notify.Recipient, *time.Location) {
	loc, err := Location(app, u.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return notify.Recipient{Name: u.Name, Locale: u.Locale, Location: loc}, loc
}

// bookingNotes renders the notifications of a booking change: the student
// always hears (of their own actions too: what they booked, moved or
// cancelled, in their inbox and channels), the tutor unless they acted
// themselves; both when the school acts (actor ""). old is the booking a
// reschedule replaces; a series' booking_created lists all its lessons.
func bookingNotes(app core.App, b *core.Record, old *core.Record, kind, actor string) []*note {
	var to []string
	student := b.GetString("student")
	for _, u := range []string{student, b.GetString("tutor_user")} {
		if u != "" && (u != actor || u == student) && !slices.Contains(to, u) {
			to = append(to, u)
		}
	}
	if len(to) == 0 {
		return nil
	}
	ev := LessonEvent(app, b, kind)
	if old != nil {
		ev.OldStart = old.GetDateTime("start").Time()
	}
	if kind == EventBookingCreated && b.GetString("series") != "" {
		ev.Lessons = seriesLessons(app, b)
	}
	return prepareNotes(app, to, ev, map[string]any{"booking": b.Id})
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
		Pending:     b.GetString("status") == StatusPending,
		Link:        app.Settings().Meta.AppURL + "/lessons/" + b.Id,
	}
	if b.GetString("status") == StatusConfirmed {
		ev.JoinURL = b.GetString("meeting_url")
	}
	if s := b.GetString("subject"); s != "" {
		ev.Subject, _ = cached(app, subjectCacheKey, s, func() (name string, err error) {
			err = app.DB().Select("name").From("subjects").Where(dbx.HashExp{"id": s}).Row(&name)
			return name, err
		})
	}
	return ev
}
