// Package fakegoogle is a fake Google for tests, an httptest server
// speaking the parts of Google's HTTP APIs Tutorbase uses: the OAuth 2.0
// token, revoke and userinfo endpoints, Calendar v3 events and freeBusy,
// and Drive v3 permissions. Tutorbase's real clients (golang.org/x/oauth2,
// google.golang.org/api) are pointed at it through GOOGLE_OAUTH_BASE and
// GOOGLE_API_BASE: the production code path, only the base URL changes.
//
// A test grants consent with Grant (the code Google would put in the
// redirect), then watches what arrived (Events, Permissions), injects
// failures (FailNext), expires access tokens (ExpireAccess) and revokes
// consent (Revoke).
package fakegoogle

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Client id and secret the fake accepts.
const (
	ClientID     = "fake-client.apps.googleusercontent.com"
	ClientSecret = "fake-secret"
)

// Account is a Google account of the fake.
type Account struct {
	Sub, Email, Name string
}

// Event is a calendar event as stored by the fake.
type Event struct {
	ID, Calendar, Summary, Start, End string
	Meet                              string // the Meet link, when a conference was asked for
	Updates                           int    // how many times it was updated after its insert
}

// Busy is a busy interval of an account's calendar, answered by freeBusy.
type Busy struct{ Start, End time.Time }

// Calendar is an entry of an account's calendar list. An account without
// SetCalendars has its primary calendar only (its id is the email).
type Calendar struct {
	ID, Summary string
	AccessRole  string // owner, writer, reader, freeBusyReader
	Primary     bool
}

// Permission is a Drive file shared with someone.
type Permission struct{ File, Email, Role string }

// Server is a fake Google.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	codes    map[string]grant
	refresh  map[string]grant // refresh token → grant
	access   map[string]grant // access token → grant
	events   map[string]*Event
	deleted  map[string]bool
	busy     map[string][]Busy // account email + "/" + calendar id → busy intervals
	cals     map[string][]Calendar
	seq      map[string]int // account email + "/" + calendar id → changes so far
	gen      int            // sync tokens of an older generation answer 410
	chans    map[string]*Channel
	now      func() time.Time
	perms    []Permission
	fails    []failure
	calls    map[string]int
	inserted int
}

type grant struct {
	acct    Account
	refresh string
}

type failure struct {
	prefix string
	status int // 0: drop (see DropNext)
}

// Start starts a fake Google, closed when the test ends.
func Start(t testing.TB) *Server {
	s := New()
	t.Cleanup(s.Close)
	return s
}

// New starts a fake Google on a loopback port (the fakegoogle command's;
// tests use Start). Close stops it.
func New() *Server {
	s := &Server{codes: map[string]grant{}, refresh: map[string]grant{}, access: map[string]grant{},
		events: map[string]*Event{}, deleted: map[string]bool{}, busy: map[string][]Busy{}, cals: map[string][]Calendar{}, seq: map[string]int{}, chans: map[string]*Channel{}, now: time.Now, calls: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", s.token)
	mux.HandleFunc("POST /revoke", s.revoke)
	mux.HandleFunc("GET /oauth2/v3/userinfo", s.authed(s.userinfo))
	mux.HandleFunc("POST /calendar/v3/calendars/{cal}/events", s.authed(s.insertEvent))
	mux.HandleFunc("PUT /calendar/v3/calendars/{cal}/events/{id}", s.authed(s.updateEvent))
	mux.HandleFunc("DELETE /calendar/v3/calendars/{cal}/events/{id}", s.authed(s.deleteEvent))
	mux.HandleFunc("POST /calendar/v3/freeBusy", s.authed(s.freeBusy))
	mux.HandleFunc("GET /calendar/v3/users/me/calendarList", s.authed(s.calendarList))
	s.syncRoutes(mux)
	mux.HandleFunc("POST /drive/v3/files/{id}/permissions", s.authed(s.share))
	mux.HandleFunc("GET /drive/v3/files/{id}", s.authed(s.file))
	s.consentRoutes(mux)
	s.Server = httptest.NewServer(s.failing(mux))
	return s
}

// Grant is the consent of acct: the code Google sends back to the
// redirect address.
func (s *Server) Grant(acct Account) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	code := "code-" + random()
	s.codes[code] = grant{acct: acct}
	return code
}

// Revoke withdraws every token of the account (as the user does in their
// Google account's security page).
func (s *Server) Revoke(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for tok, g := range s.refresh {
		if g.acct.Email == email {
			delete(s.refresh, tok)
		}
	}
	for tok, g := range s.access {
		if g.acct.Email == email {
			delete(s.access, tok)
		}
	}
}

