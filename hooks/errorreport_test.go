package hooks_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/config"
	"tutorbase/testkit/fakesentry"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// What a request carries that must never reach the error reports.
const (
	leakEmail    = "ana.rossi@example.com"
	leakPassword = "hunter2-Pw"
	leakQuery    = "q-secret-77"
	leakCookie   = "cookie-secret-88"
	leakSecret   = "metrics-token-secret-99" // a configured secret (TB_METRICS_TOKEN)
	leakJWT      = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6ImFiYyJ9.c2lnbmF0dXJl"
)

// TestErrorReports: with SENTRY_DSN set, a panicking route and a route
// answering 500 are sent to the Sentry-compatible service (here a stand-in
// reached through the production client: only the DSN's host changes) with
// the release, the environment, the request id, the route and, for the
// panic, the stack; the request's body, query, headers, cookies, the
// caller's token, emails, configured secrets and password-like values are
// not sent. A 4xx, and /api/ready's 503, are not reported. The client
// still gets PocketBase's 500.
func TestErrorReports(t *testing.T) {
	t.Parallel()
	sentry := fakesentry.New(t)
	cfg := hookstest.Config
	cfg.MetricsToken = leakSecret
	cfg.Sentry = config.Sentry{DSN: sentry.DSN(), Environment: "test-env", Release: "tutorbase@test-1"}
	app := cast.CloneWith(t, cfg)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/test/panic", func(e *core.RequestEvent) error {
			panic("boom for " + leakEmail + " with " + leakSecret + " and token=" + leakJWT)
		})
		se.Router.POST("/api/test/fail", func(e *core.RequestEvent) error {
			return e.InternalServerError("", errors.New("the database said no to "+leakEmail+" password="+leakPassword))
		})
		se.Router.POST("/api/test/refuse", func(e *core.RequestEvent) error {
			return e.BadRequestError("No.", nil)
		})
		return se.Next()
	})
	srv := hookstest.Serve(t, app)

	send := func(path string) (int, string, string) {
		body := `{"email":"` + leakEmail + `","password":"` + leakPassword + `"}`
		req, err := http.NewRequest(http.MethodPost, srv.URL+path+"?token="+leakQuery, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", cast.Tokens[hookstest.Student])
		req.Header.Set("Cookie", "pb_auth="+leakCookie)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("X-Request-Id"), string(b)
	}
	status, panicID, body := send("/api/test/panic")
	require.Equal(t, http.StatusInternalServerError, status, body)
	require.NotContains(t, body, leakEmail, "the client gets PocketBase's generic 500")
	status, failID, _ := send("/api/test/fail")
	require.Equal(t, http.StatusInternalServerError, status)
	status, _, _ = send("/api/test/refuse")
	require.Equal(t, http.StatusBadRequest, status)
	app.Cron().RemoveAll() // not ready: /api/ready answers 503, by design
	require.Equal(t, http.StatusServiceUnavailable, hookstest.Call(t, srv, http.MethodGet, "/api/ready", "", nil).Status)

	byID := waitEvents(t, sentry, 2)
	time.Sleep(200 * time.Millisecond) // nothing more arrives
	require.Len(t, sentry.Events(), 2, "the 400 and the readiness 503 are not reported")
	panicked, failed := byID[panicID], byID[failID]
	require.NotNil(t, panicked.JSON, "the panic's report carries its request id")
	require.NotNil(t, failed.JSON, "the 500's report carries its request id")

	for _, ev := range []fakesentry.Event{panicked, failed} {
		require.Equal(t, "tutorbase@test-1", ev.JSON["release"])
		require.Equal(t, "test-env", ev.JSON["environment"])
		require.Equal(t, "request", ev.Tag("kind"))
		require.Equal(t, "500", ev.Tag("status"))
		raw := string(ev.Raw)
		for _, leak := range []string{leakEmail, leakPassword, leakQuery, leakCookie, leakSecret, leakJWT,
			cast.Tokens[hookstest.Student], cast.Users[hookstest.Student], "ip_address"} {
			require.False(t, strings.Contains(raw, leak), "the report leaks %q", leak)
		}
		req, _ := ev.JSON["request"].(map[string]any)
		require.Equal(t, "POST", req["method"])
		require.NotContains(t, req, "data", "no body")
		require.NotContains(t, req, "headers")
		require.NotContains(t, req, "cookies")
		require.NotContains(t, req, "query_string")
		require.Empty(t, ev.JSON["user"])
	}
	require.Equal(t, "/api/test/panic", panicked.Tag("route"))
	require.Equal(t, "fatal", panicked.JSON["level"])
	exc := lastException(t, panicked)
	require.Equal(t, "boom for [email] with [secret] and token=[redacted]", exc["value"])
	frames := exc["stacktrace"].(map[string]any)["frames"].([]any)
	require.NotEmpty(t, frames, "a panic comes with its stack")
	require.Equal(t, "the database said no to [email] password=[redacted]", lastException(t, failed)["value"])
	res, err := getRaw(srv.URL+"/metrics", map[string]string{"Authorization": "Bearer " + leakSecret})
	require.NoError(t, err)
	require.Contains(t, string(res.body), `tutorbase_http_requests_total{code="5xx",route="/api/test/panic"} 1`,
		"a panic is counted as a 5xx too")
	for _, auth := range sentry.Auth() {
		require.Contains(t, auth, "sentry_key="+fakesentry.Key)
	}
}

// waitEvents waits until the stand-in has n events and returns them by
// their request id.
func waitEvents(t *testing.T, s *fakesentry.Server, n int) map[string]fakesentry.Event {
	t.Helper()
	require.Eventually(t, func() bool { return len(s.Events()) >= n }, 10*time.Second, 20*time.Millisecond,
		"events received: %d", len(s.Events()))
	out := map[string]fakesentry.Event{}
	for _, ev := range s.Events() {
		out[ev.Tag("request_id")] = ev
	}
	return out
}

// lastException is the outermost exception of the event (sentry-go lists
// the chain innermost first).
func lastException(t *testing.T, ev fakesentry.Event) map[string]any {
	t.Helper()
	values, _ := ev.JSON["exception"].([]any)
	if len(values) == 0 {
		t.Fatalf("no exception in %v", ev.JSON)
	}
	return values[len(values)-1].(map[string]any)
}
