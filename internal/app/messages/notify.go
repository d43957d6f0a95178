package messages

import (
	"slices"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Unread notifications: a message unread for unreadAfter is told by the
// person's channels, at most once per thread per notifyGap; threads
// quiet for longer than lookBack are not looked at.
const (
	unreadAfter = 10 * time.Minute
	notifyGap   = time.Hour
	lookBack    = 7 * 24 * time.Hour
)

// link is the web app's page of thread.
func link(app core.App, thread string) string {
	return app.Settings().Meta.AppURL + "/messages/" + thread
}

// tellStaff tells the admins that thread was reported.
func (s *Service) tellStaff(app core.App, thread *core.Record) {
	var admins []string
	if err := app.DB().Select("id").From("users").Where(dbx.HashExp{"role": platform.RoleAdmin}).Column(&admins); err != nil {
		app.Logger().Error("failed to find the admins to tell of a report", "error", err)
		return
	}
	who, err := platform.LoadPerson(app, thread.GetString("reported_by"))
	if err != nil {
		app.Logger().Error("failed to name who reported a thread", "error", err)
		return
	}
	s.notes.Notify(app, admins, notify.Event{Kind: notify.KindThreadReported, OtherParty: who.Name,
		Reason: thread.GetString("report_reason"), Link: link(app, thread.Id)}, map[string]any{"thread": thread.Id})
}

// unreadMessage is the first message a reader has not read.
type unreadMessage struct {
	AuthorName string         `db:"author_name"`
	Created    types.DateTime `db:"created"`
}

// NotifyUnread is the job (every minute) that tells each reader of a
// thread about a message of someone else they have not read for ten
// minutes: an in-app notification and one delivery per channel they want
// (their quiet hours hold the deliveries back), at most once an hour per
// thread, and never twice about the same message. Each telling is a
// compare-and-set of the reader's notified_at, so runs at once tell once.
func (s *Service) NotifyUnread(app core.App, now time.Time) error {
	threads, err := app.FindRecordsByFilter("threads", "last_message_at >= {:since}", "-last_message_at", 500, 0,
		dbx.Params{"since": platform.DBTime(now.Add(-lookBack))})
	if err != nil {
		return err
	}
	for _, thread := range threads {
		readers, err := s.noticed(app, thread)
		if err != nil {
			return err
		}
		for _, user := range readers {
			if err := s.tellUnread(app, thread, user, now); err != nil {
				app.Logger().Error("failed to tell of an unread message", "thread", thread.Id, "user", user, "error", err)
			}
		}
	}
	return nil
}

// noticed is who is told about thread's unread messages: its
// participants and the guardians of its student who did not mute notices.
func (s *Service) noticed(app core.App, thread *core.Record) ([]string, error) {
	out := slices.Clone(thread.GetStringSlice("participants"))
	if st := thread.GetString("student"); st != "" {
		gs, err := platform.NoticedGuardians(app, st)
		if err != nil {
			return nil, err
		}
		out = append(out, gs...)
	}
	return out, nil
}

const firstUnreadQuery = `SELECT m.author_name, m.created FROM messages m
WHERE m.thread = {:t} AND m.author != {:u} AND m.deleted = 0 AND m.created <= {:cutoff}
  AND m.created > COALESCE((SELECT MAX(r.last_read, r.notified_at) FROM thread_reads r WHERE r.thread = {:t} AND r.user = {:u}), '')
ORDER BY m.created LIMIT 1`

// tellUnread tells user about thread's first message they have not read
// (nor been told about) for ten minutes, unless they were told within the
// hour.
func (s *Service) tellUnread(app core.App, thread *core.Record, user string, now time.Time) error {
	return app.RunInTransaction(func(tx core.App) error {
		var m unreadMessage
		err := tx.DB().NewQuery(firstUnreadQuery).Bind(dbx.Params{"t": thread.Id, "u": user,
			"cutoff": platform.DBTime(now.Add(-unreadAfter))}).One(&m)
		if err != nil {
			return nil // nothing unread for long enough
		}
		r, err := tx.FindFirstRecordByFilter("thread_reads", "thread = {:t} && user = {:u}", dbx.Params{"t": thread.Id, "u": user})
		if err != nil {
			col, err := tx.FindCachedCollectionByNameOrId("thread_reads")
			if err != nil {
				return err
			}
			r = core.NewRecord(col)
			r.Set("thread", thread.Id)
			r.Set("user", user)
		} else if last := r.GetDateTime("notified_at"); !last.IsZero() && now.Sub(last.Time()) < notifyGap {
			return nil
		}
		r.Set("notified_at", now.UTC())
		if err := tx.Save(r); err != nil {
			return err
		}
		s.notes.Notify(tx, []string{user}, notify.Event{Kind: notify.KindMessageUnread, OtherParty: m.AuthorName,
			Subject: thread.GetString("subject"), Link: link(tx, thread.Id)}, map[string]any{"thread": thread.Id})
		return nil
	})
}
