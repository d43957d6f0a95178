package hooks

import (
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/routine"
)

const backgroundStoreKey = "tutorbase.background"

// background runs work that follows a committed change but need not delay
// its answer (notifying the other party), in a goroutine that survives a
// panic. The app waits for running work when it stops (OnTerminate, which
// serve fires on SIGTERM and tests fire on cleanup).
func background(app core.App, work func(app core.App)) {
	wg := app.Store().GetOrSet(backgroundStoreKey, func() any { return &sync.WaitGroup{} }).(*sync.WaitGroup)
	wg.Add(1)
	routine.FireAndForget(func() {
		defer wg.Done()
		work(app)
	})
}

func registerBackground(app core.App) {
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		if wg, ok := e.App.Store().Get(backgroundStoreKey).(*sync.WaitGroup); ok {
			done := make(chan struct{})
			go func() { wg.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				e.App.Logger().Warn("stopping with background work still running")
			}
		}
		return e.Next()
	})
}
