package hooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/ops"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)

	for _, path := range []string{"/api/health", "/api/collections/users/records", "/api/nope"} {
		res, err := srv.Client().Get(srv.URL + path)
		require.NoError(t, err)
		res.Body.Close()
		h := res.Header
		require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), path)
		require.Equal(t, ops.AppCSP, h.Get("Content-Security-Policy"), path)
		require.Contains(t, h.Get("Content-Security-Policy"), "frame-ancestors 'none'")
		require.Equal(t, "same-origin", h.Get("Referrer-Policy"))
		require.Empty(t, h.Get("Strict-Transport-Security"), "no HSTS over plain HTTP")
	}
	res, err := srv.Client().Get(srv.URL + "/_/")
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, ops.DashboardCSP, res.Header.Get("Content-Security-Policy"))

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/health", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	res, err = srv.Client().Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Empty(t, res.Header.Get("Strict-Transport-Security"), "a forwarded proto is ignored without a trusted proxy")

	app.Settings().TrustedProxy.Headers = []string{"X-Forwarded-For"}
	res, err = srv.Client().Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Contains(t, res.Header.Get("Strict-Transport-Security"), "max-age=", "HSTS behind a trusted TLS proxy")
}

func TestCORSOrigins(t *testing.T) {
	t.Parallel()
	cfg := hookstest.Config
	cfg.CORSOrigins = []string{"https://school.example"}
	app := cast.CloneWith(t, cfg)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	for origin, allowed := range map[string]bool{"https://school.example": true, "https://evil.example": false} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/health", nil)
		req.Header.Set("Origin", origin)
		res, err := srv.Client().Do(req)
		require.NoError(t, err)
		res.Body.Close()
		if allowed {
			require.Equal(t, origin, res.Header.Get("Access-Control-Allow-Origin"))
		} else {
			require.Empty(t, res.Header.Get("Access-Control-Allow-Origin"))
		}
	}
}

func TestRateLimits(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	var last int
	for i := 0; i < 25; i++ {
		last = hookstest.Call(t, srv, http.MethodPost, authPath, "", map[string]any{"identity": "x" + strings.Repeat("y", i) + "@test.localhost", "password": "whatever-it-is"}).Status
	}
	require.Equal(t, 429, last, "sign-in attempts from one IP are rate limited")
}

func TestAuthEmails(t *testing.T) {
	t.Parallel()
	scenarios := []tests.ApiScenario{
		{
			Name:           "the verification email links to the web app",
			Method:         http.MethodPost,
			URL:            "/api/collections/users/request-verification",
			Body:           strings.NewReader(`{"email":"new@test.localhost"}`),
			ExpectedStatus: 204,
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				u, err := hookstest.CreateUser(app, "new@test.localhost", "New", "student")
				require.NoError(t, err)
				u.SetVerified(false)
				require.NoError(t, app.Save(u))
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				html := waitMail(t, app)
				require.Contains(t, html, "http://127.0.0.1:8090/verify-email?token=")
				require.NotContains(t, html, "/_/")
			},
		},
		{
			Name:           "the password reset email links to the web app",
			Method:         http.MethodPost,
			URL:            "/api/collections/users/request-password-reset",
			Body:           strings.NewReader(`{"email":"` + cast.Emails[hookstest.Student] + `"}`),
			ExpectedStatus: 204,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				html := waitMail(t, app)
				require.Contains(t, html, "http://127.0.0.1:8090/reset-password?token=")
				require.NotContains(t, html, "/_/")
			},
		},
		{
			Name:           "users can sign in by OTP and with Google once configured",
			Method:         http.MethodGet,
			URL:            "/api/collections/users/auth-methods",
			ExpectedStatus: 200,
			ExpectedContent: []string{`"otp":{"enabled":true,"duration":300}`, `"mfa":{"enabled":true,"duration":600}`,
				`"oauth2":{"providers":[],"enabled":true}`, `"emailPassword":true`},
		},
		{
			Name:               "an admin's correct password only starts MFA",
			Method:             http.MethodPost,
			URL:                authPath,
			Body:               strings.NewReader(`{"identity":"` + cast.Emails[hookstest.Admin] + `","password":"` + hookstest.Password + `"}`),
			ExpectedStatus:     401,
			ExpectedContent:    []string{`"mfaId":"`},
			NotExpectedContent: []string{`"token"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				requireAudit(t, app, "auth.mfa_required", cast.Users[hookstest.Admin], cast.Users[hookstest.Admin])
			},
		},
		{
			Name:            "a student signs in with a password alone, audited",
			Method:          http.MethodPost,
			URL:             authPath,
			Body:            strings.NewReader(`{"identity":"` + cast.Emails[hookstest.Student] + `","password":"` + hookstest.Password + `"}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"token":"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				requireAudit(t, app, "auth.signin", cast.Users[hookstest.Student], cast.Users[hookstest.Student])
			},
		},
		{
			Name:            "a failed sign-in is audited",
			Method:          http.MethodPost,
			URL:             authPath,
			Body:            strings.NewReader(`{"identity":"` + cast.Emails[hookstest.Student] + `","password":"wrong-password-here"}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"message":"Failed to authenticate."`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				requireAudit(t, app, "auth.failed", cast.Users[hookstest.Student], cast.Users[hookstest.Student])
			},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = cast.Factory
		s.Test(t)
	}
}

// waitMail returns the HTML of the last email, which PocketBase may send in
// the background.
func waitMail(t testing.TB, app *tests.TestApp) string {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if app.TestMailer.TotalSend() > 0 {
			return app.TestMailer.LastMessage().HTML
		}
	}
	t.Fatal("no email was sent")
	return ""
}
