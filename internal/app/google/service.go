// Package google is Tutorbase's Google integration (docs/calendars.md):
// sign-in with Google configured from the environment and linked to an
// existing account only after its password; a person's Google Calendar
// connection (OAuth consent with offline access, tokens sealed at rest);
// lessons written to that calendar through a durable outbox after their
// booking commits; and busy times imported from it into busy_times, which
// the slot engine and the booking rules read as time off.
package google

import (
	"context"
	"net/http"
	"sync"
	"time"

	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/tokenbox"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/routine"
	"golang.org/x/oauth2"
)

// Collections this capability owns.
const (
	Links  = "google_links"
	Events = "google_events"
)

// Link statuses.
const (
	LinkPending   = "pending"   // consent asked, not answered yet
	LinkConnected = "connected" // tokens stored, sync running
	LinkRevoked   = "revoked"   // Google refused the tokens: the person is told, the sync stops
)

// Outbox statuses.
const (
	EventPending = "pending" // a change not yet in Google
	EventDone    = "done"
	EventFailed  = "failed"  // Google refused it for good (a 4xx), or the retries ran out
	EventStopped = "stopped" // the connection was revoked or removed
)

// Policy.
const (
	// CalendarScopes is the consent asked when connecting: write the
	// lessons' events, read free/busy.
	scopeEvents   = "https://www.googleapis.com/auth/calendar.events"
	scopeFreeBusy = "https://www.googleapis.com/auth/calendar.freebusy"
	scopeEmail    = "https://www.googleapis.com/auth/userinfo.email"
	scopeDrive    = "https://www.googleapis.com/auth/drive.file"                     // files picked with Google Picker only
	scopeList     = "https://www.googleapis.com/auth/calendar.calendarlist.readonly" // which calendars to read and write
	// stateTTL bounds a consent under way.
	stateTTL = 15 * time.Minute
	// maxAttempts pushes of one change before it is given up.
	maxAttempts = 8
	// retryFirst, retryMax: back-off of a push Google answered 5xx or 429
	// (or did not answer): 30 s, 1, 2, 4 ... minutes up to an hour.
	retryFirst = 30 * time.Second
	retryMax   = time.Hour
	// pushBatch bounds one run of the outbox.
	pushBatch = 100
	// callTimeout bounds one call to Google.
	callTimeout = 20 * time.Second
)

// Service is the Google integration of one app.
type Service struct {
	env   platform.Env
	notes *notifications.Service
	box   *tokenbox.Box // nil: Calendar not configured
	// HTTP is the client of every call to Google (tests may shorten it).
	HTTP *http.Client

	kick    chan struct{}
	stopped chan struct{}
	once    sync.Once
	mu      sync.Mutex // one push run at a time per process
}

// New returns the service; Calendar stays off without a token key.
func New(env platform.Env, notes *notifications.Service) *Service {
	s := &Service{env: env, notes: notes, HTTP: &http.Client{Timeout: callTimeout},
		kick: make(chan struct{}, 1), stopped: make(chan struct{})}
	if env.Config.Google.Calendar() {
		s.box, _ = tokenbox.New(env.Config.Google.TokenKey) // Calendar() checked the length
	}
	return s
}

// CalendarOn reports whether people may connect Google Calendar.
func (s *Service) CalendarOn() bool { return s.box != nil }

// Register applies the sign-in configuration, guards account linking and
// starts the outbox writer (stopped when the app terminates).
func (s *Service) Register(app core.App) {
	s.registerSignIn(app)
	if !s.CalendarOn() {
		return
	}
	for _, ev := range []string{"bookings"} {
		app.OnRecordAfterCreateSuccess(ev).BindFunc(func(e *core.RecordEvent) error { s.Kick(); return e.Next() })
		app.OnRecordAfterUpdateSuccess(ev).BindFunc(func(e *core.RecordEvent) error { s.Kick(); return e.Next() })
	}
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		s.once.Do(func() { close(s.stopped) })
		return e.Next()
	})
	routine.FireAndForget(func() { s.writer(app) })
}

// Kick wakes the outbox writer: a booking change committed.
func (s *Service) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// writer pushes the outbox whenever a change commits, until the app stops.
func (s *Service) writer(app core.App) {
	for {
		select {
		case <-s.stopped:
			return
		case <-s.kick:
			if err := s.PushDue(app, s.env.Now()); err != nil {
				app.Logger().Error("google calendar outbox", "error", err)
			}
		}
	}
}

// oauth is the OAuth client of Calendar consent.
func (s *Service) oauth(redirect string) *oauth2.Config {
	g := s.env.Config.Google
	return &oauth2.Config{
		ClientID: g.ClientID, ClientSecret: g.ClientSecret, RedirectURL: redirect,
		Endpoint: oauth2.Endpoint{AuthURL: g.AuthURL(), TokenURL: g.TokenURL(), AuthStyle: oauth2.AuthStyleInParams},
		Scopes:   []string{scopeEvents, scopeFreeBusy, scopeEmail, scopeDrive, scopeList},
	}
}

// ctx is the context of calls to Google: the service's client, bounded.
func (s *Service) ctx() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	return context.WithValue(ctx, oauth2.HTTPClient, s.HTTP), cancel
}

// retryAfter is the wait after the n-th failure in a row.
func retryAfter(n int) time.Duration {
	d := retryFirst
	for i := 1; i < n && d < retryMax; i++ {
		d *= 2
	}
	return min(d, retryMax)
}
