package ops

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"tutorbase/internal/config"

	"github.com/getsentry/sentry-go"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// Reporter sends server errors (5xx answers, panics, failed and panicking
// jobs) to a Sentry-compatible service when SENTRY_DSN is set, through the
// official sentry-go client. What it sends is scrubbed: no request body,
// query, headers, cookies or user; configured secrets, emails, tokens and
// password-like values are cut out of every text. Each event carries the
// release, the environment and, for a request, its request id and route.
// A nil client (no DSN) makes every method a no-op.
type Reporter struct {
	client  *sentry.Client
	secrets []string
}

// newReporter is the reporter of cfg (off without a DSN).
func newReporter(cfg config.Config) (*Reporter, error) {
	r := &Reporter{secrets: cfg.Secrets()}
	if !cfg.Sentry.Enabled() {
		return r, nil
	}
	client, err := sentry.NewClient(sentry.ClientOptions{
		Dsn:         cfg.Sentry.DSN,
		Release:     cfg.Sentry.Release,
		Environment: cfg.Sentry.Environment,
		BeforeSend:  r.beforeSend,
		// a breadcrumb could carry anything; none are recorded
		BeforeBreadcrumb: func(*sentry.Breadcrumb, *sentry.BreadcrumbHint) *sentry.Breadcrumb { return nil },
		MaxBreadcrumbs:   -1,
	})
	if err != nil {
		return r, fmt.Errorf("error reporting is off: %w", err)
	}
	r.client = client
	return r, nil
}

// Enabled reports whether errors are sent.
func (r *Reporter) Enabled() bool { return r != nil && r.client != nil }

// Flush waits up to timeout for the events not sent yet.
func (r *Reporter) Flush(timeout time.Duration) bool {
	if !r.Enabled() {
		return true
	}
	return r.client.Flush(timeout)
}

// Request reports a 5xx answer (or a recovered panic, with its stack) of
// request e: method, route pattern and path only.
func (r *Reporter) Request(e *core.RequestEvent, requestID, route string, status int, err error, stack *sentry.Stacktrace) {
	if !r.Enabled() {
		return
	}
	ev := r.client.EventFromException(causeOf(err), sentry.LevelError)
	if stack != nil && len(ev.Exception) > 0 {
		ev.Exception[len(ev.Exception)-1].Stacktrace = stack
		ev.Exception[len(ev.Exception)-1].Mechanism = &sentry.Mechanism{Type: "panic", Handled: new(false)}
		ev.Level = sentry.LevelFatal
	}
	ev.Request = &sentry.Request{Method: e.Request.Method, URL: e.Request.URL.Path}
	ev.Tags = map[string]string{"request_id": requestID, "route": route, "status": fmt.Sprint(status), "kind": "request"}
	ev.Fingerprint = []string{"request", e.Request.Method, route, "{{ default }}"}
	r.client.CaptureEvent(ev, nil, nil)
}

// Job reports a failed (or, with a stack, panicking) run of job.
func (r *Reporter) Job(job string, err error, stack *sentry.Stacktrace) {
	if !r.Enabled() {
		return
	}
	ev := r.client.EventFromException(err, sentry.LevelError)
	if stack != nil && len(ev.Exception) > 0 {
		ev.Exception[len(ev.Exception)-1].Stacktrace = stack
		ev.Exception[len(ev.Exception)-1].Mechanism = &sentry.Mechanism{Type: "panic", Handled: new(false)}
	}
	ev.Tags = map[string]string{"job": job, "kind": "job"}
	ev.Fingerprint = []string{"job", job, "{{ default }}"}
	r.client.CaptureEvent(ev, nil, nil)
}

// causeOf is the error behind a PocketBase API error (whose message is the
// client's generic "Something went wrong").
func causeOf(err error) error {
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		if raw, ok := apiErr.RawData().(error); ok && raw != nil {
			return raw
		}
	}
	return err
}

// beforeSend scrubs every event before it leaves: no user, no request
// beyond method and path, no server name, and every text through scrub.
func (r *Reporter) beforeSend(ev *sentry.Event, _ *sentry.EventHint) *sentry.Event {
	ev.User = sentry.User{}
	ev.ServerName = ""
	ev.Breadcrumbs = nil
	if ev.Request != nil {
		ev.Request = &sentry.Request{Method: ev.Request.Method, URL: r.scrub(ev.Request.URL)}
	}
	ev.Message = r.scrub(ev.Message)
	for i := range ev.Exception {
		ev.Exception[i].Value = r.scrub(ev.Exception[i].Value)
	}
	for k, v := range ev.Tags {
		ev.Tags[k] = r.scrub(v)
	}
	return ev
}

var (
	scrubEmail  = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
	scrubJWT    = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)
	scrubBearer = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+`)
	scrubKeyed  = regexp.MustCompile(`(?i)\b([a-z_]*(?:password|passwd|secret|token|api_?key|auth|signature|otp|code)[a-z_]*)(["']?\s*[:=]\s*["']?)[^\s"'&,;]+`)
	scrubKeys   = regexp.MustCompile(`\b(?:sk|rk|pk|whsec)_(?:live_|test_)?[A-Za-z0-9]{8,}\b`)
	scrubQuery  = regexp.MustCompile(`\?[A-Za-z0-9_.-]+=[^\s"']*`)
)

// scrub cuts secrets and personal data out of s.
func (r *Reporter) scrub(s string) string {
	for _, secret := range r.secrets {
		s = strings.ReplaceAll(s, secret, "[secret]")
	}
	s = scrubJWT.ReplaceAllString(s, "[token]")
	s = scrubBearer.ReplaceAllString(s, "$1 [token]")
	s = scrubKeys.ReplaceAllString(s, "[secret]")
	s = scrubKeyed.ReplaceAllString(s, "$1$2[redacted]")
	s = scrubEmail.ReplaceAllString(s, "[email]")
	s = scrubQuery.ReplaceAllString(s, "?[query]")
	return s
}