// ExpireAccess makes every access token invalid: the next call answers
// 401 until the client refreshes.
func (s *Server) ExpireAccess() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access = map[string]grant{}
}

// FailNext answers the next request whose "METHOD /path" starts with
// prefix with status (503, 429 ...), once.
func (s *Server) FailNext(prefix string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails = append(s.fails, failure{prefix, status})
}

// DropNext lets the next request whose "METHOD /path" starts with prefix
// take effect, then closes the connection without an answer: a crash or
// a network cut after Google applied a change, before the caller knew.
func (s *Server) DropNext(prefix string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fails = append(s.fails, failure{prefix, 0})
}

// SetBusy sets what freeBusy answers for an account's primary calendar.
func (s *Server) SetBusy(email string, busy ...Busy) { s.SetCalendarBusy(email, email, busy...) }

// SetCalendarBusy sets what freeBusy answers for one of an account's
// calendars (cal "primary" or the email is the primary one): a change,
// pushed to the calendar's channels before it returns.
func (s *Server) SetCalendarBusy(email, cal string, busy ...Busy) {
	s.mu.Lock()
	s.busy[email+"/"+s.calendarID(email, cal)] = busy
	s.changed(email, cal)
	s.mu.Unlock()
	s.notify(email, cal)
}

// Events returns a copy of the live events, by id.
func (s *Server) Events() map[string]Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]Event{}
	for id, e := range s.events {
		out[id] = *e
	}
	return out
}

// DeleteByHand deletes an event as its owner does in Google Calendar:
// gone, and its id never to be inserted again (409), as Google does.
func (s *Server) DeleteByHand(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.events, id)
	s.deleted[id] = true
}

// Inserted counts the events ever inserted.
func (s *Server) Inserted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inserted
}

// Calls counts the requests whose "METHOD /path" starts with prefix.
func (s *Server) Calls(prefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, c := range s.calls {
		if strings.HasPrefix(k, prefix) {
			n += c
		}
	}
	return n
}

// Permissions returns the Drive shares made so far.
func (s *Server) Permissions() []Permission {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Permission(nil), s.perms...)
}

func (s *Server) failing(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Method + " " + r.URL.Path
		s.mu.Lock()
		s.calls[key]++
		status, hit := 0, false
		for i, f := range s.fails {
			if strings.HasPrefix(key, f.prefix) {
				status, hit = f.status, true
				s.fails = append(s.fails[:i], s.fails[i+1:]...)
				break
			}
		}
		s.mu.Unlock()
		switch {
		case hit && status != 0:
			writeError(w, status, "injected")
		case hit:
			next.ServeHTTP(httptest.NewRecorder(), r) // applied, never answered
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != ClientID || secret != ClientSecret {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var g grant
	var found bool
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		code := r.PostForm.Get("code")
		g, found = s.codes[code]
		delete(s.codes, code) // a code is used once
		if found {
			g.refresh = "1//refresh-" + random()
			s.refresh[g.refresh] = g
		}
	case "refresh_token":
		g, found = s.refresh[r.PostForm.Get("refresh_token")]
	}
	if !found {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
		return
	}
	access := "ya29.access-" + random()
	s.access[access] = g
	body := map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 3599}
	if r.PostForm.Get("grant_type") == "authorization_code" {
		body["refresh_token"] = g.refresh
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	s.mu.Lock()
	defer s.mu.Unlock()
	tok := r.Form.Get("token")
	g, ok := s.refresh[tok]
	if !ok {
		g, ok = s.access[tok]
	}
	if !ok {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_token"})
		return
	}
	for k, v := range s.refresh {
		if v.refresh == g.refresh {
			delete(s.refresh, k)
		}
	}
	for k, v := range s.access {
		if v.refresh == g.refresh {
			delete(s.access, k)
		}
	}
	w.WriteHeader(http.StatusOK)
}

type authedHandler func(w http.ResponseWriter, r *http.Request, acct Account)

func (s *Server) authed(h authedHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		s.mu.Lock()
		g, ok := s.access[tok]
		s.mu.Unlock()
		if !ok {
			writeError(w, http.StatusUnauthorized, "Request had invalid authentication credentials.")
			return
		}
		h(w, r, g.acct)
	}
}

func (s *Server) userinfo(w http.ResponseWriter, _ *http.Request, a Account) {
	writeJSON(w, http.StatusOK, map[string]any{"sub": a.Sub, "email": a.Email, "email_verified": true, "name": a.Name})
}

