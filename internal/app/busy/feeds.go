package busy

import (
	"errors"
	"net/http"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/icalfeed"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// Codes of a feed that cannot be saved.
const (
	CodeTooManyFeeds = "too_many_feeds"
)

// normalize stores a feed's address in the form fetched (webcal:// is
// https://); an address that does not parse is left for feedValidate.
func normalize(r *core.Record) {
	if u, err := icalfeed.NormalizeURL(r.GetString("url")); err == nil {
		r.Set("url", u)
	}
}

// feedCreate fills a new feed's server fields (due at once) and, under
// the write lock, holds a tutor to MaxFeeds.
func (s *Service) feedCreate(e *core.RecordEvent) error {
	r := e.Record
	normalize(r)
	t, err := e.App.FindRecordById("tutors", r.GetString("tutor"))
	if err != nil {
		return validation.Errors{"tutor": validation.NewError("validation_missing_rel_records", "Unknown tutor.")}
	}
	r.Set("tutor_user", t.GetString("user"))
	r.Load(map[string]any{"status": StatusPending, "version": 1, "failures": 0, "events": 0, "last_error": "",
		"next_attempt": s.env.Now().UTC(), "checked_at": "", "synced_at": "", "notified_at": "", "etag": "",
		"last_modified": "", "expanded_at": ""})
	return platform.InTx(e, func() error {
		var n int
		err := e.App.DB().Select("count(*)").From(Feeds).Where(dbx.HashExp{"tutor": r.GetString("tutor")}).Row(&n)
		if err == nil && n > MaxFeeds {
			return platform.RuleError(http.StatusBadRequest, "url", CodeTooManyFeeds, "You can add at most 10 calendars.")
		}
		return err
	})
}

// feedUpdate keeps the server's fields as stored, re-read under the write
// lock, so that an edit of a feed's name never undoes a refresh that
// committed meanwhile. A new address is a new calendar: its busy times go
// at once, in the same transaction, and it is fetched again from scratch
// (the version moves, so a refresh of the old address still in flight
// stores nothing).
func (s *Service) feedUpdate(e *core.RecordEvent) error {
	original := e.App
	defer func() { e.App = original }()
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		r := e.Record
		normalize(r)
		stored, err := tx.FindRecordById(Feeds, r.Id)
		if err != nil {
			return err
		}
		for _, f := range serverFields {
			r.Set(f, stored.Get(f))
		}
		if r.GetString("url") != stored.GetString("url") {
			r.Load(map[string]any{"status": StatusPending, "version": stored.GetInt("version") + 1, "failures": 0,
				"events": 0, "last_error": "", "last_status": 0, "next_attempt": s.env.Now().UTC(), "notified_at": "",
				"etag": "", "last_modified": "", "expanded_at": ""})
			if _, err := tx.DB().Delete(Times, dbx.HashExp{"feed": r.Id}).Execute(); err != nil {
				return err
			}
		}
		return e.Next()
	})
}

// feedValidate checks the address: http, https or webcal, and not
// literally a private one unless the school allows them (names are
// checked again after DNS, on every fetch).
func feedValidate(e *core.RecordEvent) error {
	errs := validation.Errors{}
	u := e.Record.GetString("url")
	if u != "" {
		if _, err := icalfeed.NormalizeURL(u); err != nil {
			errs["url"] = validation.NewError(icalfeed.CodeBadURL, "Paste the calendar's secret address: it starts with https:// or webcal://.")
		} else if err := icalfeed.CheckHost(u, allowPrivate(e.App)); errors.Is(err, icalfeed.ErrBlockedAddress) {
			errs["url"] = validation.NewError(icalfeed.CodeBlocked,
				"This address is on a private network; Tutorbase reads calendars on the internet only, unless the school allows private addresses.")
		}
	}
	return platform.MergeErrors(e.Next(), errs)
}

// feedDelete removes a feed's busy times with it, in one statement of the
// same transaction (rather than the relation's cascade, a delete per
// interval).
func feedDelete(e *core.RecordEvent) error {
	original := e.App
	defer func() { e.App = original }()
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if _, err := tx.DB().Delete(Times, dbx.HashExp{"feed": e.Record.Id}).Execute(); err != nil {
			return err
		}
		return e.Next()
	})
}

// allowPrivate is the school's feeds_allow_private.
func allowPrivate(app core.App) bool {
	school, err := app.FindRecordById("school", migrations.SchoolId)
	return err == nil && school.GetBool("feeds_allow_private")
}
