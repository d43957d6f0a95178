package hooks_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

const authPath = "/api/collections/users/auth-with-password"

func TestPasswordPolicy(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)

	cases := []struct {
		name, email, password string
		status                int
		code                  string
	}{
		{"14 characters is too short", "p1@test.localhost", "fourteen-chars", 400, "password_too_short"},
		{"15 characters is enough", "p2@test.localhost", "fifteen-chars!!", 200, ""},
		{"a common password is refused", "p3@test.localhost", "PasswordPassword", 400, "password_common"},
		{"the email name inside is refused", "giovanni@test.localhost", "giovanni-loves-maths", 400, "password_contains_email"},
		{"128 characters are accepted", "p4@test.localhost", strings.Repeat("long passphrase ", 8), 200, ""},
		{"129 characters are not", "p5@test.localhost", strings.Repeat("long passphrase ", 8) + "x", 400, "password_too_long"},
		{"multibyte characters count once", "p6@test.localhost", strings.Repeat("è", 15), 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/records", "",
				map[string]any{"email": c.email, "password": c.password, "passwordConfirm": c.password})
			require.Equal(t, c.status, res.Status, string(res.Body))
			if c.code != "" {
				require.Contains(t, string(res.Body), `"password":{"code":"`+c.code+`"`)
				_, err := app.FindAuthRecordByEmail("users", c.email)
				require.Error(t, err, "nothing is written")
				return
			}
			// the account signs in with exactly that password
			res = hookstest.Call(t, srv, http.MethodPost, authPath, "", map[string]any{"identity": c.email, "password": c.password})
			require.Equal(t, 200, res.Status, string(res.Body))
		})
	}

	t.Run("passwords sharing their first 72 bytes stay distinct", func(t *testing.T) {
		base := "seventy-two bytes of a passphrase that a river, a kite and a lamp share." // 72 bytes
		require.Len(t, base, 72)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/records", "",
			map[string]any{"email": "p7@test.localhost", "password": base + "-one", "passwordConfirm": base + "-one"})
		require.Equal(t, 200, res.Status, string(res.Body))
		res = hookstest.Call(t, srv, http.MethodPost, authPath, "", map[string]any{"identity": "p7@test.localhost", "password": base + "-two"})
		require.Equal(t, 400, res.Status)
	})

	t.Run("an admin account, which uses MFA, is not held to 15 characters", func(t *testing.T) {
		// 8 is the length floor, but the strength estimate rates no 8
		// characters above 2 (10^8 guesses): 9 random ones pass
		res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/records", cast.Tokens[hookstest.Admin],
			map[string]any{"email": "staff@test.localhost", "password": "v7#Qk2!mZ", "passwordConfirm": "v7#Qk2!mZ", "role": "admin"})
		require.Equal(t, 200, res.Status, string(res.Body))
		res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/records", cast.Tokens[hookstest.Admin],
			map[string]any{"email": "staff3@test.localhost", "password": "v7#Qk2!m", "passwordConfirm": "v7#Qk2!m", "role": "admin"})
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), `"password":{"code":"password_weak"`)
		res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/records", cast.Tokens[hookstest.Admin],
			map[string]any{"email": "staff2@test.localhost", "password": "seven-c", "passwordConfirm": "seven-c", "role": "admin"})
		require.Equal(t, 400, res.Status, string(res.Body))
	})

	t.Run("changing a password applies the policy too", func(t *testing.T) {
		res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/users/records/"+cast.Users[hookstest.Student], cast.Tokens[hookstest.Student],
			map[string]any{"oldPassword": hookstest.Password, "password": "short", "passwordConfirm": "short"})
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), `"password":{"code":"password_too_short"`)
	})
}

