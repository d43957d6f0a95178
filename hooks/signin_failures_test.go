package hooks_test

import (
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// TestSignInWhoseSessionCannotBeWritten: a sign-in whose session row
// cannot be written is refused, without the internal error, with no
// token and no row; once it can, the sign-in works.
func TestSignInWhoseSessionCannotBeWritten(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	f := injectFaults(app)
	user := cast.Users[hookstest.Tutor2]
	before := countOf(t, app, "sessions", dbx.HashExp{"user": user})
	f.Break("sessions", "create")
	res := signInPlain(t, srv, cast.Emails[hookstest.Tutor2])
	refusedSafely(t, res)
	require.NotContains(t, string(res.Body), `"token"`)
	require.Equal(t, before, countOf(t, app, "sessions", dbx.HashExp{"user": user}))
	f.Mend()
	res = signInPlain(t, srv, cast.Emails[hookstest.Tutor2])
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, before+1, countOf(t, app, "sessions", dbx.HashExp{"user": user}))
}

// TestSignInAlertThatCannotBeKeptIsNotSent: when the "was this you?"
// link of a new device's sign-in cannot be stored, the sign-in still
// goes through, and no alert is sent with a link that would not work.
func TestSignInAlertThatCannotBeKeptIsNotSent(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	f := injectFaults(app)
	email := cast.Emails[hookstest.Student]
	signInFrom(t, srv, email, hookstest.Password, uaWindowsChrome) // the device the account knows
	sent := app.TestMailer.TotalSend()
	f.Break("sessions", "update")
	tok := signInFrom(t, srv, email, hookstest.Password, uaIPhoneSafari)
	require.Equal(t, sent, app.TestMailer.TotalSend(), "no alert")
	s, err := app.FindRecordById("sessions", sessionID(t, tok))
	require.NoError(t, err)
	require.Empty(t, s.GetString("report_hash"))
	f.Mend()
	signInFrom(t, srv, email, hookstest.Password, "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0")
	require.Equal(t, sent+1, app.TestMailer.TotalSend(), "mended: a new device is told")
}

// TestAccountWritesThatFailChangeNothing: setting up the app and
// signing out everywhere are refused, without the internal error, when
// the account cannot be written, and change nothing.
func TestAccountWritesThatFailChangeNothing(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	f := injectFaults(app)
	tok := signInFrom(t, srv, cast.Emails[hookstest.Tutor2], hookstest.Password, uaWindowsChrome)
	f.Break("users", "update")

	refusedSafely(t, hookstest.Call(t, srv, http.MethodPost, "/api/me/totp/setup", tok, nil))
	u, err := app.FindRecordById("users", cast.Users[hookstest.Tutor2])
	require.NoError(t, err)
	require.Empty(t, u.GetString("totp_pending"))

	refusedSafely(t, hookstest.Call(t, srv, http.MethodPost, "/api/me/sessions/revoke-all", tok, nil))
	require.Len(t, listSessions(t, srv, tok), 1, "still signed in")
}

// TestAppSignInWhoseWritesFail: the second step of a sign-in with the
// authenticator app is refused when the code cannot be spent, and when
// the session cannot be written; a device that cannot be remembered
// does not stop the sign-in, it is only not remembered.
func TestAppSignInWhoseWritesFail(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	f := injectFaults(app)
	email, id := cast.Emails[hookstest.Student], cast.Users[hookstest.Student]
	_, recovery := enrolTOTP(t, srv, cast.Tokens[hookstest.Student])
	// second signs in with code, the second step failing as broken says
	second := func(code string, remember bool, broken func()) hookstest.Response {
		mfaID := firstStep(t, srv, email, hookstest.Password, nil)
		broken()
		defer f.Mend()
		return hookstest.Call(t, srv, http.MethodPost, "/api/auth/totp", "", map[string]any{"mfaId": mfaID, "code": code, "remember": remember})
	}

	refusedSafely(t, second(recovery[0], false, func() { f.Break("users", "update") }))
	// not spent (its spending was rolled back): the failure is the session's, not the code's
	res := second(recovery[0], false, func() { f.Break("sessions", "create") })
	refusedSafely(t, res)
	require.NotContains(t, string(res.Body), "invalid_code")

	devices := func() string {
		u, err := app.FindRecordById("users", id)
		require.NoError(t, err)
		return u.GetString("mfa_devices")
	}
	before := devices()
	res = second(recovery[1], true, func() {
		f.BreakIf("users", "update", func(r *core.Record) bool { return r.GetString("mfa_devices") != r.Original().GetString("mfa_devices") })
	})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.NotEmpty(t, res.JSON()["token"])
	require.NotEmpty(t, res.JSON()["meta"], "the device was given its secret")
	require.Equal(t, before, devices(), "but is not remembered")
}
