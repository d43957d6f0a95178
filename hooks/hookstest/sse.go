package hookstest

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Event is one server-sent event.
type Event struct {
	Name string
	Data map[string]any
}

// SSE is a realtime client of PocketBase's /api/realtime, as the JS SDK
// uses it: connect, read PB_CONNECT, post the subscriptions with the
// user's token, then read events.
type SSE struct {
	events chan Event
	cancel context.CancelFunc
}

// Subscribe connects to srv's realtime API as token (empty: a guest) and
// subscribes to topics.
func Subscribe(t testing.TB, srv *httptest.Server, token string, topics ...string) *SSE {
	t.Helper()
	s, clientId := Connect(t, srv)
	r := Call(t, srv, http.MethodPost, "/api/realtime", token, map[string]any{"clientId": clientId, "subscriptions": topics})
	if r.Status != http.StatusNoContent {
		t.Fatalf("subscribe: %d %s", r.Status, r.Body)
	}
	return s
}

// Connect opens a realtime connection to srv and returns it with its
// client id, for a test that posts the subscriptions itself.
func Connect(t testing.TB, srv *httptest.Server) (*SSE, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/realtime", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	s := &SSE{events: make(chan Event, 64), cancel: cancel}
	t.Cleanup(func() { cancel(); res.Body.Close() })
	go s.read(res)

	connect, ok := s.Next(5 * time.Second)
	if !ok || connect.Name != "PB_CONNECT" {
		t.Fatalf("no PB_CONNECT event (got %+v)", connect)
	}
	clientId, _ := connect.Data["clientId"].(string)
	return s, clientId
}

func (s *SSE) read(res *http.Response) {
	defer close(s.events)
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var ev Event
	var data strings.Builder
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if ev.Name != "" {
				_ = json.Unmarshal([]byte(data.String()), &ev.Data)
				s.events <- ev
			}
			ev, data = Event{}, strings.Builder{}
		case strings.HasPrefix(line, "event:"):
			ev.Name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			data.WriteString(strings.TrimSpace(strings.TrimPrefix(line, "data:")))
		}
	}
}

// Next waits up to d for the next event.
func (s *SSE) Next(d time.Duration) (Event, bool) {
	select {
	case ev, ok := <-s.events:
		return ev, ok
	case <-time.After(d):
		return Event{}, false
	}
}

// Until waits up to d for an event named name.
func (s *SSE) Until(name string, d time.Duration) (Event, bool) {
	deadline := time.Now().Add(d)
	for {
		ev, ok := s.Next(time.Until(deadline))
		if !ok {
			return Event{}, false
		}
		if ev.Name == name {
			return ev, true
		}
	}
}
