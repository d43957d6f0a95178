package google

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"tutorbase/internal/app/availability"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/icalfeed"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"google.golang.org/api/calendar/v3"
)

// Busy times of a tutor's Google Calendar are read with freeBusy (times
// only: Google answers no title, no place, no guest) every BusyEvery, and
// replace the connection's rows of busy_times in one transaction: the slot
// engine and the booking rules read them exactly as the iCal feeds' and
// time off (internal/app/availability). A failed read keeps the last busy
// times and tries again after BusyEvery.
const (
	// BusyEvery is how often a tutor's Google busy times are read.
	BusyEvery = 5 * time.Minute
	// busyPast and busyHorizon bound the read (the tutor's "book up to …
	// days ahead" when shorter than the horizon).
	busyPast    = 8 * 24 * time.Hour
	busyHorizon = 366 * 24 * time.Hour
	// busyWindow is one freeBusy query's range.
	busyWindow = 60 * 24 * time.Hour
	// maxBusy bounds the intervals stored for one connection.
	maxBusy = 5000
	// busyBatch bounds one run of the job.
	busyBatch = 200
)

// linkRow is what an import reads of a connection.
type linkRow struct {
	Id       string `db:"id"`
	User     string `db:"user"`
	Calendar string `db:"calendar"`
	Busy     string `db:"busy_calendars"`
	Tokens   string `db:"sync_tokens"`
	Channels string `db:"channels"`
	Secret   string `db:"channel_token"`
	FullAt   string `db:"busy_full_at"`
	Version  int64  `db:"version"`
}

