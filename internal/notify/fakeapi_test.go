package notify

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
)

// recorded is one request a fake API received.
type recorded struct {
	Method, Path, ContentType string
	User, Pass                string
	HasAuth                   bool
	Form                      url.Values
	JSON                      map[string]any
}

// fakeAPI is an httptest.Server that records requests and answers each
// with status and body.
type fakeAPI struct {
	*httptest.Server
	mu       sync.Mutex
	requests []recorded
}

// newFakeAPI starts a fake answering status and body to every request.
func newFakeAPI(t *testing.T, status int, body string) *fakeAPI {
	t.Helper()
	f := &fakeAPI{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		rec := recorded{Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type")}
		rec.User, rec.Pass, rec.HasAuth = r.BasicAuth()
		switch rec.ContentType {
		case "application/x-www-form-urlencoded":
			rec.Form, _ = url.ParseQuery(string(raw))
		case "application/json":
			_ = json.Unmarshal(raw, &rec.JSON)
		}
		f.mu.Lock()
		f.requests = append(f.requests, rec)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(f.Close)
	return f
}

// only returns the single request received, failing the test otherwise.
func (f *fakeAPI) only(t *testing.T) recorded {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) != 1 {
		t.Fatalf("fake API got %d requests, want 1", len(f.requests))
	}
	return f.requests[0]
}

// closedURL is the base URL of a server that no longer listens.
func closedURL(t *testing.T) string {
	t.Helper()
	s := httptest.NewServer(http.NotFoundHandler())
	u := s.URL
	s.Close()
	return u
}

// count is how many requests the fake received.
func (f *fakeAPI) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}
