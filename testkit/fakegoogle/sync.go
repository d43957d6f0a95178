package fakegoogle

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sync tokens and push notifications of the fake: every change to a
// calendar (SetBusy, SetCalendarBusy, an event written to it) moves its
// sequence; events.list answers the changes after a token's sequence
// (ids only) and a nextSyncToken, 410 Gone for a token of before
// ExpireSyncTokens; events.watch opens a channel that gets a push (POST to
// its address with Google's X-Goog-* headers) at each SetBusy of its
// calendar; channels.stop closes one.

// Channel is a push channel opened with events.watch.
type Channel struct {
	ID, Token, Address, ResourceID, Email, Calendar string
	Expires                                         time.Time
	Messages                                        int64 // message numbers sent, the "sync" one included
}

// SetClock makes the fake answer channel expirations from now (the app's
// clock; time.Now by default).
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// ExpireSyncTokens makes every sync token given so far answer 410 Gone.
func (s *Server) ExpireSyncTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
}

// Channels returns the open channels, by id.
func (s *Server) Channels() map[string]Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]Channel{}
	for id, c := range s.chans {
		out[id] = *c
	}
	return out
}

// changed moves a calendar's sequence; s.mu is held.
func (s *Server) changed(email, cal string) {
	s.seq[email+"/"+s.calendarID(email, cal)]++
}

// notify pushes a change of a calendar to its channels (s.mu not held).
func (s *Server) notify(email, cal string) {
	s.mu.Lock()
	var out []Channel
	for _, c := range s.chans {
		if c.Email == email && c.Calendar == s.calendarID(email, cal) {
			c.Messages++
			out = append(out, *c)
		}
	}
	s.mu.Unlock()
	for _, c := range out {
		s.Send(c, "exists", c.Messages)
	}
}

// Send posts one push of channel c as Google does, and answers the status.
func (s *Server) Send(c Channel, state string, number int64) int {
	req, err := http.NewRequest(http.MethodPost, c.Address, nil)
	if err != nil {
		return 0
	}
	req.Header.Set("X-Goog-Channel-ID", c.ID)
	req.Header.Set("X-Goog-Channel-Token", c.Token)
	req.Header.Set("X-Goog-Channel-Expiration", c.Expires.UTC().Format(http.TimeFormat))
	req.Header.Set("X-Goog-Resource-ID", c.ResourceID)
	req.Header.Set("X-Goog-Resource-URI", s.URL+"/calendar/v3/calendars/"+c.Calendar+"/events")
	req.Header.Set("X-Goog-Resource-State", state)
	req.Header.Set("X-Goog-Message-Number", strconv.FormatInt(number, 10))
	res, err := (&http.Client{Timeout: 20 * time.Second}).Do(req)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

func (s *Server) syncRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /calendar/v3/calendars/{cal}/events", s.authed(s.listEvents))
	mux.HandleFunc("POST /calendar/v3/calendars/{cal}/events/watch", s.authed(s.watch))
	mux.HandleFunc("POST /calendar/v3/channels/stop", s.authed(s.stop))
}

func (s *Server) listEvents(w http.ResponseWriter, r *http.Request, a Account) {
	cal := r.PathValue("cal")
	s.mu.Lock()
	defer s.mu.Unlock()
	entry, ok := s.entry(a.Email, cal)
	switch {
	case !ok:
		writeError(w, http.StatusNotFound, "Not Found")
		return
	case entry.AccessRole == "freeBusyReader":
		writeError(w, http.StatusForbidden, "Forbidden")
		return
	}
	key := a.Email + "/" + s.calendarID(a.Email, cal)
	items := []map[string]string{}
	if tok := r.URL.Query().Get("syncToken"); tok != "" {
		var gen, seq int
		if _, err := fmt.Sscanf(tok, "st-%d-%d", &gen, &seq); err != nil || gen != s.gen {
			writeJSON(w, http.StatusGone, map[string]any{"error": map[string]any{"code": 410, "message": "Sync token is no longer valid, a full sync is required.",
				"errors": []map[string]string{{"domain": "global", "reason": "fullSyncRequired"}}}})
			return
		}
		for i := seq + 1; i <= s.seq[key]; i++ {
			items = append(items, map[string]string{"id": fmt.Sprintf("change%d", i)})
		}
	} else {
		for i := range s.busy[key] {
			items = append(items, map[string]string{"id": fmt.Sprintf("busy%d", i)})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"kind": "calendar#events", "items": items, "nextSyncToken": fmt.Sprintf("st-%d-%d", s.gen, s.seq[key])})
}

func (s *Server) watch(w http.ResponseWriter, r *http.Request, a Account) {
	var in struct {
		ID, Type, Address, Token string
		Params                   map[string]string
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.ID == "" || in.Type != "web_hook" || !strings.HasPrefix(in.Address, "http") {
		writeError(w, http.StatusBadRequest, "Bad channel.")
		return
	}
	cal := r.PathValue("cal")
	s.mu.Lock()
	if _, ok := s.entry(a.Email, cal); !ok {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	ttl, _ := strconv.Atoi(in.Params["ttl"])
	if ttl <= 0 || ttl > 30*24*3600 {
		ttl = 7 * 24 * 3600
	}
	c := &Channel{ID: in.ID, Token: in.Token, Address: in.Address, ResourceID: "res-" + random(), Email: a.Email,
		Calendar: s.calendarID(a.Email, cal), Expires: s.now().Add(time.Duration(ttl) * time.Second), Messages: 1}
	s.chans[c.ID] = c
	first := *c
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"kind": "api#channel", "id": c.ID, "resourceId": c.ResourceID, "token": c.Token,
		"resourceUri": s.URL + "/calendar/v3/calendars/" + c.Calendar + "/events", "expiration": strconv.FormatInt(c.Expires.UnixMilli(), 10)})
	go s.Send(first, "sync", 1) // Google's first message on a new channel
}

func (s *Server) stop(w http.ResponseWriter, r *http.Request, a Account) {
	var in struct{ ID, ResourceID string }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, "Bad channel.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chans[in.ID]
	if c == nil || c.ResourceID != in.ResourceID || c.Email != a.Email {
		writeError(w, http.StatusNotFound, "Channel not found.")
		return
	}
	delete(s.chans, in.ID)
	w.WriteHeader(http.StatusNoContent)
}

// entry is an account's calendar list entry of cal; s.mu is held.
func (s *Server) entry(email, cal string) (Calendar, bool) {
	for _, c := range s.calendars(email) {
		if c.ID == s.calendarID(email, cal) || cal == "primary" && c.Primary {
			return c, true
		}
	}
	return Calendar{}, false
}
