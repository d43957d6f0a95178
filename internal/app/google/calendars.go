package google

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"google.golang.org/api/calendar/v3"
)

// Choosing calendars: a connected person picks, among their Google
// calendars (Google's calendarList), the ones whose busy times block their
// slots (google_links.busy_calendars; [] blocks nothing) and the one their
// lessons are written to (google_links.calendar, which must be writable).
// A new connection starts with its primary calendar for both. Lessons
// already written stay in the calendar they were written to (their
// outbox row keeps it); new lessons go to the chosen one.

// maxChosen bounds the calendars whose busy times one person imports.
const maxChosen = 20

// CalendarChoice is one of a person's Google calendars, with what they chose.
type CalendarChoice struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Primary  bool   `json:"primary"`
	Writable bool   `json:"writable"` // lessons may be written to it
	Busy     bool   `json:"busy"`     // its busy times block the person's slots
	Lessons  bool   `json:"lessons"`  // new lessons are written to it
}

// Calendars is GET /api/google/calendars: the caller's Google calendars.
func (s *Service) Calendars(e *core.RequestEvent) error {
	if !s.CalendarOn() {
		return notConfigured()
	}
	link, err := e.App.FindFirstRecordByData(Links, "user", e.Auth.Id)
	if err != nil || link.GetString("status") != LinkConnected {
		return notConnectedError()
	}
	list, err := s.calendarList(e.App, e.Auth.Id)
	if err != nil {
		return s.listFailed(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"calendars": choices(list, link.GetString("calendar"), busyCalendars(link.GetString("busy_calendars")))})
}

// ChooseCalendars is POST /api/google/calendars {lessons, busy}: the
// calendar lessons are written to and those whose busy times block the
// caller's slots, each checked against the caller's calendarList. The
// choice is stored by compare-and-set on the connection (a disconnect
// meanwhile wins; an import under way with the old choice is discarded),
// then the busy times are read again at once.
func (s *Service) ChooseCalendars(e *core.RequestEvent) error {
	if !s.CalendarOn() {
		return notConfigured()
	}
	var in struct {
		Lessons string   `json:"lessons"`
		Busy    []string `json:"busy"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(e.Response, e.Request.Body, 16<<10)).Decode(&in); err != nil || in.Lessons == "" || in.Busy == nil {
		return choiceError("lessons", "validation_required", "Choose the calendar for your lessons and those that block your free times.")
	}
	slices.Sort(in.Busy)
	in.Busy = slices.Compact(in.Busy)
	if len(in.Busy) > maxChosen {
		return choiceError("busy", "too_many_calendars", "Choose at most 20 calendars that block your free times.")
	}
	list, err := s.calendarList(e.App, e.Auth.Id)
	if err != nil {
		return s.listFailed(e, err)
	}
	if err := checkChoice(list, in.Lessons, in.Busy); err != nil {
		return err
	}
	busy, _ := json.Marshal(in.Busy)
	now := s.env.Now()
	res, err := e.App.DB().NewQuery(`UPDATE ` + Links + ` SET calendar = {:cal}, busy_calendars = {:busy}, version = version + 1,
		busy_next = {:now}, updated = {:now} WHERE user = {:user} AND status = 'connected'`).
		Bind(dbx.Params{"cal": in.Lessons, "busy": string(busy), "now": platform.DBTime(now), "user": e.Auth.Id}).Execute()
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return notConnectedError()
	}
	if err := s.ImportBusy(e.App, e.Auth.Id, now); err != nil {
		e.App.Logger().Warn("google busy times not read after a choice", "user", e.Auth.Id, "error", err)
	}
	return e.JSON(http.StatusOK, s.status(e.App, e.Auth.Id))
}

// calendarList asks Google for user's calendars (a 401 is tried once more
// with a refreshed token).
func (s *Service) calendarList(app core.App, user string) ([]*calendar.CalendarListEntry, error) {
	list, err := s.listOnce(app, user, false)
	if isStatus(err, http.StatusUnauthorized) {
		list, err = s.listOnce(app, user, true)
	}
	return list, err
}

func (s *Service) listOnce(app core.App, user string, fresh bool) ([]*calendar.CalendarListEntry, error) {
	svc, ctx, done, err := s.calendarClient(app, user, fresh)
	if err != nil {
		return nil, err
	}
	defer done()
	var out []*calendar.CalendarListEntry
	err = svc.CalendarList.List().MinAccessRole("freeBusyReader").Pages(ctx, func(page *calendar.CalendarList) error {
		out = append(out, page.Items...)
		if len(out) > 500 {
			return errors.New("more than 500 calendars")
		}
		return nil
	})
	return out, err
}

// listFailed answers a calendarList that failed: revoked consent marks
// the connection (and tells the person), anything else asks to retry.
func (s *Service) listFailed(e *core.RequestEvent, err error) error {
	if errors.Is(err, errNotConnected) {
		return notConnectedError()
	}
	if revoked, _ := classify(err); revoked {
		if err := s.revoke(e.App, e.Auth.Id, s.env.Now()); err != nil {
			return err
		}
		return notConnectedError()
	}
	e.App.Logger().Warn("google calendarList failed", "user", e.Auth.Id, "error", err)
	return choiceError("google", "google_failed", "Google did not list your calendars. Try again in a minute.")
}

// checkChoice refuses a calendar the person does not have, and a lessons
// calendar they cannot write to.
func checkChoice(list []*calendar.CalendarListEntry, lessons string, busy []string) error {
	find := func(id string) *calendar.CalendarListEntry {
		for _, c := range list {
			if c.Id == id || id == "primary" && c.Primary {
				return c
			}
		}
		return nil
	}
	for _, id := range busy {
		if find(id) == nil {
			return choiceError("busy", "unknown_calendar", "One of the chosen calendars is not in your Google account.")
		}
	}
	c := find(lessons)
	if c == nil {
		return choiceError("lessons", "unknown_calendar", "One of the chosen calendars is not in your Google account.")
	}
	if !writable(c) {
		return choiceError("lessons", "not_writable", "Lessons can only be written to a calendar you may edit.")
	}
	return nil
}

func writable(c *calendar.CalendarListEntry) bool {
	return c.AccessRole == "owner" || c.AccessRole == "writer"
}

// choices marks each calendar with the person's choice ("primary" is the
// primary calendar's alias).
func choices(list []*calendar.CalendarListEntry, lessons string, busy []string) []CalendarChoice {
	is := func(c *calendar.CalendarListEntry, id string) bool { return c.Id == id || id == "primary" && c.Primary }
	out := make([]CalendarChoice, 0, len(list))
	for _, c := range list {
		name := c.SummaryOverride
		if name == "" {
			name = c.Summary
		}
		ch := CalendarChoice{ID: c.Id, Name: name, Primary: c.Primary, Writable: writable(c), Lessons: is(c, lessons)}
		for _, id := range busy {
			ch.Busy = ch.Busy || is(c, id)
		}
		out = append(out, ch)
	}
	return out
}

// busyCalendars reads a connection's busy_calendars: none stored yet (a
// connection older than the choice) is the primary calendar.
func busyCalendars(raw string) []string {
	var ids []string
	if raw == "" || raw == "null" || json.Unmarshal([]byte(raw), &ids) != nil {
		return []string{"primary"}
	}
	return ids
}

func notConnectedError() error {
	return choiceError("google", "not_connected", "Connect your Google account first (Account → Google).")
}

func choiceError(field, code, msg string) error {
	return apis.NewBadRequestError(msg, validation.Errors{field: validation.NewError(code, msg)})
}
