package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestSecondFactorRefusals: the sign-in and authenticator-app routes
// answer a missing body, a missing or unknown sign-in, a code from
// someone without an app and an expired sign-in with a 400 in
// PocketBase's shape, never a 5xx.
func TestSecondFactorRefusals(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	post := func(path, token string, body any) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, path, token, body)
	}
	student := cast.Tokens[hookstest.Student]
	refused(t, post("/api/me/totp/enable", student, map[string]any{}), 400, "code", "validation_required")
	refused(t, post("/api/me/totp/disable", student, "123456"), 400, "code", "validation_required")
	refused(t, post("/api/me/totp/recovery-codes", student, map[string]any{"code": "123456"}), 400, "code", "invalid_code")
	refused(t, post("/api/me/totp/disable", student, map[string]any{"code": "123456"}), 400, "code", "invalid_code")
	refused(t, post("/api/auth/second-factors", "", map[string]any{}), 400, "mfaId", "invalid_mfa")
	refused(t, post("/api/auth/second-factors", "", map[string]any{"mfaId": "nosuchmfa00000"}), 400, "mfaId", "invalid_mfa")
	require.Equal(t, 400, post("/api/auth/totp", "", "123456").Status)
	refused(t, post("/api/auth/totp", "", map[string]any{"mfaId": "", "code": "123456"}), 400, "mfaId", "invalid_mfa")
	refused(t, post("/api/auth/not-me", "", map[string]any{}), 400, "token", "invalid_token")
	refused(t, post("/api/auth/not-me", "", "token"), 400, "token", "invalid_token")
	refused(t, post("/api/auth/not-me", "", map[string]any{"token": "0123456789abcdef"}), 400, "token", "invalid_token")
	require.False(t, reloaded(t, app, "users", cast.Users[hookstest.Student]).GetBool("totp_enabled"))

	// staff without the app yet: their sign-in owes a second factor, which
	// can only be an emailed code
	admin := reloaded(t, app, "users", cast.Users[hookstest.Admin])
	admin.Set("totp_enabled", false)
	admin.Set("totp_secret", "")
	require.NoError(t, app.Save(admin))
	mfaID := firstStep(t, srv, cast.Emails[hookstest.Admin], hookstest.Password, nil)
	res := post("/api/auth/second-factors", "", map[string]any{"mfaId": mfaID})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, map[string]any{"app": false, "email": true}, res.JSON())
	refused(t, post("/api/auth/totp", "", map[string]any{"mfaId": mfaID, "code": "123456"}), 400, "code", "no_app")

	// a sign-in left waiting longer than the school allows starts again
	users, err := app.FindCachedCollectionByNameOrId("users")
	require.NoError(t, err)
	old := platform.DBTime(time.Now().Add(-users.MFA.DurationTime() - time.Minute))
	_, err = app.DB().Update("_mfas", dbx.Params{"created": old}, dbx.HashExp{"id": mfaID}).Execute()
	require.NoError(t, err)
	refused(t, post("/api/auth/second-factors", "", map[string]any{"mfaId": mfaID}), 400, "mfaId", "invalid_mfa")
}

// TestSecondFactorByQuery: a sign-in whose second step names its mfaId in
// the query (as PocketBase's SDK may) is held to the app like one naming
// it in the body.
func TestSecondFactorByQuery(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	email := cast.Emails[hookstest.Student]
	enrolTOTP(t, srv, cast.Tokens[hookstest.Student])
	mfaID := firstStep(t, srv, email, hookstest.Password, nil)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/request-otp", "", map[string]any{"email": email})
	require.Equal(t, 200, res.Status, string(res.Body))
	otpID := res.JSON()["otpId"].(string)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/auth-with-otp?mfaId="+mfaID, "", map[string]any{"otpId": otpID, "password": lastOTP(t, app)})
	refused(t, res, 400, "mfaId", "app_required")
}

// TestSessionLastSeen: a request notes when a session was last used, at
// most once every five minutes; a token sent as "Bearer <token>" is
// recognised as the current session.
func TestSessionLastSeen(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	tok := signInFrom(t, srv, cast.Emails[hookstest.Tutor2], hookstest.Password, uaWindowsChrome)
	sid := sessionID(t, tok)
	setSeen := func(at time.Time) {
		_, err := app.DB().Update("sessions", dbx.Params{"last_seen": platform.DBTime(at)}, dbx.HashExp{"id": sid}).Execute()
		require.NoError(t, err)
	}
	seen := func() time.Time { return reloaded(t, app, "sessions", sid).GetDateTime("last_seen").Time() }

	setSeen(time.Now().Add(-10 * time.Minute))
	list := listSessions(t, srv, "Bearer "+tok)
	require.Len(t, list, 1)
	require.Equal(t, true, list[0]["current"], "the Bearer form names the same session")
	require.WithinDuration(t, time.Now(), seen(), time.Minute, "a stale last_seen is brought up to date")

	recent := time.Now().Add(-time.Minute).UTC().Truncate(time.Millisecond)
	setSeen(recent)
	listSessions(t, srv, tok)
	require.True(t, seen().Equal(recent), "written again only after five minutes: %v", seen())
}

// TestStaffOwingTheAppWriteNothing: staff who have not set up their
// authenticator app yet cannot write records either (only reads any
// visitor may make, and setting up the app, are open to them).
func TestStaffOwingTheAppWriteNothing(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	admin := reloaded(t, app, "users", cast.Users[hookstest.Admin])
	admin.Set("totp_enabled", false)
	require.NoError(t, app.Save(admin))
	before := countOf(t, app, "plans")
	res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/plans/records", cast.Tokens[hookstest.Admin], map[string]any{
		"title": "Weekly pair", "credits": 2, "minutes": 60, "price": 7000, "currency": "EUR", "interval": "week", "active": true,
	})
	refused(t, res, 403, "totp", "app_setup_required")
	require.Equal(t, before, countOf(t, app, "plans"))
	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodPost, "/api/me/totp/setup", cast.Tokens[hookstest.Admin], nil).Status)
}
