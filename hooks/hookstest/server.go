package hookstest

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
)

// Serve starts a real HTTP server on loopback for app, with the routes and
// middlewares of `serve` (OnServe is triggered as by apis.Serve), for tests
// that need a sequence of requests on one app, concurrency or a streaming
// client. The rate limiter stays as the settings say; tests that hammer an
// endpoint turn it off with NoRateLimits.
func Serve(t testing.TB, app *tests.TestApp) *httptest.Server {
	t.Helper()
	return ServeOn(t, app, nil)
}

// ServeOn is Serve on a listener opened before the app was built (for a
// configuration that names the server's own address); nil opens one.
func ServeOn(t testing.TB, app *tests.TestApp, ln net.Listener) *httptest.Server {
	t.Helper()
	router, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	var handler http.Handler
	se := &core.ServeEvent{App: app, Router: router}
	err = app.OnServe().Trigger(se, func(e *core.ServeEvent) error {
		mux, err := e.Router.BuildMux()
		handler = mux
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(handler)
	if ln != nil {
		srv.Listener.Close()
		srv.Listener = ln
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// NoRateLimits switches PocketBase's limiter off for app (in memory only).
func NoRateLimits(app core.App) { app.Settings().RateLimits.Enabled = false }

// Response is a decoded JSON answer.
type Response struct {
	Status int
	Body   []byte
}

// JSON decodes the body into a map (nil when it is not an object).
func (r Response) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// Call sends one JSON request to srv with an optional auth token.
func Call(t testing.TB, srv *httptest.Server, method, path, token string, body any) Response {
	t.Helper()
	return CallWith(t, srv, method, path, token, body, nil)
}

// CallWith is Call with extra request headers.
func CallWith(t testing.TB, srv *httptest.Server, method, path, token string, body any, headers map[string]string) Response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Response{Status: res.StatusCode, Body: data}
}

// Fire sends n identical requests at the same moment and returns their
// answers in no particular order.
func Fire(t testing.TB, srv *httptest.Server, n int, method, path, token string, body any) []Response {
	t.Helper()
	if tr, ok := srv.Client().Transport.(*http.Transport); ok && tr.MaxIdleConnsPerHost < n {
		tr.MaxIdleConnsPerHost = n
	}
	out := make([]Response, n)
	Together(n, func(i int) { out[i] = Call(t, srv, method, path, token, body) })
	return out
}

// Together runs f(0) … f(n-1) in n goroutines released at one gate, so
// they start at the same moment, and returns when all are done.
func Together(n int, f func(i int)) {
	var ready, done sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-gate
			f(i)
		}()
	}
	ready.Wait()
	close(gate)
	done.Wait()
}

// Statuses counts the answers by status code.
func Statuses(rs []Response) map[int]int {
	out := map[int]int{}
	for _, r := range rs {
		out[r.Status]++
	}
	return out
}
