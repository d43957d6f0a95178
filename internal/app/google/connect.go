package google

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/oauth2"
)

// CallbackPath is the web app's page Google sends the consent back to
// (TB_APP_URL + CallbackPath is the redirect URI registered at Google).
const CallbackPath = "/google-callback"

// Status is what a person sees of their Google Calendar connection; the
// tokens never leave the server.
type Status struct {
	Available     bool     `json:"available"` // the school configured Google Calendar
	Status        string   `json:"status"`    // "", pending, connected, revoked
	Email         string   `json:"email"`
	Calendar      string   `json:"calendar"`       // where new lessons are written
	BusyCalendars []string `json:"busy_calendars"` // whose busy times block the person's slots
	LastError     string   `json:"last_error"`
	ConnectedAt   string   `json:"connected_at"`
	BusySyncedAt  string   `json:"busy_synced_at"`
	BusyEvents    int      `json:"busy_events"`
}

// CalendarStatus is GET /api/google/calendar: the caller's connection.
func (s *Service) CalendarStatus(e *core.RequestEvent) error {
	return e.JSON(http.StatusOK, s.status(e.App, e.Auth.Id))
}

func (s *Service) status(app core.App, user string) Status {
	st := Status{Available: s.CalendarOn()}
	link, err := app.FindFirstRecordByData(Links, "user", user)
	if err != nil {
		return st
	}
	st.Status, st.Email, st.Calendar, st.LastError = link.GetString("status"), link.GetString("email"), link.GetString("calendar"), link.GetString("last_error")
	st.ConnectedAt, st.BusySyncedAt, st.BusyEvents = link.GetString("connected_at"), link.GetString("busy_synced_at"), link.GetInt("busy_events")
	st.BusyCalendars = busyCalendars(link.GetString("busy_calendars"))
	return st
}

// Connect is POST /api/google/calendar/connect: it answers the address of
// Google's consent page (the calendar scope, offline access) with a state
// bound to the caller, kept for stateTTL.
func (s *Service) Connect(e *core.RequestEvent) error {
	if !s.CalendarOn() {
		return notConfigured()
	}
	state := randomHex(16)
	now := s.env.Now()
	err := e.App.RunInTransaction(func(tx core.App) error {
		link, err := tx.FindFirstRecordByData(Links, "user", e.Auth.Id)
		if err != nil {
			col, err := tx.FindCachedCollectionByNameOrId(Links)
			if err != nil {
				return err
			}
			link = core.NewRecord(col)
			link.Set("user", e.Auth.Id)
			link.Set("status", LinkPending)
		}
		link.Set("state", state)
		link.Set("state_expires", now.Add(stateTTL))
		return tx.Save(link)
	})
	if err != nil {
		return err
	}
	url := s.oauth(s.redirect()).AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.SetAuthURLParam("prompt", "consent"),
		oauth2.SetAuthURLParam("include_granted_scopes", "true"))
	return e.JSON(http.StatusOK, map[string]string{"url": url})
}

func (s *Service) redirect() string { return s.env.Config.AppURL + CallbackPath }