// wireEvent is the part of Calendar's Event resource the fake reads.
type wireEvent struct {
	ID             string `json:"id,omitempty"`
	Summary        string `json:"summary,omitempty"`
	HTMLLink       string `json:"htmlLink,omitempty"`
	HangoutLink    string `json:"hangoutLink,omitempty"`
	Start          *when  `json:"start,omitempty"`
	End            *when  `json:"end,omitempty"`
	ConferenceData *struct {
		CreateRequest *struct {
			RequestID string `json:"requestId"`
		} `json:"createRequest,omitempty"`
	} `json:"conferenceData,omitempty"`
}

type when struct {
	DateTime string `json:"dateTime"`
}

func (s *Server) insertEvent(w http.ResponseWriter, r *http.Request, a Account) {
	var in wireEvent
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Start == nil || in.End == nil {
		writeError(w, http.StatusBadRequest, "Bad event.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.hasCalendar(a.Email, r.PathValue("cal")) {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	if in.ID == "" {
		in.ID = strings.ToLower(random())
	}
	if s.events[in.ID] != nil || s.deleted[in.ID] {
		writeError(w, http.StatusConflict, "The requested identifier already exists.")
		return
	}
	ev := &Event{ID: in.ID, Calendar: r.PathValue("cal"), Summary: in.Summary, Start: in.Start.DateTime, End: in.End.DateTime}
	if in.ConferenceData != nil && in.ConferenceData.CreateRequest != nil && r.URL.Query().Get("conferenceDataVersion") == "1" {
		ev.Meet = "https://meet.google.com/" + strings.ToLower(random()[:10])
	}
	s.events[in.ID] = ev
	s.inserted++
	s.changed(a.Email, ev.Calendar)
	writeJSON(w, http.StatusOK, s.wire(ev))
}

func (s *Server) updateEvent(w http.ResponseWriter, r *http.Request, _ Account) {
	var in wireEvent
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Start == nil || in.End == nil {
		writeError(w, http.StatusBadRequest, "Bad event.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ev := s.events[r.PathValue("id")]
	if ev == nil {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	ev.Summary, ev.Start, ev.End = in.Summary, in.Start.DateTime, in.End.DateTime
	ev.Updates++
	writeJSON(w, http.StatusOK, s.wire(ev))
}

func (s *Server) deleteEvent(w http.ResponseWriter, r *http.Request, _ Account) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("id")
	switch {
	case s.deleted[id]:
		writeError(w, http.StatusGone, "Resource has been deleted")
	case s.events[id] == nil:
		writeError(w, http.StatusNotFound, "Not Found")
	default:
		delete(s.events, id)
		s.deleted[id] = true
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) wire(ev *Event) wireEvent {
	return wireEvent{ID: ev.ID, Summary: ev.Summary, HangoutLink: ev.Meet, Start: &when{ev.Start}, End: &when{ev.End},
		HTMLLink: s.URL + "/calendar/event?eid=" + ev.ID}
}

func (s *Server) freeBusy(w http.ResponseWriter, r *http.Request, a Account) {
	var in struct {
		TimeMin time.Time `json:"timeMin"`
		TimeMax time.Time `json:"timeMax"`
		Items   []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "Bad query.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cals := map[string]any{}
	for _, it := range in.Items {
		if !s.hasCalendar(a.Email, it.ID) {
			cals[it.ID] = map[string]any{"errors": []map[string]string{{"domain": "global", "reason": "notFound"}}}
			continue
		}
		var busy []map[string]string
		for _, b := range s.busy[a.Email+"/"+s.calendarID(a.Email, it.ID)] {
			if b.End.After(in.TimeMin) && b.Start.Before(in.TimeMax) {
				busy = append(busy, map[string]string{"start": b.Start.UTC().Format(time.RFC3339), "end": b.End.UTC().Format(time.RFC3339)})
			}
		}
		cals[it.ID] = map[string]any{"busy": busy}
	}
	writeJSON(w, http.StatusOK, map[string]any{"kind": "calendar#freeBusy", "calendars": cals})
}

func (s *Server) share(w http.ResponseWriter, r *http.Request, _ Account) {
	var in struct {
		Type, Role, EmailAddress string
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.EmailAddress == "" {
		writeError(w, http.StatusBadRequest, "Bad permission.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.perms = append(s.perms, Permission{File: r.PathValue("id"), Email: in.EmailAddress, Role: in.Role})
	writeJSON(w, http.StatusOK, map[string]any{"id": "perm-" + random(), "type": in.Type, "role": in.Role})
}

func (s *Server) file(w http.ResponseWriter, r *http.Request, _ Account) {
	id := r.PathValue("id")
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "name": "File " + id, "webViewLink": "https://drive.google.com/file/d/" + id + "/view"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers in Google's error shape.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": status, "message": msg}})
}

func random() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
