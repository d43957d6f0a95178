package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/privacy"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

func eraseAfter(t *testing.T, app core.App, user string) string {
	t.Helper()
	u, err := app.FindRecordById("users", user)
	require.NoError(t, err)
	return u.GetString("erase_after")
}

// TestDeletionRequestWaitsAndSigningInCancelsIt: a person asks with their
// password; the erasure is set 14 days out and every session ends;
// signing in cancels it; asked again and left alone, the job erases the
// account once the 14 days are over, not before.
func TestDeletionRequestWaitsAndSigningInCancelsIt(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	student := cast.Users[hookstest.Student2]
	signIn := hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/auth-with-password", "", map[string]any{"identity": cast.Emails[hookstest.Student2], "password": hookstest.Password})
	require.Equal(t, 200, signIn.Status, string(signIn.Body))
	token := signIn.JSON()["token"].(string) // a session of its own
	res := hookstest.Call(t, srv, http.MethodPost, "/api/me/delete", token, map[string]any{"password": "not-my-password"})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "La password o il codice non sono corretti.")
	require.Empty(t, eraseAfter(t, app, student), "nothing scheduled")

	res = hookstest.Call(t, srv, http.MethodPost, "/api/me/delete", token, map[string]any{"password": hookstest.Password})
	require.Equal(t, 200, res.Status, string(res.Body))
	when, err := time.Parse(time.RFC3339, res.JSON()["erase_after"].(string))
	require.NoError(t, err)
	require.WithinDuration(t, cast.Now().Add(privacy.Grace), when, time.Minute)
	require.NotEmpty(t, eraseAfter(t, app, student))
	require.Equal(t, 401, hookstest.Call(t, srv, http.MethodGet, "/api/me/sessions", token, nil).Status, "signed out everywhere")
	live, err := app.CountRecords("sessions", dbx.HashExp{"user": student, "revoked_at": ""})
	require.NoError(t, err)
	require.Zero(t, live, "the sessions list says so")

	signIn = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/auth-with-password", "", map[string]any{"identity": cast.Emails[hookstest.Student2], "password": hookstest.Password})
	require.Equal(t, 200, signIn.Status, string(signIn.Body))
	require.Equal(t, true, signIn.JSON()["meta"].(map[string]any)["erasureCancelled"], "the web app is told")
	require.Empty(t, eraseAfter(t, app, student), "signing in cancelled it")

	fresh := signIn.JSON()["token"].(string)
	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodPost, "/api/me/delete", fresh, map[string]any{"password": hookstest.Password}).Status)
	jobs := hookstest.ServicesOf(app).Privacy
	require.NoError(t, jobs.EraseDue(app, cast.Now().Add(privacy.Grace-time.Hour)))
	u, err := app.FindRecordById("users", student)
	require.NoError(t, err)
	require.Equal(t, "Otto Other", u.GetString("name"), "not before the 14 days")
	require.NoError(t, jobs.EraseDue(app, cast.Now().Add(privacy.Grace+time.Hour)))
	u, err = app.FindRecordById("users", student)
	require.NoError(t, err)
	require.Equal(t, privacy.DeletedName, u.GetString("name"))
	require.Empty(t, u.GetString("erase_after"))
}

// TestDeletionRequestWithAnEmailedCode: an account without a password of
// its own proves itself with a fresh one-time code, used once.
func TestDeletionRequestWithAnEmailedCode(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	user, err := app.FindRecordById("users", cast.Users[hookstest.Student2])
	require.NoError(t, err)
	otp := core.NewOTP(app)
	otp.SetCollectionRef(user.Collection().Id)
	otp.SetRecordRef(user.Id)
	otp.SetPassword("12345678")
	require.NoError(t, app.Save(otp))
	token := cast.Tokens[hookstest.Student2]

	other := cast.Tokens[hookstest.Student]
	require.Equal(t, 400, hookstest.Call(t, srv, http.MethodPost, "/api/me/delete", other, map[string]any{"otpId": otp.Id, "code": "12345678"}).Status, "someone else's code")
	require.Equal(t, 400, hookstest.Call(t, srv, http.MethodPost, "/api/me/delete", token, map[string]any{"otpId": otp.Id, "code": "87654321"}).Status, "a wrong code")
	require.Equal(t, 400, hookstest.Call(t, srv, http.MethodPost, "/api/me/delete", token, map[string]any{}).Status, "nothing")
	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodPost, "/api/me/delete", token, map[string]any{"otpId": otp.Id, "code": "12345678"}).Status)
	require.NotEmpty(t, eraseAfter(t, app, user.Id))
	_, err = app.FindOTPById(otp.Id)
	require.Error(t, err, "the code is used up")
}

func TestDeletionRequestRoutePerRole(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	for role, want := range map[string]int{hookstest.Visitor: 401, hookstest.Superuser: 403} {
		require.Equal(t, want, hookstest.Call(t, srv, http.MethodPost, "/api/me/delete", cast.Tokens[role], map[string]any{"password": hookstest.Password}).Status, role)
	}
	// erase_after is the server's: a person can neither set nor read it
	student := cast.Users[hookstest.Student]
	res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/users/records/"+student, cast.Tokens[hookstest.Student],
		map[string]any{"erase_after": cast.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.NotContains(t, res.JSON(), "erase_after")
	require.Empty(t, eraseAfter(t, app, student))
}

// TestDeletionRequestedAtOnce: eight identical requests schedule one
// erasure, recorded once.
func TestDeletionRequestedAtOnce(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/me/delete", cast.Tokens[hookstest.Student2], map[string]any{"password": hookstest.Password})
	dates := map[string]bool{}
	for _, r := range rs {
		require.Contains(t, []int{200, 401}, r.Status, "done, or refused once the first signed the account out: %s", r.Body)
		if r.Status == 200 {
			dates[r.JSON()["erase_after"].(string)] = true
		}
	}
	require.Len(t, dates, 1, "every answer names the one date")
	n, err := app.CountRecords("audit_log", dbx.HashExp{"action": "privacy.erasure_requested", "record": cast.Users[hookstest.Student2]})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
}