// Callback is POST /api/google/calendar/callback {code, state}: the web
// app's callback page hands over Google's answer; the code is exchanged
// for tokens, sealed and stored, and the sync starts. The state is used
// once (compare-and-set), so a replayed answer changes nothing.
func (s *Service) Callback(e *core.RequestEvent) error {
	if !s.CalendarOn() {
		return notConfigured()
	}
	var in struct{ Code, State string }
	if err := json.NewDecoder(http.MaxBytesReader(e.Response, e.Request.Body, 16<<10)).Decode(&in); err != nil || in.Code == "" || in.State == "" {
		return badConsent()
	}
	now := s.env.Now()
	res, err := e.App.DB().Update(Links, dbx.Params{"state": "", "state_expires": ""}, dbx.And(
		dbx.HashExp{"user": e.Auth.Id, "state": in.State}, dbx.NewExp("state_expires > {:now}", dbx.Params{"now": platform.DBTime(now)}),
	)).Execute()
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return badConsent()
	}
	ctx, cancel := s.ctx()
	defer cancel()
	tok, err := s.oauth(s.redirect()).Exchange(ctx, in.Code)
	if err != nil || tok.RefreshToken == "" {
		e.App.Logger().Warn("google consent exchange failed", "user", e.Auth.Id, "error", err)
		return badConsent()
	}
	email, err := s.accountEmail(tok)
	if err != nil {
		e.App.Logger().Warn("google userinfo failed", "user", e.Auth.Id, "error", err)
		return badConsent()
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		link, err := tx.FindFirstRecordByData(Links, "user", e.Auth.Id)
		if err != nil {
			return err
		}
		link.Set("email", email)
		if link.GetString("calendar") == "" {
			link.Set("calendar", "primary")
		}
		if raw := link.GetString("busy_calendars"); raw == "" || raw == "null" {
			link.Set("busy_calendars", []string{"primary"}) // a choice made before is kept when connecting again
		}
		link.Set("status", LinkConnected)
		link.Set("last_error", "")
		link.Set("connected_at", now)
		link.Set("busy_next", now)
		s.storeToken(link, tok)
		return tx.Save(link)
	})
	if err != nil {
		return err
	}
	if err := s.ImportBusy(e.App, e.Auth.Id, now); err != nil {
		e.App.Logger().Warn("first import of google busy times failed", "user", e.Auth.Id, "error", err)
	}
	return e.JSON(http.StatusOK, s.status(e.App, e.Auth.Id))
}

// Disconnect is POST /api/google/calendar/disconnect: the tokens are revoked at
// Google (best effort) and removed, the imported busy times go with the
// connection (cascade) and the lessons owed to the calendar stop.
func (s *Service) Disconnect(e *core.RequestEvent) error {
	link, err := e.App.FindFirstRecordByData(Links, "user", e.Auth.Id)
	if err != nil {
		return e.NoContent(http.StatusNoContent)
	}
	if s.CalendarOn() {
		s.stopChannels(e.App, e.Auth.Id, linkChannels(link)) // before the revoke, while the token works
		if refresh, err := s.box.Open(link.GetString("refresh_token"), purpose(link.Id, "refresh")); err == nil && refresh != "" {
			s.revokeAtGoogle(refresh)
		}
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := s.stopRows(tx, e.Auth.Id); err != nil {
			return err
		}
		return tx.Delete(link)
	})
	if err != nil {
		return err
	}
	return e.NoContent(http.StatusNoContent)
}

func (s *Service) revokeAtGoogle(token string) {
	ctx, cancel := s.ctx()
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.env.Config.Google.RevokeURL(), strings.NewReader("token="+token))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res, err := s.HTTP.Do(req); err == nil {
		res.Body.Close()
	}
}

// accountEmail asks Google whose account the token is.
func (s *Service) accountEmail(tok *oauth2.Token) (string, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.env.Config.Google.UserInfoURL(), nil)
	if err != nil {
		return "", err
	}
	tok.SetAuthHeader(req)
	res, err := s.HTTP.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return "", errors.New("userinfo: " + res.Status)
	}
	var info struct {
		Email string `json:"email"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, res.Body, 64<<10)).Decode(&info); err != nil {
		return "", err
	}
	return info.Email, nil
}

// storeToken seals a token's parts into link (a token without a refresh
// token, as a refresh answers, keeps the stored one).
func (s *Service) storeToken(link *core.Record, tok *oauth2.Token) {
	if tok.RefreshToken != "" {
		link.Set("refresh_token", s.box.Seal(tok.RefreshToken, purpose(link.Id, "refresh")))
	}
	link.Set("access_token", s.box.Seal(tok.AccessToken, purpose(link.Id, "access")))
	link.Set("token_expiry", tok.Expiry.UTC())
}

// purpose binds a sealed token to its record and field.
func purpose(linkID, field string) string { return Links + "/" + linkID + "/" + field }

func notConfigured() error {
	msg := "Google Calendar is not set up for this school."
	return apis.NewBadRequestError(msg, validation.Errors{"google": validation.NewError("not_configured", msg)})
}

func badConsent() error {
	msg := "Google did not confirm the connection. Try connecting again."
	return apis.NewBadRequestError(msg, validation.Errors{"code": validation.NewError("bad_consent", msg)})
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
