package google

import (
	"context"
	"errors"
	"net/http"
	"time"

	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/oauth2"
	"google.golang.org/api/calendar/v3"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
)

// errNotConnected: the person has no working connection.
var errNotConnected = errors.New("no google connection")

// conn is a person's usable connection.
type conn struct {
	link   *core.Record
	source oauth2.TokenSource
	before *oauth2.Token
}

// connect opens user's connection: the stored token, refreshed by the
// oauth2 client when it has expired.
func (s *Service) connect(app core.App, user string) (*conn, error) { return s.open(app, user, false) }

func (s *Service) open(app core.App, user string, fresh bool) (*conn, error) {
	link, err := app.FindFirstRecordByData(Links, "user", user)
	if err != nil || link.GetString("status") != LinkConnected {
		return nil, errNotConnected
	}
	refresh, err := s.box.Open(link.GetString("refresh_token"), purpose(link.Id, "refresh"))
	if err != nil || refresh == "" {
		return nil, errNotConnected
	}
	access, _ := s.box.Open(link.GetString("access_token"), purpose(link.Id, "access")) // unreadable: refreshed
	tok := &oauth2.Token{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer", Expiry: link.GetDateTime("token_expiry").Time()}
	if fresh {
		tok.Expiry = time.Unix(1, 0) // expired: the client refreshes first
	}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, s.HTTP)
	return &conn{link: link, before: tok, source: s.oauth("").TokenSource(ctx, tok)}, nil
}

// options are the API client options of a connection: its tokens and the
// configured endpoint.
func (s *Service) options(c *conn, endpoint string) []option.ClientOption {
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, s.HTTP)
	return []option.ClientOption{option.WithHTTPClient(oauth2.NewClient(ctx, c.source)), option.WithEndpoint(endpoint)}
}

// calendarClient opens user's connection and a Calendar client on it for
// one call; done ends the call's context and keeps a token refreshed
// meanwhile.
func (s *Service) calendarClient(app core.App, user string, fresh bool) (*calendar.Service, context.Context, func(), error) {
	c, err := s.open(app, user, fresh)
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel := s.ctx()
	done := func() { cancel(); s.keep(app, c) }
	svc, err := calendar.NewService(ctx, s.options(c, s.env.Config.Google.CalendarEndpoint())...)
	if err != nil {
		done()
		return nil, nil, nil, err
	}
	return svc, ctx, done, nil
}

// keep stores a refreshed access token (only if the link is unchanged
// meanwhile: a disconnect wins).
func (s *Service) keep(app core.App, c *conn) {
	tok, err := c.source.Token()
	if err != nil || tok.AccessToken == c.before.AccessToken {
		return
	}
	set := dbx.Params{"access_token": s.box.Seal(tok.AccessToken, purpose(c.link.Id, "access")), "token_expiry": tok.Expiry.UTC().Format("2006-01-02 15:04:05.000Z")}
	_, _ = app.DB().Update(Links, set, dbx.HashExp{"id": c.link.Id, "status": LinkConnected}).Execute()
}

// classify reads an error of a call to Google: revoked consent, worth a
// retry (a 5xx, a 429, no answer), or refused for good.
func classify(err error) (revoked, retry bool) {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.ErrorCode == "invalid_grant" || re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
			return true, false
		}
		return false, re.Response == nil || re.Response.StatusCode >= 500 || re.Response.StatusCode == http.StatusTooManyRequests
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		switch {
		case ge.Code == http.StatusUnauthorized:
			return true, false
		case ge.Code >= 500, ge.Code == http.StatusTooManyRequests:
			return false, true
		case ge.Code == http.StatusForbidden:
			// Google's rate limits answer 403 with these reasons
			for _, item := range ge.Errors {
				if item.Reason == "rateLimitExceeded" || item.Reason == "userRateLimitExceeded" {
					return false, true
				}
			}
		}
		return false, false
	}
	return false, true // no answer: the network, a timeout
}

// revoke marks user's connection revoked, stops what was owed to their
// calendar and tells them, once: of racing callers one moves the status.
func (s *Service) revoke(app core.App, user string, now time.Time) error {
	return app.RunInTransaction(func(tx core.App) error {
		res, err := tx.DB().Update(Links, dbx.Params{"status": LinkRevoked, "last_error": "revoked", "access_token": "",
			"busy_next": ""}, dbx.HashExp{"user": user, "status": LinkConnected}).Execute()
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		if err := s.stopRows(tx, user); err != nil {
			return err
		}
		s.notes.Notify(tx, []string{user}, notify.Event{Kind: notify.KindGoogleDisconnected,
			Link: tx.Settings().Meta.AppURL + "/settings#google"}, map[string]any{"google": user})
		return nil
	})
}

var errStale = errors.New("the row changed meanwhile")

// stopRows stops what is owed to user's calendar; lessons still waiting
// for their Meet link get a Jitsi room (and their tutor is told).
func (s *Service) stopRows(tx core.App, user string) error {
	var waiting []string
	err := tx.DB().Select("booking").From(Events).Where(dbx.HashExp{"user": user, "status": EventPending, "meet": true}).Column(&waiting)
	if err != nil {
		return err
	}
	if _, err := tx.DB().Update(Events, dbx.Params{"status": EventStopped}, dbx.HashExp{"user": user, "status": EventPending}).Execute(); err != nil {
		return err
	}
	for _, b := range waiting {
		if err := s.meetFailed(tx, b); err != nil {
			return err
		}
	}
	return nil
}
