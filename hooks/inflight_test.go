package hooks_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"tutorbase/hooks"
	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/limits"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// answer is one HTTP answer, read without failing the test (goroutines).
type answer struct {
	status     int
	retryAfter string
	body       string
	err        error
}

func get(srv *httptest.Server, path, token string, header ...string) answer {
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		return answer{err: err}
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return answer{status: res.StatusCode, retryAfter: res.Header.Get("Retry-After"), body: string(b), err: err}
}

// holder keeps list requests in flight: the first n lists of a collection
// by a caller ("" for visitors) wait in OnRecordsListRequest (after their
// query, inside the request) until release is closed; later ones pass.
type holder struct {
	mu      sync.Mutex
	left    map[string]int
	entered chan string
	release chan struct{}
	once    sync.Once
}

// free lets the held requests go (once).
func (h *holder) free() { h.once.Do(func() { close(h.release) }) }

func holdLists(app *tests.TestApp, budgets map[string]int) *holder {
	h := &holder{left: budgets, entered: make(chan string, 64), release: make(chan struct{})}
	app.OnRecordsListRequest().BindFunc(func(e *core.RecordsListRequestEvent) error {
		key := e.Collection.Name + "/"
		if e.Auth != nil {
			key += e.Auth.Id
		}
		h.mu.Lock()
		hold := h.left[key] > 0
		if hold {
			h.left[key]--
		}
		h.mu.Unlock()
		if hold {
			h.entered <- key
			<-h.release
		}
		return e.Next()
	})
	return h
}

// fill sends n list requests that the holder keeps, and waits until all
// are in flight; their answers arrive on the returned channel.
func (h *holder) fill(t *testing.T, srv *httptest.Server, path, token string, n int) <-chan answer {
	t.Helper()
	t.Cleanup(h.free) // before the server closes (cleanups run last first), even when the test fails
	out := make(chan answer, n)
	for range n {
		go func() { out <- get(srv, path, token) }()
	}
	for range n {
		select {
		case <-h.entered:
		case <-time.After(30 * time.Second): // liveness only: the requests never arrived
			t.Fatal("the held requests did not reach the list")
		}
	}
	return out
}

// all sends every path at once as token and returns the answers.
func all(srv *httptest.Server, token string, paths ...string) []answer {
	out := make([]answer, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() { defer wg.Done(); out[i] = get(srv, p, token) }()
	}
	wg.Wait()
	return out
}

func requireBusy(t *testing.T, answers []answer, paths []string) {
	t.Helper()
	for i, a := range answers {
		require.NoError(t, a.err)
		require.Equal(t, 429, a.status, "%s: %s", paths[i], a.body)
		require.Equal(t, limits.RetryAfterSeconds, a.retryAfter, paths[i])
		require.Contains(t, a.body, `"code":"too_many_in_flight"`, paths[i])
	}
}

// TestInFlightLimit: with a person's places all held by requests in
// flight, their next expensive requests (lists, slots, search, match,
// reports, exports) are refused at once with 429 and Retry-After, while
// other people, and that person's cheap requests, go on; once the held
// requests end the places are free again.
func TestInFlightLimit(t *testing.T) {
	t.Parallel()
	cfg := hookstest.Config
	cfg.MetricsToken = "scrape-me"
	app := cast.CloneWith(t, cfg)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	student, admin := cast.Users[hookstest.Student], cast.Users[hookstest.Admin]
	h := holdLists(app, map[string]int{"bookings/" + student: 4, "deliveries/" + admin: 4, "subjects/": 16})
	srv := hookstest.Serve(t, app)
	tutor2 := cast.Tutors[hookstest.Tutor2]
	from := time.Now().UTC().AddDate(0, 0, 2).Format(time.RFC3339)
	to := time.Now().UTC().AddDate(0, 0, 9).Format(time.RFC3339)
	slots := "/api/tutors/" + tutor2 + "/slots?minutes=60&from=" + from + "&to=" + to

	heldStudent := h.fill(t, srv, bookingsURL, cast.Tokens[hookstest.Student], 4)
	heldAdmin := h.fill(t, srv, "/api/collections/deliveries/records", cast.Tokens[hookstest.Admin], 4)
	heldGuests := h.fill(t, srv, "/api/collections/subjects/records", "", 16)

	studentPaths := []string{bookingsURL, bookingsURL + "?filter=status%3D%22confirmed%22", slots, "/api/search/tutors",
		"/api/search/packages", "/api/match?subject=mathematics", "/api/packages/popular", "/api/tutors/" + tutor2 + "/also-booked"}
	requireBusy(t, all(srv, cast.Tokens[hookstest.Student], studentPaths...), studentPaths)
	adminPaths := []string{"/api/reports/bookings", "/api/payouts/export.csv", "/api/collections/payments/records"}
	requireBusy(t, all(srv, cast.Tokens[hookstest.Admin], adminPaths...), adminPaths)
	guestPaths := []string{slots, "/api/search/tutors", "/api/collections/tutors/records", slots, "/api/match", "/api/search/packages", slots, slots}
	requireBusy(t, all(srv, "", guestPaths...), guestPaths)

	for _, a := range []answer{
		get(srv, bookingsURL, cast.Tokens[hookstest.Tutor]),                                                // another person
		get(srv, "/api/collections/bookings/records/"+cast.IDs["booking"], cast.Tokens[hookstest.Student]), // a view is cheap
		get(srv, slots, cast.Tokens[hookstest.Student2]),                                                   // a signed-in person on the visitors' IP
	} {
		require.NoError(t, a.err)
		require.Equal(t, 200, a.status, a.body)
	}

	h.free()
	for _, held := range []<-chan answer{heldStudent, heldAdmin, heldGuests} {
		for range cap(held) {
			a := <-held
			require.NoError(t, a.err)
			require.Equal(t, 200, a.status, a.body)
		}
	}
	for _, a := range all(srv, cast.Tokens[hookstest.Student], bookingsURL, bookingsURL, bookingsURL, slots) {
		require.Equal(t, 200, a.status, "the places are free again: %s", a.body)
	}
	m := get(srv, "/metrics", "Bearer scrape-me")
	require.Contains(t, m.body, "\ntutorbase_inflight_refused_total 19\n")
}

