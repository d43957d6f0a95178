package busy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"tutorbase/internal/app/availability"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/icalfeed"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// feedRow is what a refresh reads of a feed before fetching.
type feedRow struct {
	Id           string `db:"id"`
	Tutor        string `db:"tutor"`
	TutorUser    string `db:"tutor_user"`
	Name         string `db:"name"`
	URL          string `db:"url"`
	Version      int64  `db:"version"`
	ETag         string `db:"etag"`
	LastModified string `db:"last_modified"`
	ExpandedAt   string `db:"expanded_at"`
}

// errStale: another refresh (or an edit of the address) committed first.
var errStale = errors.New("the feed changed meanwhile")

// ErrNoFeed: the feed does not exist (any more).
var ErrNoFeed = errors.New("no such calendar feed")

// Refresh fetches one feed now and stores the outcome by compare-and-set
// on the feed's version: new busy times replace the old ones in one
// transaction; a 304 or a failure keeps them. Of refreshes racing on one
// feed the first to commit has its effect and the others none. A failed
// fetch is an outcome, not an error: errors are the server's own.
func (s *Service) Refresh(app core.App, id string, now time.Time) error {
	var f feedRow
	err := app.DB().Select("id", "tutor", "tutor_user", "name", "url", "CAST(version AS INTEGER) AS version", "etag",
		"last_modified", "expanded_at").From(Feeds).Where(dbx.HashExp{"id": id}).One(&f)
	if err != nil {
		return ErrNoFeed
	}
	v := icalfeed.Validators{ETag: f.ETag, LastModified: f.LastModified}
	if expanded, err := time.Parse(types.DefaultDateLayout, f.ExpandedAt); err != nil || now.Sub(expanded) >= fullReadEvery {
		v = icalfeed.Validators{} // read it whole: the horizon moved
	}
	page, err := s.Fetcher.Fetch(context.Background(), f.URL, v, allowPrivate(app))
	var fe *icalfeed.FetchError
	switch {
	case errors.As(err, &fe):
		return s.fail(app, &f, now, fe.Code, fe.Status)
	case err != nil:
		return s.fail(app, &f, now, icalfeed.CodeNetwork, 0)
	case page.NotModified:
		return s.settle(app, &f, now, nil, nil)
	}
	intervals, code, err := s.read(app, &f, page.Body, now)
	if err != nil {
		return err
	}
	if code != "" {
		return s.fail(app, &f, now, code, 0)
	}
	return s.settle(app, &f, now, &page.Validators, intervals)
}

// read expands a feed's body over the tutor's horizon, in the tutor's
// zone; a body that cannot be read gives its code.
func (s *Service) read(app core.App, f *feedRow, body []byte, now time.Time) ([]icalfeed.Interval, string, error) {
	t, err := platform.LoadTutor(app, f.Tutor)
	if err != nil {
		return nil, "", fmt.Errorf("tutor of feed %s: %w", f.Id, err)
	}
	horizon := MaxHorizon
	if t.MaxAdvance > 0 {
		horizon = min(t.MaxAdvance, MaxHorizon)
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.ReadTimeout)
	defer cancel()
	res, err := icalfeed.Busy(ctx, body, icalfeed.Options{
		From: now.Add(-keepPast).Truncate(time.Hour), To: now.Add(horizon + 24*time.Hour), Zone: t.Location,
		MaxSpan: availability.MaxBusySpan,
	})
	switch {
	case errors.Is(err, icalfeed.ErrTooMany):
		return nil, icalfeed.CodeTooManyBusy, nil
	case err != nil:
		return nil, icalfeed.CodeUnparsable, nil
	}
	return res.Intervals, "", nil
}

