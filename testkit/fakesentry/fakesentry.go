// Package fakesentry is a stand-in for a Sentry server in tests: an
// httptest server that accepts what sentry-go sends to a project's envelope
// endpoint (POST /api/PROJECT/envelope/) and keeps each event with the raw
// bytes it arrived in. The production client is pointed at it by its DSN:
// the same code path, only the DSN's host changes.
package fakesentry

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Project and Key are the DSN's project id and public key.
const (
	Project = "42"
	Key     = "fakepublickey"
)

// Event is one event item received.
type Event struct {
	Raw  []byte         // the whole envelope it came in, as received
	JSON map[string]any // the event decoded
}

// Tag is the event's tag name ("" when it has none).
func (e Event) Tag(name string) string {
	tags, _ := e.JSON["tags"].(map[string]any)
	s, _ := tags[name].(string)
	return s
}

// Server is the stand-in.
type Server struct {
	srv    *httptest.Server
	mu     sync.Mutex
	events []Event
	auth   []string // X-Sentry-Auth headers received
}

// New starts a stand-in, closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// DSN is the DSN that sends to the stand-in.
func (s *Server) DSN() string {
	return fmt.Sprintf("http://%s@%s/%s", Key, strings.TrimPrefix(s.srv.URL, "http://"), Project)
}

// Events returns the events received so far.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Event(nil), s.events...)
}

// Auth returns the X-Sentry-Auth headers received.
func (s *Server) Auth() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auth...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/api/"+Project+"/envelope/" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = zr
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	events, err := parseEnvelope(raw)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.auth = append(s.auth, r.Header.Get("X-Sentry-Auth"))
	for _, ev := range events {
		s.events = append(s.events, Event{Raw: raw, JSON: ev})
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"id":"0"}`)
}

// parseEnvelope reads an envelope (a header line, then items: a header
// line and a payload of the header's length, or up to the newline) and
// returns its event items.
func parseEnvelope(raw []byte) ([]map[string]any, error) {
	rd := bufio.NewReader(bytes.NewReader(raw))
	if _, err := rd.ReadBytes('\n'); err != nil {
		return nil, fmt.Errorf("envelope header: %w", err)
	}
	var events []map[string]any
	for {
		line, err := rd.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) == 0 {
			if err != nil {
				return events, nil
			}
			continue
		}
		var hdr struct {
			Type   string `json:"type"`
			Length *int   `json:"length"`
		}
		if err := json.Unmarshal(line, &hdr); err != nil {
			return nil, fmt.Errorf("item header %q: %w", line, err)
		}
		var payload []byte
		if hdr.Length != nil {
			payload = make([]byte, *hdr.Length)
			if _, err := io.ReadFull(rd, payload); err != nil {
				return nil, fmt.Errorf("item of %s bytes: %w", strconv.Itoa(*hdr.Length), err)
			}
		} else {
			payload, _ = rd.ReadBytes('\n')
		}
		if hdr.Type == "event" {
			var ev map[string]any
			if err := json.Unmarshal(payload, &ev); err != nil {
				return nil, fmt.Errorf("event: %w", err)
			}
			events = append(events, ev)
		}
	}
}
