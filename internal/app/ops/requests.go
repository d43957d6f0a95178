package ops

import (
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
)

// Observe is the middleware that gives every request its id
// (RequestIDHeader), counts every answer by route pattern and status
// class, times it, and counts SQLite busy errors. Bind it first, so it
// sees the answers the other middleware refuse.
func (s *Service) Observe() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "tutorbaseObserve",
		Func: func(e *core.RequestEvent) error {
			began := time.Now() // a duration, not an instant of the school's clock
			requestID(e)
			err := e.Next()
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
			return err
		},
	}
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
