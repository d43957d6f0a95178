package hooks_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/mfa"

	"github.com/stretchr/testify/require"
)

// enrolTOTP sets up and turns on the authenticator app of a signed-in
// person and returns its secret and recovery codes.
func enrolTOTP(t testing.TB, srv *httptest.Server, tok string) (string, []string) {
	t.Helper()
	res := hookstest.Call(t, srv, http.MethodPost, "/api/me/totp/setup", tok, nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	j := res.JSON()
	secret := j["secret"].(string)
	require.True(t, strings.HasPrefix(j["qr"].(string), "data:image/png;base64,"))
	require.Contains(t, j["url"], "otpauth://totp/")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/me/totp/enable", tok, map[string]any{"code": totpCode(t, secret, 0)})
	require.Equal(t, 200, res.Status, string(res.Body))
	var codes []string
	for _, c := range res.JSON()["recovery_codes"].([]any) {
		codes = append(codes, c.(string))
	}
	require.Len(t, codes, 10)
	return secret, codes
}

// totpCode is the app's code at the cast's now plus steps steps.
func totpCode(t testing.TB, secret string, steps int) string {
	t.Helper()
	c, err := mfa.Code(secret, cast.Now().Add(time.Duration(steps)*mfa.Step))
	require.NoError(t, err)
	return c
}

// firstStep signs in with a password and returns the mfaId owed.
func firstStep(t testing.TB, srv *httptest.Server, email, password string, headers map[string]string) string {
	t.Helper()
	res := hookstest.CallWith(t, srv, http.MethodPost, authPath, "", map[string]any{"identity": email, "password": password}, headers)
	require.Equal(t, 401, res.Status, string(res.Body))
	id, _ := res.JSON()["mfaId"].(string)
	require.NotEmpty(t, id)
	return id
}

func TestTOTPEnrolAndSignIn(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	email, id := cast.Emails[hookstest.Student], cast.Users[hookstest.Student]
	tok := cast.Tokens[hookstest.Student]

	res := hookstest.Call(t, srv, http.MethodPost, "/api/me/totp/enable", tok, map[string]any{"code": "123456"})
	require.Equal(t, 400, res.Status, "nothing set up yet")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/me/totp/setup", tok, nil)
	require.Equal(t, 200, res.Status)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/me/totp/enable", tok, map[string]any{"code": "12345x"})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"invalid_code"`)
	require.Equal(t, 200, signInPlain(t, srv, email).Status, "the app is not asked for until it is turned on")

	secret, recovery := enrolTOTP(t, srv, tok)
	u, err := app.FindRecordById("users", id)
	require.NoError(t, err)
	require.True(t, u.GetBool("totp_enabled"))
	require.NotContains(t, u.GetString("recovery_codes"), recovery[0], "recovery codes are stored hashed")
	view := hookstest.Call(t, srv, http.MethodGet, "/api/collections/users/records/"+id, tok, nil)
	require.NotContains(t, string(view.Body), secret)
	require.NotContains(t, string(view.Body), "recovery_codes")
	res = hookstest.Call(t, srv, http.MethodPatch, "/api/collections/users/records/"+id, tok, map[string]any{"totp_enabled": false})
	require.Equal(t, 400, res.Status, "only the server turns the app on or off")

	t.Run("a password alone no longer signs in; the app's code does", func(t *testing.T) {
		mfaID := firstStep(t, srv, email, hookstest.Password, nil)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/auth/second-factors", "", map[string]any{"mfaId": mfaID})
		require.Equal(t, 200, res.Status)
		require.Equal(t, map[string]any{"app": true, "email": false}, res.JSON())
		// the step of the code that turned the app on (the clock may have
		// moved to the next step since)
		u, err := app.FindRecordById("users", id)
		require.NoError(t, err)
		enrolled := time.Unix(int64(u.GetInt("totp_last_step"))*int64(mfa.Step/time.Second), 0)
		code := func(at time.Time) string { c, err := mfa.Code(secret, at); require.NoError(t, err); return c }
		res = hookstest.Call(t, srv, http.MethodPost, "/api/auth/totp", "", map[string]any{"mfaId": mfaID, "code": code(enrolled)})
		require.Equal(t, 400, res.Status, "the code used to turn the app on is spent")
		res = hookstest.Call(t, srv, http.MethodPost, "/api/auth/totp", "", map[string]any{"mfaId": mfaID, "code": code(enrolled.Add(mfa.Step))})
		require.Equal(t, 200, res.Status, string(res.Body))
		tok := res.JSON()["token"].(string)
		s, err := app.FindRecordById("sessions", sessionID(t, tok))
		require.NoError(t, err)
		require.Equal(t, "totp", s.GetString("method"))
	})

	t.Run("an emailed code is not a second factor for someone with an app", func(t *testing.T) {
		mfaID := firstStep(t, srv, email, hookstest.Password, nil)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/request-otp", "", map[string]any{"email": email})
		require.Equal(t, 200, res.Status)
		otpID := res.JSON()["otpId"].(string)
		res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/auth-with-otp", "", map[string]any{"otpId": otpID, "password": lastOTP(t, app), "mfaId": mfaID})
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), "app_required")
	})

	t.Run("a recovery code works once", func(t *testing.T) {
		mfaID := firstStep(t, srv, email, hookstest.Password, nil)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/auth/totp", "", map[string]any{"mfaId": mfaID, "code": strings.ToUpper(recovery[2])})
		require.Equal(t, 200, res.Status, string(res.Body))
		mfaID = firstStep(t, srv, email, hookstest.Password, nil)
		res = hookstest.Call(t, srv, http.MethodPost, "/api/auth/totp", "", map[string]any{"mfaId": mfaID, "code": recovery[2]})
		require.Equal(t, 400, res.Status)
	})

	t.Run("five wrong codes end the sign-in", func(t *testing.T) {
		mfaID := firstStep(t, srv, email, hookstest.Password, nil)
		for range 5 {
			res := hookstest.Call(t, srv, http.MethodPost, "/api/auth/totp", "", map[string]any{"mfaId": mfaID, "code": "000000"})
			require.Equal(t, 400, res.Status)
		}
		res := hookstest.Call(t, srv, http.MethodPost, "/api/auth/totp", "", map[string]any{"mfaId": mfaID, "code": totpCode(t, secret, 1)})
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), "invalid_mfa")
	})

	t.Run("a remembered device skips the app for 30 days, until signed out everywhere", func(t *testing.T) {
		mfaID := firstStep(t, srv, email, hookstest.Password, nil)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/auth/totp", "", map[string]any{"mfaId": mfaID, "code": recovery[5], "remember": true})
		require.Equal(t, 200, res.Status, string(res.Body))
		meta := res.JSON()["meta"].(map[string]any)
		device := meta["device"].(string)
		until, err := time.Parse(time.RFC3339, meta["device_until"].(string))
		require.NoError(t, err)
		require.WithinDuration(t, cast.Now().Add(30*24*time.Hour), until, time.Minute)
		withDevice := map[string]string{"X-Device-Token": device}
		res = hookstest.CallWith(t, srv, http.MethodPost, authPath, "", map[string]any{"identity": email, "password": hookstest.Password}, withDevice)
		require.Equal(t, 200, res.Status, string(res.Body))
		firstStep(t, srv, email, hookstest.Password, map[string]string{"X-Device-Token": "made-up"})
		require.Equal(t, 204, hookstest.Call(t, srv, http.MethodPost, "/api/me/sessions/revoke-all", res.JSON()["token"].(string), nil).Status)
		firstStep(t, srv, email, hookstest.Password, withDevice)
	})
}

