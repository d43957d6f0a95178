package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Google configures sign-in with Google and the Google Calendar sync
// (docs/calendars.md). Sign-in is on when the client id and secret are
// set; the Calendar sync needs the token key too, which encrypts the
// tutors' refresh tokens at rest.
type Google struct {
	ClientID     string // GOOGLE_CLIENT_ID
	ClientSecret string // GOOGLE_CLIENT_SECRET
	// OAuthBase replaces Google's accounts.google.com and
	// oauth2.googleapis.com (GOOGLE_OAUTH_BASE; tests point it at a fake).
	OAuthBase string
	// APIBase replaces https://www.googleapis.com (GOOGLE_API_BASE).
	APIBase string
	// TokenKey is the AES-256 key of the stored tokens (TB_GOOGLE_TOKEN_KEY,
	// 32 bytes in base64).
	TokenKey []byte
	// PushURL is the school's public base address Google sends Calendar
	// push notifications to (GOOGLE_PUSH_URL, https in production: Google
	// calls PushURL + "/api/google/push"); empty: busy times are polled.
	PushURL string
	// PickerKey and PickerAppID switch the Google Picker on in the web app
	// (GOOGLE_PICKER_API_KEY: an API key restricted to the Picker API and
	// the school's address; GOOGLE_PICKER_APP_ID: the Cloud project number).
	PickerKey, PickerAppID string
}

// Google's own endpoints.
const (
	DefaultGoogleAuthURL  = "https://accounts.google.com/o/oauth2/v2/auth"
	DefaultGoogleTokenURL = "https://oauth2.googleapis.com/token"
	DefaultGoogleRevoke   = "https://oauth2.googleapis.com/revoke"
	DefaultGoogleAPIBase  = "https://www.googleapis.com"
)

// SignIn reports whether sign-in with Google is configured.
func (g Google) SignIn() bool { return g.ClientID != "" && g.ClientSecret != "" }

// Calendar reports whether tutors may connect Google Calendar.
func (g Google) Calendar() bool { return g.SignIn() && len(g.TokenKey) == 32 }

// Picker reports whether the web app offers Google Picker for Drive files.
func (g Google) Picker() bool { return g.Calendar() && g.PickerKey != "" && g.PickerAppID != "" }

// AuthURL is the consent page.
func (g Google) AuthURL() string { return g.oauth("/o/oauth2/v2/auth", DefaultGoogleAuthURL) }

// TokenURL exchanges codes and refresh tokens.
func (g Google) TokenURL() string { return g.oauth("/token", DefaultGoogleTokenURL) }

// RevokeURL revokes a token when a tutor disconnects.
func (g Google) RevokeURL() string { return g.oauth("/revoke", DefaultGoogleRevoke) }

// UserInfoURL answers who signed in.
func (g Google) UserInfoURL() string { return g.api() + "/oauth2/v3/userinfo" }

// CalendarEndpoint is the base path of Calendar API v3.
func (g Google) CalendarEndpoint() string { return g.api() + "/calendar/v3/" }

// DriveEndpoint is the base path of Drive API v3.
func (g Google) DriveEndpoint() string { return g.api() + "/drive/v3/" }

func (g Google) oauth(path, def string) string {
	if g.OAuthBase == "" {
		return def
	}
	return g.OAuthBase + path
}

func (g Google) api() string {
	if g.APIBase == "" {
		return DefaultGoogleAPIBase
	}
	return g.APIBase
}

// readGoogle reads the client (both or neither), the bases and the key.
func (c *Config) readGoogle(env map[string]string) []error {
	g := Google{
		ClientID: env["GOOGLE_CLIENT_ID"], ClientSecret: env["GOOGLE_CLIENT_SECRET"],
		OAuthBase: strings.TrimRight(env["GOOGLE_OAUTH_BASE"], "/"), APIBase: strings.TrimRight(env["GOOGLE_API_BASE"], "/"),
		PushURL:   strings.TrimRight(env["GOOGLE_PUSH_URL"], "/"),
		PickerKey: env["GOOGLE_PICKER_API_KEY"], PickerAppID: env["GOOGLE_PICKER_APP_ID"],
	}
	var errs []error
	if (g.ClientID == "") != (g.ClientSecret == "") {
		errs = append(errs, errors.New("GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET must be set together"))
	}
	for _, u := range [][2]string{{"GOOGLE_OAUTH_BASE", g.OAuthBase}, {"GOOGLE_API_BASE", g.APIBase}, {"GOOGLE_PUSH_URL", g.PushURL}} {
		if u[1] == "" {
			continue
		}
		if err := checkURL(u[1]); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", u[0], err))
		}
	}
	if k := env["TB_GOOGLE_TOKEN_KEY"]; k != "" {
		key, err := base64.StdEncoding.DecodeString(k)
		if err != nil || len(key) != 32 {
			errs = append(errs, errors.New("TB_GOOGLE_TOKEN_KEY: not 32 bytes in base64 (openssl rand -base64 32 makes one)"))
		}
		g.TokenKey = key
	}
	c.Google = g
	return errs
}
