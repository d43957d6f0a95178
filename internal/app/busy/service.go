// Package busy owns the calendars tutors keep elsewhere (Google, Apple,
// Outlook, Proton, Nextcloud): the secret iCal addresses they paste
// (calendar_feeds, private to the tutor and staff), fetched every ten
// minutes by a job and on demand, and the busy intervals read from them
// (busy_times: instants only, never a title). The slot engine and the
// booking rules treat busy times exactly as time off
// (internal/app/availability). The fetching and the reading are
// internal/icalfeed's.
package busy

import (
	"time"

	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/icalfeed"

	"github.com/pocketbase/pocketbase/core"
)

// Collections this capability owns.
const (
	Feeds = "calendar_feeds"
	Times = "busy_times" // availability.BusyTable
)

// Feed statuses.
const (
	StatusPending = "pending" // never read yet
	StatusOK      = "ok"
	StatusFailing = "failing" // the last fetch failed; the last good busy times still hold
)

// Policy.
const (
	// RefreshEvery is how often a feed is fetched while it works.
	RefreshEvery = 10 * time.Minute
	// NotifyAfter failures in a row tell the tutor, once per run of
	// failures.
	NotifyAfter = 3
	// MaxFeeds is how many calendars one tutor may add.
	MaxFeeds = 10
	// MaxHorizon caps how far ahead a feed is read (a tutor's
	// max_advance_days, or this when it is 0, "no limit").
	MaxHorizon = 366 * 24 * time.Hour
	// keepPast is how far back busy times are kept (the tutor's calendar
	// page shows the whole current week).
	keepPast = 8 * 24 * time.Hour
	// fullReadEvery: a feed answered 304 for this long is read again
	// whole, so its horizon moves with the days.
	fullReadEvery = 24 * time.Hour
	// retryFirst and retryMax bound the back-off after failures: 5, 10,
	// 20, 40 minutes ... up to 6 hours.
	retryFirst = 5 * time.Minute
	retryMax   = 6 * time.Hour
	// jobBatch and jobWorkers bound one run of the job.
	jobBatch   = 200
	jobWorkers = 4
)

// Service reads tutors' calendar feeds.
type Service struct {
	env   platform.Env
	notes *notifications.Service
	// Fetcher downloads feeds (tests shorten its limits before any
	// request).
	Fetcher icalfeed.Fetcher
	// ReadTimeout bounds the reading of one feed's events.
	ReadTimeout time.Duration
}

// New returns the service that tells tutors through notes.
func New(env platform.Env, notes *notifications.Service) *Service {
	return &Service{env: env, notes: notes, ReadTimeout: 10 * time.Second}
}

// serverFields are filled by the server alone.
var serverFields = []string{
	"tutor_user", "status", "last_error", "last_status", "failures", "events", "version", "checked_at",
	"synced_at", "next_attempt", "notified_at", "etag", "last_modified", "expanded_at",
}

// Register binds the rules of calendar feeds on every write path.
func (s *Service) Register(app core.App) {
	platform.OneLine(app, Feeds, "name")
	platform.Guard(app, Feeds, platform.FieldGuard{Server: serverFields, Immutable: []string{"tutor"}})
	app.OnRecordCreate(Feeds).BindFunc(s.feedCreate)
	app.OnRecordUpdate(Feeds).BindFunc(s.feedUpdate)
	app.OnRecordValidate(Feeds).BindFunc(feedValidate)
	app.OnRecordDelete(Feeds).BindFunc(feedDelete)
}

// retryAfter is the wait after the n-th failure in a row.
func retryAfter(n int) time.Duration {
	d := retryFirst
	for i := 1; i < n && d < retryMax; i++ {
		d *= 2
	}
	return min(d, retryMax)
}
