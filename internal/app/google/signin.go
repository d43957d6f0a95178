package google

import (
	"database/sql"
	"errors"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/auth"
)

// registerSignIn applies GOOGLE_CLIENT_ID/SECRET to the users collection's
// Google provider (now when the app is up, as in tests; at every start
// after the migrations, as in production) and refuses to link Google to an
// existing account by its email alone.
func (s *Service) registerSignIn(app core.App) {
	app.OnRecordAuthWithOAuth2Request("users").BindFunc(linkOnlyAfterPassword)
	if !s.env.Config.Google.SignIn() {
		return
	}
	if app.IsBootstrapped() {
		if err := s.ApplySignIn(app); err != nil {
			app.Logger().Error("failed to configure sign-in with Google", "error", err)
		}
	}
	app.OnServe().BindFunc(func(e *core.ServeEvent) error {
		if err := s.ApplySignIn(e.App); err != nil {
			return err
		}
		return e.Next()
	})
}

// ApplySignIn writes the environment's Google client into the users
// collection's OAuth2 providers (replacing one set in the dashboard: the
// environment wins) and switches OAuth2 on. Without GOOGLE_CLIENT_ID it
// changes nothing, so a client typed in the dashboard keeps working.
func (s *Service) ApplySignIn(app core.App) error {
	g := s.env.Config.Google
	if !g.SignIn() {
		return nil
	}
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return err
	}
	p := core.OAuth2ProviderConfig{Name: auth.NameGoogle, ClientId: g.ClientID, ClientSecret: g.ClientSecret}
	if g.OAuthBase != "" || g.APIBase != "" {
		p.AuthURL, p.TokenURL, p.UserInfoURL = g.AuthURL(), g.TokenURL(), g.UserInfoURL()
	}
	providers := []core.OAuth2ProviderConfig{p}
	for _, other := range users.OAuth2.Providers {
		if other.Name != auth.NameGoogle {
			providers = append(providers, other)
		}
	}
	users.OAuth2.Providers = providers
	users.OAuth2.Enabled = true
	return app.Save(users)
}

// linkOnlyAfterPassword refuses a Google sign-in whose email belongs to an
// existing account that Google is not linked to yet, unless that account
// is the one signed in: matching the email alone would let whoever
// controls that address at Google (a recycled address, a Workspace admin)
// into the account. The person signs in with their password and links
// Google from their account page (authWithOAuth2 while signed in).
func linkOnlyAfterPassword(e *core.RecordAuthWithOAuth2RequestEvent) error {
	if e.IsNewRecord || e.Record == nil {
		return e.Next()
	}
	if e.Auth != nil && e.Auth.Id == e.Record.Id && e.Auth.Collection().Id == e.Record.Collection().Id {
		return e.Next() // linking while signed in
	}
	_, err := e.App.FindFirstExternalAuthByExpr(dbx.HashExp{
		"collectionRef": e.Collection.Id, "provider": e.ProviderName, "providerId": e.OAuth2User.Id,
	})
	switch {
	case err == nil:
		return e.Next() // linked already: a plain sign-in
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	msg := "An account with this email already exists. Sign in with your password, then link Google from your account page."
	return apis.NewBadRequestError(msg, validation.Errors{"provider": validation.NewError("link_after_password", msg)})
}