// TestInFlightLimitSpeaksTheCallersLanguage: the 429 is in the person's
// language.
func TestInFlightLimitSpeaksTheCallersLanguage(t *testing.T) {
	t.Parallel()
	cfg := hookstest.Config
	cfg.InFlight.PerGuest = 1
	app := cast.CloneWith(t, cfg)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	h := holdLists(app, map[string]int{"subjects/": 1})
	srv := hookstest.Serve(t, app)
	held := h.fill(t, srv, "/api/collections/subjects/records", "", 1)
	a := get(srv, "/api/search/tutors", "", "Accept-Language", "it-IT,it;q=0.9")
	require.Equal(t, 429, a.status, a.body)
	var body struct{ Message string }
	require.NoError(t, json.Unmarshal([]byte(a.body), &body))
	require.True(t, strings.HasPrefix(body.Message, "Hai troppe ricerche in corso"), body.Message)
	h.free()
	require.Equal(t, 200, (<-held).status)
}

// TestQueryOverBudget: a superuser (whom the filter bounds do not hold)
// runs a query far beyond the query timeout (three back-references over
// 300 rows of one actor: 300^3 row combinations, each checked against as
// many again, against a 1 s budget);
// it is stopped and answered 400 query_too_expensive in the caller's
// language instead of PocketBase's "Something went wrong", and counted.
func TestQueryOverBudget(t *testing.T) {
	t.Parallel()
	app, err := tests.NewTestAppWithConfig(core.BaseAppConfig{DataDir: cast.Dir, QueryTimeout: time.Second})
	require.NoError(t, err)
	defer app.Cleanup()
	cfg := hookstest.Config
	cfg.MetricsToken = "scrape-me"
	_, err = hooks.Register(app, hookstest.Env(cfg))
	require.NoError(t, err)
	hookstest.NoRateLimits(app)
	col, err := app.FindCachedCollectionByNameOrId("audit_log")
	require.NoError(t, err)
	for range 300 {
		r := core.NewRecord(col)
		r.Load(map[string]any{"actor": cast.Users[hookstest.Student], "action": "auth.signin", "ip": "127.0.0.1"})
		require.NoError(t, app.SaveWithContext(context.Background(), r))
	}
	srv := hookstest.Serve(t, app)
	deep := "actor" + strings.Repeat(".audit_log_via_actor.actor", 2) + `.audit_log_via_actor.id != ""`
	path := listURL("audit_log", map[string][]string{"filter": {deep}})

	for lang, want := range map[string]string{"it-IT,it;q=0.9": "Questa ricerca ha richiesto troppo tempo", "": "This search took too long"} {
		a := get(srv, path, cast.Tokens[hookstest.Superuser], "Accept-Language", lang)
		require.NoError(t, a.err)
		require.Equal(t, 400, a.status, a.body)
		require.Contains(t, a.body, `"query":{"code":"query_too_expensive"`)
		require.Contains(t, a.body, `"message":"`+want)
	}
	m := get(srv, "/metrics", "Bearer scrape-me")
	require.Contains(t, m.body, "\ntutorbase_query_too_expensive_total 2\n")
}