func signInPlain(t testing.TB, srv *httptest.Server, email string) hookstest.Response {
	t.Helper()
	return hookstest.Call(t, srv, http.MethodPost, authPath, "", map[string]any{"identity": email, "password": hookstest.Password})
}

// TestTOTPCodeRace: one app code signs in once, even when eight sign-ins
// in progress (each past its password) send it at the same moment.
func TestTOTPCodeRace(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	secret, _ := enrolTOTP(t, srv, cast.Tokens[hookstest.Student2])
	ids := make([]string, 8)
	for i := range ids {
		ids[i] = firstStep(t, srv, cast.Emails[hookstest.Student2], hookstest.Password, nil)
	}
	code := totpCode(t, secret, 1)
	rs := make([]hookstest.Response, len(ids))
	hookstest.Together(len(ids), func(i int) {
		rs[i] = hookstest.Call(t, srv, http.MethodPost, "/api/auth/totp", "", map[string]any{"mfaId": ids[i], "code": code})
	})
	require.Equal(t, map[int]int{200: 1, 400: 7}, hookstest.Statuses(rs))
	n, err := app.CountRecords("sessions", dbxHash("user", cast.Users[hookstest.Student2]))
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
}

func TestTOTPWhoMustKeepIt(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)

	t.Run("students may turn it off with a code", func(t *testing.T) {
		tok := cast.Tokens[hookstest.Student]
		secret, _ := enrolTOTP(t, srv, tok)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/me/totp/disable", tok, map[string]any{"code": "000000"})
		require.Equal(t, 400, res.Status)
		res = hookstest.Call(t, srv, http.MethodPost, "/api/me/totp/disable", tok, map[string]any{"code": totpCode(t, secret, 1)})
		require.Equal(t, 204, res.Status, string(res.Body))
		require.Equal(t, 200, signInPlain(t, srv, cast.Emails[hookstest.Student]).Status)
	})

	t.Run("staff keep it, and may still use emailed codes", func(t *testing.T) {
		tok := cast.Tokens[hookstest.Admin]
		secret, _ := enrolTOTP(t, srv, tok)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/me/totp/disable", tok, map[string]any{"code": totpCode(t, secret, 1)})
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), "mfa_required")
		mfaID := firstStep(t, srv, cast.Emails[hookstest.Admin], hookstest.Password, nil)
		res = hookstest.Call(t, srv, http.MethodPost, "/api/auth/second-factors", "", map[string]any{"mfaId": mfaID})
		require.Equal(t, map[string]any{"app": true, "email": true}, res.JSON())
		res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/request-otp", "", map[string]any{"email": cast.Emails[hookstest.Admin]})
		otpID := res.JSON()["otpId"].(string)
		res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/auth-with-otp", "", map[string]any{"otpId": otpID, "password": lastOTP(t, app), "mfaId": mfaID})
		require.Equal(t, 200, res.Status, string(res.Body))
	})

	t.Run("the school may require a second factor of tutors", func(t *testing.T) {
		require.Equal(t, 200, signInPlain(t, srv, cast.Emails[hookstest.Tutor]).Status)
		school, err := app.FindRecordById("school", "tutorbaseschool")
		require.NoError(t, err)
		school.Set("tutors_need_mfa", true)
		require.NoError(t, app.Save(school))
		firstStep(t, srv, cast.Emails[hookstest.Tutor], hookstest.Password, nil)
		require.Equal(t, 200, signInPlain(t, srv, cast.Emails[hookstest.Student2]).Status, "students are not asked")
		tok := cast.Tokens[hookstest.Tutor]
		secret, _ := enrolTOTP(t, srv, tok)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/me/totp/disable", tok, map[string]any{"code": totpCode(t, secret, 1)})
		require.Equal(t, 400, res.Status)
	})

	t.Run("new recovery codes replace the old", func(t *testing.T) {
		tok := cast.Tokens[hookstest.Student2]
		_, old := enrolTOTP(t, srv, tok)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/me/totp/recovery-codes", tok, map[string]any{"code": old[0]})
		require.Equal(t, 200, res.Status, string(res.Body))
		fresh := res.JSON()["recovery_codes"].([]any)
		require.Len(t, fresh, 10)
		mfaID := firstStep(t, srv, cast.Emails[hookstest.Student2], hookstest.Password, nil)
		res = hookstest.Call(t, srv, http.MethodPost, "/api/auth/totp", "", map[string]any{"mfaId": mfaID, "code": old[1]})
		require.Equal(t, 400, res.Status)
		res = hookstest.Call(t, srv, http.MethodPost, "/api/auth/totp", "", map[string]any{"mfaId": mfaID, "code": fresh[1]})
		require.Equal(t, 200, res.Status)
	})
}