// settle records a fetch that worked: with validators, a full read whose
// intervals replace the feed's; without, a 304 that keeps them.
func (s *Service) settle(app core.App, f *feedRow, now time.Time, v *icalfeed.Validators, intervals []icalfeed.Interval) error {
	set := dbx.Params{"status": StatusOK, "failures": 0, "last_error": "", "last_status": 0, "checked_at": dbTime(now),
		"synced_at": dbTime(now), "next_attempt": dbTime(now.Add(RefreshEvery)), "notified_at": ""}
	if v != nil {
		set["etag"], set["last_modified"], set["expanded_at"], set["events"] = v.ETag, v.LastModified, dbTime(now), len(intervals)
	}
	err := app.RunInTransaction(func(tx core.App) error {
		if err := compareAndSet(tx, f, now, set); err != nil {
			return err
		}
		if v == nil {
			return nil
		}
		if _, err := tx.DB().Delete(Times, dbx.HashExp{"feed": f.Id}).Execute(); err != nil {
			return err
		}
		return insertTimes(tx, f, intervals)
	})
	if errors.Is(err, errStale) {
		return nil
	}
	return err
}

// fail records a failed fetch: the busy times stay, the next attempt
// backs off, and after NotifyAfter failures in a row the tutor is told,
// once, in the same transaction.
func (s *Service) fail(app core.App, f *feedRow, now time.Time, code string, status int) error {
	err := app.RunInTransaction(func(tx core.App) error {
		var state struct {
			Failures int    `db:"failures"`
			Notified string `db:"notified_at"`
		}
		err := tx.DB().Select("CAST(failures AS INTEGER) AS failures", "notified_at").From(Feeds).
			Where(dbx.HashExp{"id": f.Id}).One(&state)
		if err != nil {
			return errStale
		}
		n := state.Failures + 1
		set := dbx.Params{"status": StatusFailing, "failures": n, "last_error": code, "last_status": status,
			"checked_at": dbTime(now), "next_attempt": dbTime(now.Add(retryAfter(n)))}
		tell := n >= NotifyAfter && state.Notified == ""
		if tell {
			set["notified_at"] = dbTime(now)
		}
		if err := compareAndSet(tx, f, now, set); err != nil {
			return err
		}
		if tell {
			s.notes.Notify(tx, []string{f.TutorUser}, notify.Event{Kind: notify.KindCalendarFeedFailing, Subject: f.Name,
				Link: tx.Settings().Meta.AppURL + "/settings#busy-feeds"}, map[string]any{"feed": f.Id})
		}
		return nil
	})
	if errors.Is(err, errStale) {
		return nil
	}
	return err
}

// compareAndSet writes set (and a new version) to the feed if its version
// is still the one read before the fetch; else errStale.
func compareAndSet(tx core.App, f *feedRow, now time.Time, set dbx.Params) error {
	set["version"] = f.Version + 1
	set["updated"] = dbTime(now)
	res, err := tx.DB().Update(Feeds, set, dbx.HashExp{"id": f.Id, "version": f.Version}).Execute()
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errStale
	}
	return nil
}

// insertTimes writes a feed's intervals, 100 rows a statement.
func insertTimes(tx core.App, f *feedRow, intervals []icalfeed.Interval) error {
	for lo := 0; lo < len(intervals); lo += 100 {
		batch := intervals[lo:min(lo+100, len(intervals))]
		q := `INSERT INTO ` + Times + ` (id, feed, tutor, tutor_user, start, "end") VALUES `
		p := dbx.Params{"feed": f.Id, "tutor": f.Tutor, "user": f.TutorUser}
		for i, iv := range batch {
			if i > 0 {
				q += ", "
			}
			k := fmt.Sprint(i)
			q += "({:id" + k + "}, {:feed}, {:tutor}, {:user}, {:s" + k + "}, {:e" + k + "})"
			p["id"+k], p["s"+k], p["e"+k] = core.GenerateDefaultRandomId(), dbTime(iv.Start), dbTime(iv.End)
		}
		if _, err := tx.DB().NewQuery(q).Bind(p).Execute(); err != nil {
			return fmt.Errorf("failed to store busy times: %w", err)
		}
	}
	return nil
}

func dbTime(t time.Time) string { return platform.DBTime(t) }
