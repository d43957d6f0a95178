package booking

import (
	"database/sql"
	"errors"
	"sync"
	"time"

	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/platform"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/routine"
)

// The notifications of a booking change (created, confirmed, cancelled,
// rescheduled) are owed in the change's own transaction and written after
// its answer has gone:
//
//  1. RecordChange, inside the transaction of the change, adds a row to the
//     note_outbox table (who, what, which booking);
//  2. after the commit, notifyLater hands the event to the writer, a single
//     goroutine that renders outside any transaction and writes up to
//     notesBatch events' notifications per transaction, gathered for at
//     most notesLinger: under load a commit carries dozens of notes
//     instead of one or two;
//  3. the writer deletes each event's outbox row in the transaction that
//     writes its notifications, and writes nothing for a row already gone:
//     each event's notifications are written exactly once.
//
// A crash loses no notification: rows left by a stopped process are
// written by ReplayNoteOutbox (the tutorbase_notifications_owed job, every
// minute, for rows older than a minute). A change that rolls back leaves
// no row, so its queued event writes nothing.
const (
	notesBatch  = 64
	notesLinger = 20 * time.Millisecond
)

// BookingEvent is a booking change whose notifications are owed.
type BookingEvent struct {
	outbox       int64 // its note_outbox row
	booking, old *core.Record
	kind, actor  string
}

// RecordChange owes the notifications of a change of b (old: the booking
// it replaces, for a reschedule) by actor ("" for the school) in tx, the
// change's own transaction. Once tx commits, hand the event to notifyLater
// (requests) or WriteChanges (jobs).
func (s *Service) RecordChange(tx core.App, b, old *core.Record, kind, actor string) (*BookingEvent, error) {
	oldId := ""
	if old != nil {
		oldId = old.Id
	}
	res, err := tx.DB().Insert(migrations.NoteOutbox, dbx.Params{
		"booking": b.Id, "old": oldId, "kind": kind, "actor": actor, "created": platform.DBTime(s.env.Now()),
	}).Execute()
	if err != nil {
		return nil, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return nil, err
	}
	for _, observe := range s.observers {
		if err := observe(tx, b, old, kind); err != nil {
			return nil, err
		}
	}
	return &BookingEvent{outbox: id, booking: b, old: old, kind: kind, actor: actor}, nil
}

// ChangeObserver is told of every booking change (b, the booking it
// replaces for a reschedule, the kind) inside the change's transaction, so
// what it records commits or rolls back with the change (the Google
// Calendar outbox).
type ChangeObserver func(tx core.App, b, old *core.Record, kind string) error

// Observe adds an observer of booking changes; call it before serving.
func (s *Service) Observe(f ChangeObserver) { s.observers = append(s.observers, f) }

// notifier is the writer of the notifications owed by booking changes.
type notifier struct {
	mu     sync.RWMutex // guards closing events against offers
	closed bool
	events chan *BookingEvent
	done   sync.WaitGroup
}

// offer queues ev unless the queue is full or closed.
func (n *notifier) offer(ev *BookingEvent) bool {
	n.mu.RLock()
	defer n.mu.RUnlock()
	if n.closed {
		return false
	}
	select {
	case n.events <- ev:
		return true
	default:
		return false
	}
}

// stop closes the queue; the writer drains it and ends.
func (n *notifier) stop() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.closed = true
	close(n.events)
}

// notifyLater queues the events (recorded with RecordChange, committed) for
// the writer. With a full queue, or once the app stops, the caller writes
// them itself.
func (s *Service) notifyLater(app core.App, events ...*BookingEvent) {
	n := s.writer
	for _, ev := range events {
		if n == nil || !n.offer(ev) {
			s.writeEvents(app, []*BookingEvent{ev})
		}
	}
}

func (s *Service) startWriter(app core.App) *notifier {
	n := &notifier{events: make(chan *BookingEvent, 4096)}
	n.done.Add(1)
	routine.FireAndForget(func() {
		defer n.done.Done()
		for ev := range n.events {
			batch := []*BookingEvent{ev}
			linger := time.NewTimer(notesLinger)
			for more := true; more && len(batch) < notesBatch; {
				select {
				case next, ok := <-n.events:
					if !ok {
						more = false
						break
					}
					batch = append(batch, next)
				case <-linger.C:
					more = false
				}
			}
			linger.Stop()
			s.writeEvents(app, batch)
		}
	})
	return n
}

