package hooks

import (
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/routine"
)

// notesBatch is the most notifications the writer puts in one transaction,
// and notesLinger how long it waits for more once it has one: under load a
// commit then carries dozens of notes instead of one or two.
const (
	notesBatch  = 64
	notesLinger = 20 * time.Millisecond
)

const notifierStoreKey = "tutorbase.notifier"

// notifier writes the notifications that follow a committed change after
// its answer has gone: a single goroutine takes the queued work, renders it
// outside any transaction and writes up to notesBatch notes per
// transaction, gathered for at most notesLinger, so a burst of bookings
// costs a few writes instead of one each. The app drains the queue when it stops (OnTerminate: SIGTERM in
// serve, cleanup in tests). A crash loses at most the queued notifications,
// never the changes themselves, which are committed before they queue.
type notifier struct {
	jobs chan func(core.App) []*note
	done sync.WaitGroup
}

// notifyLater queues build (which reads and renders the notes) for the
// writer. With a full queue the caller writes them itself.
func notifyLater(app core.App, build func(core.App) []*note) {
	n := app.Store().GetOrSet(notifierStoreKey, func() any { return startNotifier(app) }).(*notifier)
	select {
	case n.jobs <- build:
	default:
		writeNotes(app, build(app))
	}
}

func startNotifier(app core.App) *notifier {
	n := &notifier{jobs: make(chan func(core.App) []*note, 4096)}
	n.done.Add(1)
	routine.FireAndForget(func() {
		defer n.done.Done()
		for job := range n.jobs {
			notes := job(app)
			linger := time.NewTimer(notesLinger)
			for more := true; more && len(notes) < notesBatch; {
				select {
				case next, ok := <-n.jobs:
					if !ok {
						more = false
						break
					}
					notes = append(notes, next(app)...)
				case <-linger.C:
					more = false
				}
			}
			linger.Stop()
			writeNotes(app, notes)
		}
	})
	return n
}

func registerNotifier(app core.App) {
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		if n, ok := e.App.Store().Get(notifierStoreKey).(*notifier); ok {
			e.App.Store().Remove(notifierStoreKey)
			close(n.jobs)
			drained := make(chan struct{})
			go func() { n.done.Wait(); close(drained) }()
			select {
			case <-drained:
			case <-time.After(10 * time.Second):
				e.App.Logger().Warn("stopping with notifications still queued")
			}
		}
		return e.Next()
	})
}
