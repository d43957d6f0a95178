package google

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"time"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"google.golang.org/api/calendar/v3"
	"google.golang.org/api/googleapi"
)

// Lessons go to Google Calendar through the google_events outbox, like a
// booking's notifications through note_outbox:
//
//  1. BookingChanged, inside the booking change's transaction, records
//     what each connected party's calendar should show (the lesson, at
//     its times; or nothing, once cancelled) and moves the row's version;
//  2. after the commit, the writer (woken by the booking's after-commit
//     hook) pushes each pending row to Google and, by compare-and-set on
//     the version it pushed, marks it done;
//  3. Google's 5xx and 429 (and no answer) back off and retry, a crash
//     leaves the row pending for the tutorbase_google_calendar job; every
//     push of a row uses the row's stable event id, so a retry after a
//     lost answer updates the event instead of adding a second one.

// BookingChanged is the booking.ChangeObserver of the outbox.
func (s *Service) BookingChanged(tx core.App, b, old *core.Record, _ string) error {
	now := platform.DBTime(s.env.Now())
	if old != nil { // a reschedule: the old lesson's events move to the new one
		_, err := tx.DB().Update(Events, dbx.Params{"booking": b.Id}, dbx.HashExp{"booking": old.Id}).Execute()
		if err != nil {
			return err
		}
	}
	parties := map[string]string{b.GetString("tutor_user"): b.GetString("student_name"), b.GetString("student"): b.GetString("tutor_name")}
	want := "present"
	if b.GetString("status") == "cancelled" {
		want = "absent"
	}
	for user, other := range parties {
		if user == "" {
			continue
		}
		var cal string
		err := tx.DB().Select("calendar").From(Links).Where(dbx.HashExp{"user": user, "status": LinkConnected}).Row(&cal)
		connected := err == nil
		title := "Lesson"
		if other != "" {
			title = "Lesson with " + other
		}
		meet := false
		if connected {
			if meet, err = wantsMeet(tx, b, user); err != nil {
				return err
			}
		}
		q := `INSERT INTO ` + Events + ` (id, booking, user, event_id, calendar, want, start, "end", title, meet, version, status, next_attempt, created, updated)
			SELECT {:id}, {:booking}, {:user}, {:event}, {:cal}, {:want}, {:start}, {:end}, {:title}, {:meet}, 1, 'pending', {:now}, {:now}, {:now}
			WHERE {:connected}
			ON CONFLICT(booking, user) DO UPDATE SET want = excluded.want, start = excluded.start, "end" = excluded."end",
				title = excluded.title, meet = MAX(meet, excluded.meet), version = version + 1, status = 'pending', attempts = 0, last_error = '',
				next_attempt = excluded.next_attempt, updated = excluded.updated`
		_, err = tx.DB().NewQuery(q).Bind(dbx.Params{
			"id": core.GenerateDefaultRandomId(), "booking": b.Id, "user": user, "event": eventID(b.Id, user), "cal": cal,
			"want": want, "start": b.GetString("start"), "end": b.GetString("end"), "title": title, "meet": meet, "now": now, "connected": connected,
		}).Execute()
		if err != nil {
			return err
		}
	}
	return nil
}

// eventID is the Google event id of a lesson in a person's calendar:
// base32hex characters (hex is a subset), stable across retries.
func eventID(booking, user string) string {
	sum := sha256.Sum256([]byte("tutorbase/" + booking + "/" + user))
	return "tb" + hex.EncodeToString(sum[:15])
}

// outboxRow is what a push reads of a row.
type outboxRow struct {
	Id       string `db:"id"`
	Booking  string `db:"booking"`
	Meet     bool   `db:"meet"`
	User     string `db:"user"`
	EventID  string `db:"event_id"`
	Calendar string `db:"calendar"`
	Want     string `db:"want"`
	Start    string `db:"start"`
	End      string `db:"end"`
	Title    string `db:"title"`
	Version  int64  `db:"version"`
	Pushed   int64  `db:"pushed"`
	Attempts int    `db:"attempts"`
}

