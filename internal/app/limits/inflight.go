package limits

import (
	"net/http"
	"strings"
	"sync"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/msg"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// RetryAfterSeconds is the Retry-After of a request refused for having too
// many in flight: the expensive routes answer in milliseconds, or at worst
// in one query timeout.
const RetryAfterSeconds = "1"

// inflight counts each person's expensive requests in flight: per signed-in
// account, per IP for visitors. A limit of 0 is no limit.
type inflight struct {
	perUser, perGuest int

	mu    sync.Mutex
	count map[string]int
}

func newInflight(perUser, perGuest int) *inflight {
	return &inflight{perUser: perUser, perGuest: perGuest, count: map[string]int{}}
}

// acquire takes one of key's limit places; ok is false when all are taken.
// release gives the place back (call it once).
func (f *inflight) acquire(key string, limit int) (release func(), ok bool) {
	if limit <= 0 {
		return func() {}, true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.count[key] >= limit {
		return nil, false
	}
	f.count[key]++
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.count[key]--; f.count[key] <= 0 {
			delete(f.count, key)
		}
	}, true
}

// enter takes a place for e's caller, or answers 429 with Retry-After.
func (c *Service) enter(e *core.RequestEvent) (func(), error) {
	key, limit := "ip:"+e.RealIP(), c.inflight.perGuest
	if e.Auth != nil {
		key, limit = e.Auth.Collection().Id+":"+e.Auth.Id, c.inflight.perUser
	}
	release, ok := c.inflight.acquire(key, limit)
	if ok {
		return release, nil
	}
	c.inflightRefused.Add(1)
	e.Response.Header().Set("Retry-After", RetryAfterSeconds)
	text := msg.Text(platform.RequestLang(e), CodeTooManyInFlight, nil)
	return nil, apis.NewTooManyRequestsError(text, validation.Errors{"request": validation.NewError(CodeTooManyInFlight, text)})
}

// expensiveRoute reports whether a request is one of the routes whose cost
// grows with the data: record lists, slots, search, match and its
// neighbours, reports and exports.
func expensiveRoute(method, path string) bool {
	if method != http.MethodGet {
		return false
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 || parts[0] != "api" {
		return false
	}
	switch parts[1] {
	case "collections": // /api/collections/{c}/records
		return len(parts) == 4 && parts[3] == "records"
	case "tutors": // /api/tutors/{id}/slots, /api/tutors/{id}/also-booked
		return len(parts) == 4 && (parts[3] == "slots" || parts[3] == "also-booked")
	case "search", "reports":
		return len(parts) == 3
	case "match":
		return len(parts) == 2
	case "packages":
		return len(parts) == 3 && parts[2] == "popular"
	case "payouts":
		return len(parts) == 3 && parts[2] == "export.csv"
	}
	return false
}
