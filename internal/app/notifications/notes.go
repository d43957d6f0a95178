package notifications

import (
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Notify tells each user about ev: an in-app notification rendered in their
// language and time zone (delivered live through realtime), and one queued
// delivery per other channel they want (email, SMS, WhatsApp, Telegram),
// due at once or when their quiet hours end. The notification and its
// deliveries are written together (pass a transaction to tie them to the
// change that caused them); the dispatcher job sends the deliveries. It
// never fails the change that caused it: problems are logged.
func (s *Service) Notify(app core.App, userIds []string, ev notify.Event, data map[string]any) {
	s.Write(app, s.Prepare(app, userIds, ev, data))
}

// Note is a notification ready to be written: its recipient and its
// rendered record.
type Note struct {
	to  *contact
	loc *time.Location
	rec *core.Record
}

// Prepare reads the recipients and renders ev for each, writing nothing
// (so a batch can be rendered outside the write transaction).
func (s *Service) Prepare(app core.App, userIds []string, ev notify.Event, data map[string]any) []*Note {
	col, err := app.FindCachedCollectionByNameOrId("notifications")
	if err != nil {
		app.Logger().Error("notifications collection missing", "error", err)
		return nil
	}
	notes := make([]*Note, 0, len(userIds))
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
			"html": msg.HTML, "short": msg.Short, "app": msg.App, "data": data})
		notes = append(notes, &Note{to: u, loc: loc, rec: n})
	}
	return notes
}

// Write writes notes (each notification with its deliveries) in one
// transaction; if that fails, each note alone, so one bad note loses no
// other.
func (s *Service) Write(app core.App, notes []*Note) {
	if len(notes) == 0 {
		return
	}
	now := s.env.Now()
	err := app.RunInTransaction(func(tx core.App) error {
		for _, n := range notes {
			if err := s.Save(tx, n, now); err != nil {
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
		n.Retry()
		s.Write(app, []*Note{n})
	}
}

// Save writes a notification and queues its deliveries in tx.
func (s *Service) Save(tx core.App, n *Note, now time.Time) error {
	if err := tx.SaveNoValidate(n.rec); err != nil { // built here, valid by construction
		return err
	}
	return s.queueDeliveries(tx, n.to, n.rec, n.loc, now)
}

// Retry readies a note whose transaction rolled back to be written again.
func (n *Note) Retry() { n.rec.MarkAsNew() }

// contact is what notifying a user needs of them: read with one narrow
// query (a whole users record costs several times more, on every booking).
type contact struct {
	Id         string   `db:"id"`
	Name       string   `db:"name"`
	Email      string   `db:"email"`
	Locale     string   `db:"locale"`
	Timezone   string   `db:"timezone"`
	Notify     string   `db:"notify"`
	QuietStart string   `db:"quiet_start"`
	QuietEnd   string   `db:"quiet_end"`
	Phone      string   `db:"phone"`
	PhoneOK    bool     `db:"phone_verified"`   // SMS and WhatsApp go only to a proven number
	Telegram   string   `db:"telegram_chat_id"` // set only by the school's bot (contacts.go)
	Devices    []string `db:"-"`                // push endpoints of the devices where push is on (push.go)
}

func loadContact(app core.App, id string) (*contact, error) {
	var c contact
	err := app.DB().Select("id", "name", "email", "locale", "timezone", "COALESCE(notify, '') AS notify", "quiet_start", "quiet_end",
		"phone", "phone_verified", "telegram_chat_id").From("users").Where(dbx.HashExp{"id": id}).Limit(1).One(&c)
	if err != nil {
		return &c, err
	}
	c.Devices, err = devicesOf(app, id)
	return &c, err
}

func (u *contact) recipient(app core.App) (notify.Recipient, *time.Location) {
	loc, err := platform.Location(app, u.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return notify.Recipient{Name: u.Name, Locale: u.Locale, Location: loc}, loc
}

// reach is u as the channels see them.
func (u *contact) reach() notify.Contact {
	return notify.Contact{ID: u.Id, Name: u.Name, Email: u.Email, Phone: u.Phone, PhoneProven: u.PhoneOK, TelegramChat: u.Telegram, Devices: u.Devices}
}

// ID is the notification's record id (set once it is saved).
func (n *Note) ID() string { return n.rec.Id }