// PushDue pushes the pending rows whose next attempt has come (the
// writer after each change, and the job every minute).
func (s *Service) PushDue(app core.App, now time.Time) error {
	if !s.CalendarOn() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var rows []outboxRow
	err := app.DB().Select("id", "booking", "meet", "user", "event_id", "calendar", "want", "start", "end", "title",
		"CAST(version AS INTEGER) AS version", "CAST(pushed AS INTEGER) AS pushed", "CAST(attempts AS INTEGER) AS attempts").
		From(Events).Where(dbx.HashExp{"status": EventPending}).
		AndWhere(dbx.NewExp("next_attempt <= {:now}", dbx.Params{"now": platform.DBTime(now)})).
		OrderBy("next_attempt").Limit(pushBatch).All(&rows)
	if err != nil {
		return err
	}
	var errs []error
	for i := range rows {
		if err := s.push(app, &rows[i], now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// push sends one row to Google and records the outcome. A 401 is tried
// once more with a refreshed access token; Google refusing the refresh
// token means the consent was revoked.
func (s *Service) push(app core.App, r *outboxRow, now time.Time) error {
	got, err := s.send(app, r, false)
	if isStatus(err, http.StatusUnauthorized) {
		got, err = s.send(app, r, true)
	}
	switch revoked, retry := classify(err); {
	case errors.Is(err, errNotConnected):
		return s.settle(app, r, dbx.Params{"status": EventStopped}, s.meetGivenUp(r))
	case err == nil:
		done := dbx.Params{"status": EventDone, "pushed": r.Version, "attempts": 0, "last_error": ""}
		if got.newID != "" {
			done["event_id"] = got.newID
		}
		return s.settle(app, r, done,
			func(tx core.App) error {
				switch {
				case !r.Meet || r.Want != "present":
					return nil
				case got.link != "":
					return meetArrived(tx, r.Booking, got.link)
				}
				return s.meetFailed(tx, r.Booking) // Google made the event without a conference
			})
	case revoked:
		return s.revoke(app, r.User, now)
	case retry && r.Attempts+1 < maxAttempts:
		return s.settle(app, r, dbx.Params{"attempts": r.Attempts + 1, "last_error": errorCode(err),
			"next_attempt": platform.DBTime(now.Add(retryAfter(r.Attempts + 1)))}, nil)
	}
	app.Logger().Warn("google calendar refused a lesson", "row", r.Id, "error", err)
	return s.settle(app, r, dbx.Params{"status": EventFailed, "attempts": r.Attempts + 1, "last_error": errorCode(err)}, s.meetGivenUp(r))
}

// meetGivenUp gives the row's lesson a Jitsi room if it waited for Meet.
func (s *Service) meetGivenUp(r *outboxRow) func(tx core.App) error {
	return func(tx core.App) error {
		if !r.Meet {
			return nil
		}
		return s.meetFailed(tx, r.Booking)
	}
}

// send makes the row's calendar what it wants: the event under its id
// (and its Meet link, when asked), or none.
func (s *Service) send(app core.App, r *outboxRow, fresh bool) (pushed, error) {
	svc, ctx, done, err := s.calendarClient(app, r.User, fresh)
	if err != nil {
		return pushed{}, err
	}
	defer done()
	cal := r.Calendar
	if cal == "" {
		cal = "primary"
	}
	if r.Want == "present" {
		return s.putEvent(svc, cal, r)
	}
	err = svc.Events.Delete(cal, r.EventID).Context(ctx).Do()
	if isStatus(err, http.StatusNotFound, http.StatusGone) {
		return pushed{}, nil // never created, or gone already
	}
	return pushed{}, err
}

// pushed is what Google answered a push: the event's Meet link, and the
// event's new id when it had to take one.
type pushed struct{ link, newID string }

// putEvent writes the lesson's event under its stable id: inserted the
// first time, updated after (a lost answer or a crash makes an insert
// answer 409, and an update of an event deleted by hand 404: each falls
// back to the other). Google keeps the id of an event deleted by hand
// (an insert under it answers 409), so such a lesson comes back under a
// new id, which the row keeps from then on.
func (s *Service) putEvent(svc *calendar.Service, cal string, r *outboxRow) (pushed, error) {
	start, err1 := time.Parse("2006-01-02 15:04:05.000Z", r.Start)
	end, err2 := time.Parse("2006-01-02 15:04:05.000Z", r.End)
	if err := errors.Join(err1, err2); err != nil {
		return pushed{}, err
	}
	ev := &calendar.Event{Id: r.EventID, Summary: r.Title,
		Start:  &calendar.EventDateTime{DateTime: start.UTC().Format(time.RFC3339)},
		End:    &calendar.EventDateTime{DateTime: end.UTC().Format(time.RFC3339)},
		Source: &calendar.EventSource{Title: "Tutorbase", Url: s.env.Config.AppURL}}
	conference := int64(0)
	if r.Meet {
		conference = 1
		ev.ConferenceData = &calendar.ConferenceData{CreateRequest: &calendar.CreateConferenceRequest{
			RequestId: r.EventID, ConferenceSolutionKey: &calendar.ConferenceSolutionKey{Type: "hangoutsMeet"}}}
	}
	insert := func() (*calendar.Event, error) {
		return svc.Events.Insert(cal, ev).ConferenceDataVersion(conference).Do()
	}
	if r.Pushed == 0 {
		got, err := insert()
		if !isStatus(err, http.StatusConflict) {
			return pushed{link: meetLink(got)}, err
		}
	}
	got, err := svc.Events.Update(cal, r.EventID, ev).ConferenceDataVersion(conference).Do()
	if !isStatus(err, http.StatusNotFound) {
		return pushed{link: meetLink(got)}, err
	}
	if got, err = insert(); !isStatus(err, http.StatusConflict) {
		return pushed{link: meetLink(got)}, err
	}
	ev.Id = anotherEventID(r.EventID)
	if ev.ConferenceData != nil {
		ev.ConferenceData.CreateRequest.RequestId = ev.Id
	}
	got, err = insert()
	if isStatus(err, http.StatusConflict) { // made by a push whose outcome was not kept
		got, err = svc.Events.Update(cal, ev.Id, ev).ConferenceDataVersion(conference).Do()
	}
	if err != nil {
		return pushed{}, err
	}
	return pushed{link: meetLink(got), newID: ev.Id}, nil
}

// anotherEventID is the id a lesson's event takes after its own was
// deleted by hand: derived from the old one, so a retry makes the same.
func anotherEventID(old string) string {
	sum := sha256.Sum256([]byte("tutorbase/again/" + old))
	return "tb" + hex.EncodeToString(sum[:15])
}

func meetLink(ev *calendar.Event) string {
	if ev == nil {
		return ""
	}
	return ev.HangoutLink
}

// settle records a push's outcome if the row is still the version pushed
// (with then, in the same transaction); a row changed meanwhile stays
// pending for its newer version.
func (s *Service) settle(app core.App, r *outboxRow, set dbx.Params, then func(tx core.App) error) error {
	set["updated"] = platform.DBTime(s.env.Now())
	return app.RunInTransaction(func(tx core.App) error {
		res, err := tx.DB().Update(Events, set, dbx.HashExp{"id": r.Id, "version": r.Version}).Execute()
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 || then == nil {
			return nil
		}
		return then(tx)
	})
}

func isStatus(err error, codes ...int) bool {
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		return false
	}
	for _, c := range codes {
		if ge.Code == c {
			return true
		}
	}
	return false
}

// errorCode is the short reason stored on a row.
func errorCode(err error) string {
	var ge *googleapi.Error
	switch {
	case errors.Is(err, errCalendarUnreadable):
		return "calendar_unreadable"
	case errors.As(err, &ge) && ge.Code == http.StatusTooManyRequests:
		return "rate_limited"
	case errors.As(err, &ge) && ge.Code >= 500:
		return "google_unavailable"
	case errors.As(err, &ge):
		return "google_refused"
	}
	return "network"
}