func TestStaffSetUpTheAppBeforeAnythingElse(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	// an admin made before the rule (the fixtures give every admin the app)
	u, err := app.FindRecordById("users", cast.Users[hookstest.Admin])
	require.NoError(t, err)
	u.Set("totp_enabled", false)
	u.Set("totp_secret", "")
	require.NoError(t, app.Save(u))
	tok := cast.Tokens[hookstest.Admin]

	res := hookstest.Call(t, srv, http.MethodGet, "/api/payouts/export.csv", tok, nil)
	require.Equal(t, 403, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), "app_setup_required")
	require.Contains(t, string(res.Body), "Prima configura un'app di autenticazione")
	require.Equal(t, 403, hookstest.Call(t, srv, http.MethodGet, "/api/collections/bookings/records", tok, nil).Status)
	for _, path := range []string{"/api/collections/users/records/" + u.Id, "/api/collections/subjects/records", "/api/me/sessions", "/api/health"} {
		require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, path, tok, nil).Status, path)
	}
	enrolTOTP(t, srv, tok)
	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, "/api/payouts/export.csv", tok, nil).Status)

	t.Run("tutors, when the school requires it; never students", func(t *testing.T) {
		path := "/api/collections/bookings/records"
		require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, path, cast.Tokens[hookstest.Tutor], nil).Status)
		school, err := app.FindRecordById("school", "tutorbaseschool")
		require.NoError(t, err)
		school.Set("tutors_need_mfa", true)
		require.NoError(t, app.Save(school))
		require.Equal(t, 403, hookstest.Call(t, srv, http.MethodGet, path, cast.Tokens[hookstest.Tutor], nil).Status)
		require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, path, cast.Tokens[hookstest.Student], nil).Status)
		enrolTOTP(t, srv, cast.Tokens[hookstest.Tutor])
		require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, path, cast.Tokens[hookstest.Tutor], nil).Status)
	})
}