func TestLockout(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	email := cast.Emails[hookstest.Student]

	try := func(identity, pw string) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, authPath, "", map[string]any{"identity": identity, "password": pw})
	}

	wrong := try(email, "not-the-password-at-all")
	require.Equal(t, 400, wrong.Status)
	for i := 2; i <= 9; i++ {
		require.Equal(t, 400, try(email, "not-the-password-at-all").Status)
	}
	require.Equal(t, 200, try(email, hookstest.Password).Status, "nine failures do not lock")
	require.Zero(t, countRows(t, app, "login_attempts"), "a successful sign-in resets the count")

	for i := 1; i <= 10; i++ {
		require.Equal(t, 400, try(email, "not-the-password-at-all").Status)
	}
	locked := try(email, hookstest.Password)
	require.Equal(t, wrong.Status, locked.Status, "a locked account answers like a wrong password")
	require.Equal(t, string(wrong.Body), string(locked.Body))
	requireAudit(t, app, "auth.lockout", cast.Users[hookstest.Student], cast.Users[hookstest.Student])

	t.Run("unknown emails are answered the same way and can be locked too", func(t *testing.T) {
		for i := 1; i <= 11; i++ {
			res := try("nobody@test.localhost", "whatever-password")
			require.Equal(t, string(wrong.Body), string(res.Body))
		}
		r, err := app.FindFirstRecordByData("login_attempts", "identity", "nobody@test.localhost")
		require.NoError(t, err)
		require.True(t, r.GetDateTime("locked_until").Time().After(time.Now()))
	})

	t.Run("the identity is case-insensitive", func(t *testing.T) {
		require.Equal(t, string(wrong.Body), string(try(strings.ToUpper(email), hookstest.Password).Body))
	})

	t.Run("OTP sign-in still works while locked and clears the lock", func(t *testing.T) {
		res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/request-otp", "", map[string]any{"email": email})
		require.Equal(t, 200, res.Status, string(res.Body))
		otpId, _ := res.JSON()["otpId"].(string)
		require.NotEmpty(t, otpId)
		code := lastOTP(t, app)
		res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/auth-with-otp", "", map[string]any{"otpId": otpId, "password": code})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, 200, try(email, hookstest.Password).Status, "after an OTP sign-in the password works again")
	})

	t.Run("the second lock lasts twice as long", func(t *testing.T) {
		other := cast.Emails[hookstest.Student2]
		for round := 1; round <= 2; round++ {
			for i := 0; i < 10; i++ {
				try(other, "not-the-password-at-all")
			}
			r, err := app.FindFirstRecordByData("login_attempts", "identity", other)
			require.NoError(t, err)
			left := time.Until(r.GetDateTime("locked_until").Time())
			want := 15 * time.Minute * time.Duration(round)
			require.InDelta(t, want.Seconds(), left.Seconds(), 30)
			// let the lock run out
			r.Set("locked_until", time.Now().Add(-time.Second))
			require.NoError(t, app.Save(r))
		}
	})

	t.Run("a new password set by staff clears a lock", func(t *testing.T) {
		for i := 0; i < 10; i++ {
			try(cast.Emails[hookstest.Tutor], "not-the-password-at-all")
		}
		require.Equal(t, string(wrong.Body), string(try(cast.Emails[hookstest.Tutor], hookstest.Password).Body))
		u, err := app.FindAuthRecordByEmail("users", cast.Emails[hookstest.Tutor])
		require.NoError(t, err)
		u.SetPassword("a-password-set-by-staff")
		require.NoError(t, app.Save(u))
		require.Equal(t, 200, try(cast.Emails[hookstest.Tutor], "a-password-set-by-staff").Status)
	})

	t.Run("a password reset works while locked", func(t *testing.T) {
		other := cast.Emails[hookstest.Student2]
		for i := 0; i < 10; i++ {
			try(other, "not-the-password-at-all")
		}
		u, err := app.FindAuthRecordByEmail("users", other)
		require.NoError(t, err)
		tok, err := u.NewPasswordResetToken()
		require.NoError(t, err)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/confirm-password-reset", "",
			map[string]any{"token": tok, "password": "a-brand-new-passphrase", "passwordConfirm": "a-brand-new-passphrase"})
		require.Equal(t, 204, res.Status, string(res.Body))
		require.Equal(t, 200, try(other, "a-brand-new-passphrase").Status)
	})
}

func countRows(t testing.TB, app core.App, collection string) int64 {
	t.Helper()
	n, err := app.CountRecords(collection)
	require.NoError(t, err)
	return n
}

// lastOTP reads the code from the last OTP email the test mailer caught.
func lastOTP(t testing.TB, app *tests.TestApp) string {
	t.Helper()
	re := regexp.MustCompile(`<strong>([0-9]{8})</strong>`)
	var html string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if app.TestMailer.TotalSend() > 0 { // PocketBase sends the OTP email in the background
			html = app.TestMailer.LastMessage().HTML
			if m := re.FindStringSubmatch(html); len(m) == 2 {
				return m[1]
			}
		}
	}
	t.Fatalf("no OTP email arrived (last: %q)", html)
	return ""
}