// WriteChanges writes the notifications owed by committed events now.
func (s *Service) WriteChanges(app core.App, events ...*BookingEvent) {
	for i := 0; i < len(events); i += notesBatch {
		s.writeEvents(app, events[i:min(i+notesBatch, len(events))])
	}
}

// writeEvents renders the events' notifications (outside any transaction)
// and writes them with their deliveries, deleting the events' outbox rows,
// in one transaction; if that fails, each event alone, so one bad event
// holds back no other. An event whose row is gone (written already, or its
// change rolled back) writes nothing.
func (s *Service) writeEvents(app core.App, events []*BookingEvent) {
	type owed struct {
		outbox int64
		notes  []*notifications.Note
	}
	all := make([]owed, len(events))
	for i, ev := range events {
		all[i] = owed{ev.outbox, s.bookingNotes(app, ev.booking, ev.old, ev.kind, ev.actor)}
	}
	write := func(batch []owed) error {
		now := s.env.Now()
		return app.RunInTransaction(func(tx core.App) error {
			for _, o := range batch {
				res, err := tx.DB().Delete(migrations.NoteOutbox, dbx.HashExp{"id": o.outbox}).Execute()
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 0 {
					continue
				}
				for _, n := range o.notes {
					if err := s.notes.Save(tx, n, now); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	err := write(all)
	if err == nil || len(all) == 1 {
		if err != nil {
			app.Logger().Error("failed to write a booking's notifications", "outbox", all[0].outbox, "error", err)
		}
		return
	}
	for _, o := range all {
		for _, n := range o.notes {
			n.Retry()
		}
		if err := write([]owed{o}); err != nil {
			app.Logger().Error("failed to write a booking's notifications", "outbox", o.outbox, "error", err)
		}
	}
}

// ReplayNoteOutbox writes the notifications still owed by booking changes
// recorded before `before`: those a stopped process never wrote, or whose
// write failed. Events still queued in this process are younger than
// `before` when it is a minute ago; and were one written twice, the second
// would find its row gone and write nothing.
func (s *Service) ReplayNoteOutbox(app core.App, before time.Time) error {
	var rows []struct {
		Id                        int64
		Booking, Old, Kind, Actor string
	}
	err := app.DB().Select("id", "booking", "old", "kind", "actor").From(migrations.NoteOutbox).
		Where(dbx.NewExp("created < {:before}", dbx.Params{"before": platform.DBTime(before)})).
		OrderBy("id").Limit(1000).All(&rows)
	if err != nil {
		return err
	}
	events := make([]*BookingEvent, 0, len(rows))
	for _, r := range rows {
		ev := &BookingEvent{outbox: r.Id, kind: r.Kind, actor: r.Actor}
		ev.booking, err = app.FindRecordById("bookings", r.Booking)
		if errors.Is(err, sql.ErrNoRows) {
			// the booking is gone (a superuser deleted it): nothing to tell
			if _, err := app.DB().Delete(migrations.NoteOutbox, dbx.HashExp{"id": r.Id}).Execute(); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if r.Old != "" {
			ev.old, _ = app.FindRecordById("bookings", r.Old)
		}
		events = append(events, ev)
	}
	s.WriteChanges(app, events...)
	return nil
}

// registerNotifier starts the writer on app itself (never on a
// transaction's app, which would not outlive it) and stops it, drained,
// when the app terminates.
func (s *Service) registerNotifier(app core.App) {
	s.writer = s.startWriter(app)
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		n := s.writer
		n.stop() // offers fail from now on: their callers write themselves
		drained := make(chan struct{})
		go func() { n.done.Wait(); close(drained) }()
		select {
		case <-drained:
		case <-time.After(10 * time.Second):
			e.App.Logger().Warn("stopping with notifications still queued; they are written after the next start")
		}
		return e.Next()
	})
}
