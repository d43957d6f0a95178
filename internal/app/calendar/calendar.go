package calendar

import (
	"bytes"
	"database/sql"
	"errors"
	"net/http"
	"strings"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/ical"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The calendar feed (DESIGN.md "Custom routes"): every lesson of a user as
// an iCalendar feed at a secret URL, for calendar apps that cannot sign in.
// The token in the URL is the only credential, so the feed carries nothing
// beyond what a lesson's two parties share: names, subject, the lesson's
// notes and its meeting link. docs/calendar.md is the user's guide.
const (
	// CalendarWindow: the feed lists lessons that start at most this long
	// ago, and every later one.
	CalendarWindow = 90 * 24 * time.Hour
	// CalendarMaxEvents caps a feed: the earliest lessons of the window win.
	CalendarMaxEvents = 2000
	// CalendarCacheControl lets the user's own client reuse a feed for five
	// minutes and keeps it out of shared caches.
	CalendarCacheControl = "private, max-age=300"
	// CalendarProdID names Tutorbase as the feed's producer.
	CalendarProdID = "-//Tutorbase//Lessons feed//EN"

	calendarTokenLength = 32
	calendarUIDDomain   = "@tutorbase"
)

// sequenceEpoch is where SEQUENCE counts from: a lesson's SEQUENCE is the
// seconds from here to its last change, so it grows with every change and
// fits RFC 5545's 32-bit INTEGER until 2088.
var sequenceEpoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// CalendarLinks is the answer of GET /api/calendar and of
// POST /api/calendar/rotate: the caller's feed URL, and the same URL in the
// webcal scheme, which opens a subscription dialog on Apple devices and in
// Outlook.
type CalendarLinks struct {
	URL    string `json:"url"`
	Webcal string `json:"webcal"`
}

// Feed answers GET /api/calendar/{token}.ics. Any path that is not
// a live token is the same 404, whatever is wrong with it.
func (s *Service) Feed(e *core.RequestEvent) error {
	token, ok := strings.CutSuffix(e.Request.PathValue("file"), ".ics")
	if !ok || !wellFormedToken(token) {
		return e.NotFoundError("", nil)
	}
	owner, err := calendarOwner(e.App, token)
	if errors.Is(err, sql.ErrNoRows) {
		return e.NotFoundError("", nil)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	now := s.env.Now().UTC()
	var lessons []lessonRow
	if err := CalendarQuery(e.App, owner, now.Add(-CalendarWindow)).All(&lessons); err != nil {
		return e.InternalServerError("", err)
	}
	school, err := platform.LoadSchool(e.App)
	if err != nil {
		return e.InternalServerError("", err)
	}
	name := "Tutorbase lessons"
	if school.Name != "" {
		name = school.Name + " lessons"
	}
	cal := ical.Calendar{Name: name, ProdID: CalendarProdID}
	appURL := strings.TrimRight(e.App.Settings().Meta.AppURL, "/")
	for _, l := range lessons {
		ev, err := l.event(owner, appURL, now)
		if err != nil {
			e.App.Logger().Warn("calendar feed: unreadable booking left out", "booking", l.Id, "error", err)
			continue
		}
		cal.Events = append(cal.Events, ev)
	}
	var body bytes.Buffer
	if _, err := cal.WriteTo(&body); err != nil {
		return e.InternalServerError("", err)
	}
	h := e.Response.Header()
	h.Set("Cache-Control", CalendarCacheControl)
	h.Set("Content-Disposition", `inline; filename="lessons.ics"`)
	h.Set("X-Robots-Tag", "noindex")
	return e.Blob(http.StatusOK, "text/calendar; charset=utf-8", body.Bytes())
}

// wellFormedToken checks the shape of a calendar token before any query.
func wellFormedToken(s string) bool {
	if len(s) != calendarTokenLength {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// calendarOwner finds the users id holding token. The repeated
// `calendar_token != ”` is the partial unique index's own condition, which
// lets SQLite use that index.
func calendarOwner(app core.App, token string) (string, error) {
	var id string
	err := app.DB().NewQuery(
		"SELECT id FROM users WHERE calendar_token != '' AND calendar_token = {:token} LIMIT 1",
	).Bind(dbx.Params{"token": token}).Row(&id)
	return id, err
}

// lessonRow is what the feed reads of a booking.
type lessonRow struct {
	Id          string `db:"id"`
	Student     string `db:"student"`
	TutorName   string `db:"tutor_name"`
	StudentName string `db:"student_name"`
	Subject     string `db:"subject_name"`
	Start       string `db:"start"`
	End         string `db:"end"`
	Status      string `db:"status"`
	MeetingURL  string `db:"meeting_url"`
	Notes       string `db:"notes"`
	Updated     string `db:"updated"`
}

// CalendarQuery selects the lessons of user (as student or as tutor) that
// start at or after from, earliest first, at most CalendarMaxEvents. Each
// arm of the UNION is a range scan of one index, (student, start) and
// (tutor_user, start), where an OR would read every booking; it is exported
// so a test can pin its query plan.
func CalendarQuery(app core.App, user string, from time.Time) *dbx.Query {
	const lesson = `SELECT b.id, b.student, b.tutor_name, b.student_name, b.subject, b.start, b."end",
			b.status, b.meeting_url, b.notes, b.updated FROM bookings b `
	return app.DB().NewQuery(`SELECT l.id, l.student, l.tutor_name, l.student_name, COALESCE(s.name, '') AS subject_name,
			l.start, l."end", l.status, l.meeting_url, l.notes, l.updated
		FROM (` +
		lesson + `WHERE b.student = {:user} AND b.start >= {:from}
			UNION ALL ` +
		lesson + `WHERE b.tutor_user = {:user} AND b.start >= {:from} AND b.student != {:user}
			ORDER BY start, id LIMIT {:limit}
		) l LEFT JOIN subjects s ON s.id = l.subject
		ORDER BY l.start, l.id`,
	).Bind(dbx.Params{"user": user, "from": platform.DBTime(from), "limit": CalendarMaxEvents})
}

// event turns a lesson into the VEVENT its owner sees.
func (l lessonRow) event(owner, appURL string, now time.Time) (ical.Event, error) {
	start, err := time.Parse(types.DefaultDateLayout, l.Start)
	if err != nil {
		return ical.Event{}, err
	}
	ev := ical.Event{
		UID:     l.Id + calendarUIDDomain,
		Start:   start,
		Stamp:   now,
		Summary: l.summary(owner),
		Status:  lessonStatus(l.Status),
	}
	if end, err := time.Parse(types.DefaultDateLayout, l.End); err == nil && end.After(start) {
		ev.End = end
	}
	if updated, err := time.Parse(types.DefaultDateLayout, l.Updated); err == nil {
		ev.LastModified = updated
		if updated.After(sequenceEpoch) {
			ev.Sequence = int(updated.Sub(sequenceEpoch) / time.Second)
		}
	}
	var desc []string
	if l.Status == platform.StatusConfirmed && l.MeetingURL != "" {
		// Google Calendar ignores URL: LOCATION and DESCRIPTION make the
		// link clickable everywhere
		ev.URL, ev.Location = l.MeetingURL, l.MeetingURL
		desc = append(desc, "Join: "+l.MeetingURL)
	}
	if l.Notes != "" {
		desc = append(desc, "Notes: "+l.Notes)
	}
	if appURL != "" {
		desc = append(desc, "Lesson page: "+appURL+"/lessons/"+l.Id)
	}
	ev.Description = strings.Join(desc, "\n")
	return ev, nil
}

// summary is "Lesson: Mathematics with Giulia Rossi", naming the other
// party: the tutor in a student's feed, the student in a tutor's.
func (l lessonRow) summary(owner string) string {
	other := l.TutorName
	if l.Student != owner {
		other = l.StudentName
	}
	s := "Lesson"
	if l.Subject != "" {
		s += ": " + l.Subject
	}
	if other != "" {
		s += " with " + other
	}
	switch l.Status {
	case platform.StatusCancelled:
		s = "Cancelled: " + s // Google shows cancelled events of a subscription
	case platform.StatusNoShow:
		s += " (no-show)"
	}
	return s
}

// lessonStatus maps a booking status to a VEVENT STATUS. A no-show is not a
// cancellation: the lesson was held for the student, who did not come, so
// it stays CONFIRMED (marked in the summary) and keeps the time in the
// tutor's history.
func lessonStatus(status string) string {
	switch status {
	case platform.StatusPending:
		return ical.StatusTentative
	case platform.StatusConfirmed, platform.StatusCompleted, platform.StatusNoShow:
		return ical.StatusConfirmed
	case platform.StatusCancelled:
		return ical.StatusCancelled
	}
	return ""
}

// Link answers GET /api/calendar with the caller's feed URL,
// giving a user without a token (created around the hooks) a new one.
func (s *Service) Link(e *core.RequestEvent) error {
	user, err := e.App.FindRecordById("users", e.Auth.Id)
	if err != nil {
		return e.NotFoundError("", nil)
	}
	if !wellFormedToken(user.GetString("calendar_token")) {
		if err := setCalendarToken(e.App, user); err != nil {
			return e.InternalServerError("Failed to create your calendar link.", err)
		}
	}
	return calendarLinksJSON(e, user)
}

// Rotate answers POST /api/calendar/rotate: a new token, so the
// old URL stops working at once (for a link that leaked).
func (s *Service) Rotate(e *core.RequestEvent) error {
	user, err := e.App.FindRecordById("users", e.Auth.Id)
	if err != nil {
		return e.NotFoundError("", nil)
	}
	if err := setCalendarToken(e.App, user); err != nil {
		return e.InternalServerError("Failed to change your calendar link.", err)
	}
	platform.Audit(e, "calendar.rotate", "users", e.Auth.Id, nil)
	return calendarLinksJSON(e, user)
}

func setCalendarToken(app core.App, user *core.Record) error {
	user.Set("calendar_token", security.RandomString(calendarTokenLength))
	return app.Save(user)
}

func calendarLinksJSON(e *core.RequestEvent, user *core.Record) error {
	e.Response.Header().Set("Cache-Control", "no-store") // the URL is a credential
	return e.JSON(http.StatusOK, calendarLinks(e.App.Settings().Meta.AppURL, user.GetString("calendar_token")))
}

func calendarLinks(appURL, token string) CalendarLinks {
	u := strings.TrimRight(appURL, "/") + "/api/calendar/" + token + ".ics"
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		rest = u
	}
	return CalendarLinks{URL: u, Webcal: "webcal://" + rest}
}
