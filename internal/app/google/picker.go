package google

import (
	"errors"
	"net/http"

	"tutorbase/internal/app/ops"

	"github.com/pocketbase/pocketbase/core"
)

// Google Picker: the tutor picks a Drive file or folder in a Google
// window (loaded from apis.google.com, only when the school configured
// GOOGLE_PICKER_API_KEY and GOOGLE_PICKER_APP_ID); its address becomes a
// link material, shared by DriveShare. The Picker needs the school's API
// key and project number and an access token of the tutor's own Google
// connection (drive.file scope), which this route answers to the tutor
// alone, fresh, never cached; the refresh token never leaves the server.

// PickerOn reports whether the web app offers Google Picker.
func (s *Service) PickerOn() bool { return s.CalendarOn() && s.env.Config.Google.Picker() }

// CSP is the web app's Content-Security-Policy: with the Picker on, what
// it loads from Google is allowed too.
func (s *Service) CSP() string {
	if s.PickerOn() {
		return ops.PickerCSP
	}
	return ops.AppCSP
}

// Picker is GET /api/google/picker: {available} and, for a connected
// tutor, {api_key, app_id, client_id, access_token}.
func (s *Service) Picker(e *core.RequestEvent) error {
	e.Response.Header().Set("Cache-Control", "no-store")
	if !s.PickerOn() {
		return e.JSON(http.StatusOK, map[string]any{"available": false})
	}
	c, err := s.connect(e.App, e.Auth.Id)
	if errors.Is(err, errNotConnected) {
		return notConnectedError()
	}
	if err != nil {
		return err
	}
	defer s.keep(e.App, c)
	tok, err := c.source.Token() // refreshed when it has expired
	if err != nil {
		if revoked, _ := classify(err); revoked {
			if err := s.revoke(e.App, e.Auth.Id, s.env.Now()); err != nil {
				return err
			}
			return notConnectedError()
		}
		e.App.Logger().Warn("google token for the picker failed", "user", e.Auth.Id, "error", err)
		return choiceError("google", "google_failed", "Google did not answer. Try again in a minute.")
	}
	g := s.env.Config.Google
	return e.JSON(http.StatusOK, map[string]any{"available": true, "api_key": g.PickerKey, "app_id": g.PickerAppID,
		"client_id": g.ClientID, "access_token": tok.AccessToken})
}
