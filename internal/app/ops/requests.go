package ops

import (
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
)

// Observe is the middleware that gives every request its id
// (RequestIDHeader), counts every answer by route pattern and status
// class, times it, counts SQLite busy errors, and reports 5xx answers and
// panics (SENTRY_DSN). Bind it first, so it sees the answers the other
// middleware refuse.
func (s *Service) Observe() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "tutorbaseObserve",
		Func: func(e *core.RequestEvent) error {
			began := time.Now() // a duration, not an instant of the school's clock
			id := requestID(e)
			stack, panicked, err := nextRecovered(e)
			status := e.Status()
			if err != nil && !e.Written() {
				status = router.ToApiError(err).Status
			}
			if err != nil && isBusy(err) {
				s.metrics.busy.Inc()
			}
			route := routeOf(e)
			s.metrics.requests.WithLabelValues(route, fmt.Sprintf("%dxx", status/100)).Inc()
			if route != "/api/realtime" { // a stream open for as long as the page is
				s.metrics.latency.WithLabelValues(route).Observe(time.Since(began).Seconds())
			}
			// 503 is an answer by design (readiness), not a failure to report
			if status >= http.StatusInternalServerError && status != http.StatusServiceUnavailable {
				report := err
				switch {
				case panicked != nil:
					report = panicked
				case err == nil:
					report = fmt.Errorf("%s %s answered %d", e.Request.Method, route, status)
				}
				s.Errors.Request(e, id, route, status, report, stack)
			}
			return err
		},
	}
}

// nextRecovered runs the rest of the chain and turns a panic into the 500
// PocketBase's own recovery would answer (same message, the stack in the
// log), returning the panic and its stack for the error report too.
// http.ErrAbortHandler goes on up, as PocketBase lets it.
func nextRecovered(e *core.RequestEvent) (stack *sentry.Stacktrace, panicked, err error) {
	defer func() {
		rec := recover()
		if rec == nil {
			return
		}
		recErr, ok := rec.(error)
		if !ok {
			recErr = fmt.Errorf("%v", rec)
		} else if errors.Is(recErr, http.ErrAbortHandler) {
			panic(rec)
		}
		panicked, stack = recErr, sentry.NewStacktrace()
		buf := make([]byte, 2<<10)
		buf = buf[:runtime.Stack(buf, false)]
		err = e.InternalServerError("", fmt.Errorf("[PANIC RECOVER] %w %s", recErr, buf))
	}()
	return nil, nil, e.Next()
}

// routeOf is the route pattern that matched the request ("/api/bookings/{id}/cancel"),
// without its method: a bounded label. Requests no route matched (PocketBase's
// "/" fallback answers them 404) are "unmatched".
func routeOf(e *core.RequestEvent) string {
	p := e.Request.Pattern
	if _, path, ok := strings.Cut(p, " "); ok {
		p = path
	}
	if p == "" || p == "/" {
		return "unmatched"
	}
	return p
}

// isBusy reports whether err is SQLite's busy or locked error.
func isBusy(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked") ||
		strings.Contains(msg, "SQLITE_LOCKED")
}