// ImportDue is the job: it reads the busy times of the tutors' connections
// whose next read has come.
func (s *Service) ImportDue(app core.App, now time.Time) error {
	if !s.CalendarOn() {
		return nil
	}
	var users []string
	err := app.DB().Select("user").From(Links).Where(dbx.HashExp{"status": LinkConnected}).
		AndWhere(dbx.NewExp("busy_next != '' AND busy_next <= {:now}", dbx.Params{"now": platform.DBTime(now)})).
		OrderBy("busy_next").Limit(busyBatch).Column(&users)
	if err != nil {
		return err
	}
	var errs []error
	for _, u := range users {
		if err := s.ImportBusy(app, u, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ImportBusy brings user's busy times up to date now (a tutor's; anyone
// else's connection only writes lessons): the chosen calendars' changes
// since their sync tokens, then, when something changed (or once a day,
// so the horizon moves), their busy times by freeBusy; with push on, their
// events.watch channels are opened or renewed. The outcome is stored by
// compare-and-set on the connection's version.
func (s *Service) ImportBusy(app core.App, user string, now time.Time) error {
	var l linkRow
	err := app.DB().Select("id", "user", "calendar", "COALESCE(busy_calendars, '') AS busy_calendars", "COALESCE(sync_tokens, '') AS sync_tokens",
		"COALESCE(channels, '') AS channels", "channel_token", "busy_full_at", "CAST(version AS INTEGER) AS version").From(Links).
		Where(dbx.HashExp{"user": user, "status": LinkConnected}).One(&l)
	if err != nil {
		return nil // not connected (any more)
	}
	tutor, err := tutorOf(app, user)
	if err != nil {
		_, err := s.casLink(app, &l, dbx.Params{"busy_next": ""}, nil, nil) // not a tutor: nothing blocks
		return err
	}
	horizon := busyHorizon
	if tutor.MaxAdvance > 0 {
		horizon = min(tutor.MaxAdvance+24*time.Hour, busyHorizon)
	}
	from, to := now.Add(-busyPast).Truncate(time.Hour), now.Add(horizon)
	r, err := s.readBusy(app, &l, from, to, now, false)
	if isStatus(err, http.StatusUnauthorized) {
		r, err = s.readBusy(app, &l, from, to, now, true)
	}
	if errors.Is(err, errNotConnected) {
		return nil
	}
	if err != nil {
		if revoked, _ := classify(err); revoked {
			return s.revoke(app, user, now)
		}
		app.Logger().Warn("google busy times not read", "user", user, "error", err)
		_, err := s.casLink(app, &l, dbx.Params{"busy_next": platform.DBTime(now.Add(BusyEvery)), "last_error": errorCode(err)}, nil, nil)
		return err
	}
	set := dbx.Params{"busy_next": platform.DBTime(now.Add(BusyEvery)), "last_error": "", "sync_tokens": jsonText(r.tokens),
		"channels": jsonText(r.channels), "channel_token": r.secret}
	var tutorID *string
	if r.read {
		set["busy_synced_at"], set["busy_events"], set["busy_full_at"], tutorID = platform.DBTime(now), len(r.intervals), platform.DBTime(now), &tutor.Id
	}
	stored, err := s.casLink(app, &l, set, tutorID, r.intervals)
	if stored {
		s.stopChannels(app, user, r.stop) // channels of calendars no longer chosen, or renewed
	} else {
		s.stopChannels(app, user, r.opened) // a newer state won: the channels opened here are not kept
	}
	return err
}

// freeBusy asks Google for the busy intervals of the calendars cals in
// [from, to), a window at a time, merged and cut at
// availability.MaxBusySpan. No calendar chosen: nothing is busy.
func freeBusy(ctx context.Context, svc *calendar.Service, cals []string, from, to time.Time) ([]icalfeed.Interval, error) {
	if len(cals) == 0 {
		return nil, nil
	}
	items := make([]*calendar.FreeBusyRequestItem, len(cals))
	for i, cal := range cals {
		items[i] = &calendar.FreeBusyRequestItem{Id: cal}
	}
	var all []icalfeed.Interval
	for lo := from; lo.Before(to); lo = lo.Add(busyWindow) {
		hi := lo.Add(busyWindow)
		if hi.After(to) {
			hi = to
		}
		res, err := svc.Freebusy.Query(&calendar.FreeBusyRequest{TimeMin: lo.UTC().Format(time.RFC3339),
			TimeMax: hi.UTC().Format(time.RFC3339), Items: items}).Context(ctx).Do()
		if err != nil {
			return nil, err
		}
		for _, cal := range cals {
			busy, err := busyOf(res, cal)
			if err != nil {
				return nil, err
			}
			all = append(all, busy...)
		}
	}
	out := icalfeed.Normalize(all, availability.MaxBusySpan)
	if len(out) > maxBusy {
		out = out[:maxBusy]
	}
	return out, nil
}

// casLink writes set to the connection if its version is still the one
// read; with tutor, its busy times are replaced by intervals in the same
// transaction. A connection changed meanwhile (another import, a
// disconnect) is left alone.
func (s *Service) casLink(app core.App, l *linkRow, set dbx.Params, tutor *string, intervals []icalfeed.Interval) (bool, error) {
	set["version"] = l.Version + 1
	set["updated"] = platform.DBTime(s.env.Now())
	err := app.RunInTransaction(func(tx core.App) error {
		res, err := tx.DB().Update(Links, set, dbx.HashExp{"id": l.Id, "version": l.Version, "status": LinkConnected}).Execute()
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errStale
		}
		if tutor == nil {
			return nil
		}
		if _, err := tx.DB().Delete("busy_times", dbx.HashExp{"google": l.Id}).Execute(); err != nil {
			return err
		}
		return insertBusy(tx, l, *tutor, intervals)
	})
	if errors.Is(err, errStale) {
		return false, nil
	}
	return err == nil, err
}

// insertBusy writes a connection's intervals, 100 rows a statement.
func insertBusy(tx core.App, l *linkRow, tutor string, intervals []icalfeed.Interval) error {
	for lo := 0; lo < len(intervals); lo += 100 {
		batch := intervals[lo:min(lo+100, len(intervals))]
		q := `INSERT INTO busy_times (id, google, tutor, tutor_user, start, "end") VALUES `
		p := dbx.Params{"google": l.Id, "tutor": tutor, "user": l.User}
		for i, iv := range batch {
			if i > 0 {
				q += ", "
			}
			k := fmt.Sprint(i)
			q += "({:id" + k + "}, {:google}, {:tutor}, {:user}, {:s" + k + "}, {:e" + k + "})"
			p["id"+k], p["s"+k], p["e"+k] = core.GenerateDefaultRandomId(), platform.DBTime(iv.Start), platform.DBTime(iv.End)
		}
		if _, err := tx.DB().NewQuery(q).Bind(p).Execute(); err != nil {
			return fmt.Errorf("failed to store google busy times: %w", err)
		}
	}
	return nil
}

// tutorOf is the tutor profile of a user.
func tutorOf(app core.App, user string) (*platform.Tutor, error) {
	var id string
	if err := app.DB().Select("id").From("tutors").Where(dbx.HashExp{"user": user}).Limit(1).Row(&id); err != nil {
		return nil, err
	}
	return platform.LoadTutor(app, id)
}

// errCalendarUnreadable: freeBusy could not read a chosen calendar (it
// was deleted, or its sharing withdrawn).
var errCalendarUnreadable = errors.New("a chosen calendar cannot be read")

// busyOf reads one calendar's busy intervals of a freeBusy answer.
func busyOf(res *calendar.FreeBusyResponse, cal string) ([]icalfeed.Interval, error) {
	fc, ok := res.Calendars[cal]
	if !ok {
		return nil, fmt.Errorf("freeBusy did not answer calendar %q: %w", cal, errCalendarUnreadable)
	}
	if len(fc.Errors) > 0 {
		return nil, fmt.Errorf("freeBusy %q: %s: %w", cal, fc.Errors[0].Reason, errCalendarUnreadable)
	}
	var out []icalfeed.Interval
	for _, p := range fc.Busy {
		st, err1 := time.Parse(time.RFC3339, p.Start)
		en, err2 := time.Parse(time.RFC3339, p.End)
		if err1 == nil && err2 == nil {
			out = append(out, icalfeed.Interval{Start: st.UTC(), End: en.UTC()})
		}
	}
	return out, nil
}
