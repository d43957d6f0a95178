package fakegoogle

import "net/http"

// An account's calendar list (calendarList), and which calendar an id names.

// SetCalendars sets an account's calendar list (calendarList).
func (s *Server) SetCalendars(email string, cals ...Calendar) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cals[email] = cals
}

// calendars is an account's calendar list; s.mu is held.
func (s *Server) calendars(email string) []Calendar {
	if c, ok := s.cals[email]; ok {
		return c
	}
	return []Calendar{{ID: email, Summary: email, AccessRole: "owner", Primary: true}}
}

// calendarID resolves "primary"; s.mu is held.
func (s *Server) calendarID(email, cal string) string {
	if cal == "primary" {
		return email
	}
	return cal
}

// hasCalendar reports whether the account has the calendar; s.mu is held.
func (s *Server) hasCalendar(email, cal string) bool {
	for _, c := range s.calendars(email) {
		if c.ID == s.calendarID(email, cal) || cal == "primary" && c.Primary {
			return true
		}
	}
	return false
}

func (s *Server) calendarList(w http.ResponseWriter, _ *http.Request, a Account) {
	s.mu.Lock()
	defer s.mu.Unlock()
	items := []map[string]any{}
	for _, c := range s.calendars(a.Email) {
		items = append(items, map[string]any{"kind": "calendar#calendarListEntry", "id": c.ID, "summary": c.Summary,
			"accessRole": c.AccessRole, "primary": c.Primary})
	}
	writeJSON(w, http.StatusOK, map[string]any{"kind": "calendar#calendarList", "items": items})
}
