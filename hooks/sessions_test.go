package hooks_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/stretchr/testify/require"
)

const (
	uaWindowsChrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
	uaIPhoneSafari  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1"
)

// signInFrom signs in with a password from a browser and returns the token.
func signInFrom(t testing.TB, srv *httptest.Server, email, password, ua string) string {
	t.Helper()
	res := hookstest.CallWith(t, srv, http.MethodPost, authPath, "", map[string]any{"identity": email, "password": password},
		map[string]string{"User-Agent": ua})
	require.Equal(t, 200, res.Status, string(res.Body))
	tok, _ := res.JSON()["token"].(string)
	require.NotEmpty(t, tok)
	return tok
}

func sessionID(t testing.TB, tok string) string {
	t.Helper()
	claims, err := security.ParseUnverifiedJWT(tok)
	require.NoError(t, err)
	sid, _ := claims["sid"].(string)
	require.NotEmpty(t, sid, "the token names its session")
	return sid
}

func listSessions(t testing.TB, srv *httptest.Server, tok string) []map[string]any {
	t.Helper()
	res := hookstest.Call(t, srv, http.MethodGet, "/api/me/sessions", tok, nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	var out []map[string]any
	for _, it := range res.JSON()["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func TestSessions(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	email := cast.Emails[hookstest.Tutor2]

	pc := signInFrom(t, srv, email, hookstest.Password, uaWindowsChrome)
	phone := signInFrom(t, srv, email, hookstest.Password, uaIPhoneSafari)

	t.Run("each sign-in is listed with its device, browser and network", func(t *testing.T) {
		list := listSessions(t, srv, phone)
		require.Len(t, list, 2)
		require.Equal(t, sessionID(t, phone), list[0]["id"], "the latest first")
		byID := map[string]map[string]any{}
		for _, s := range list {
			byID[s["id"].(string)] = s
		}
		p := byID[sessionID(t, phone)]
		require.Equal(t, "iPhone", p["device"])
		require.Equal(t, "Safari", p["browser"])
		require.Equal(t, "127.0.0.0/24", p["network"])
		require.Equal(t, true, p["current"])
		w := byID[sessionID(t, pc)]
		require.Equal(t, "Windows computer", w["device"])
		require.Equal(t, "Chrome", w["browser"])
		require.Equal(t, false, w["current"])
		require.Equal(t, "password", w["method"])
		require.NotContains(t, string(hookstest.Call(t, srv, http.MethodGet, "/api/me/sessions", phone, nil).Body), "token_hash")
		// the stored hash is of the token given out, never the token
		r, err := app.FindRecordById("sessions", sessionID(t, pc))
		require.NoError(t, err)
		require.Len(t, r.GetString("token_hash"), 64)
		require.NotContains(t, r.GetString("token_hash"), pc)
	})

	t.Run("another person sees none of them", func(t *testing.T) {
		require.Empty(t, listSessions(t, srv, cast.Tokens[hookstest.Student2]))
		res := hookstest.Call(t, srv, http.MethodPost, "/api/me/sessions/revoke", cast.Tokens[hookstest.Student2], map[string]any{"id": sessionID(t, pc)})
		require.Equal(t, 404, res.Status, string(res.Body))
		require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, "/api/me/sessions", pc, nil).Status)
	})

	t.Run("a refreshed token keeps its session", func(t *testing.T) {
		res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/auth-refresh", pc, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		fresh := res.JSON()["token"].(string)
		require.Equal(t, sessionID(t, pc), sessionID(t, fresh))
		require.Len(t, listSessions(t, srv, fresh), 2)
	})

	t.Run("signing out another device refuses its token at once", func(t *testing.T) {
		res := hookstest.Call(t, srv, http.MethodPost, "/api/me/sessions/revoke", phone, map[string]any{"id": sessionID(t, pc)})
		require.Equal(t, 204, res.Status, string(res.Body))
		for _, path := range []string{"/api/me/sessions", "/api/collections/bookings/records"} {
			res = hookstest.Call(t, srv, http.MethodGet, path, pc, nil)
			require.Equal(t, 401, res.Status, path)
		}
		res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/auth-refresh", pc, nil)
		require.Equal(t, 401, res.Status, "a signed-out token cannot be refreshed")
		require.Len(t, listSessions(t, srv, phone), 1)
		res = hookstest.Call(t, srv, http.MethodPost, "/api/me/sessions/revoke", phone, map[string]any{"id": sessionID(t, pc)})
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), `"code":"bad_state"`)
		res = hookstest.Call(t, srv, http.MethodPost, "/api/me/sessions/revoke", phone, map[string]any{})
		require.Equal(t, 400, res.Status)
	})
}

func TestRevokeSessionRace(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	email := cast.Emails[hookstest.Tutor]
	victim := signInFrom(t, srv, email, hookstest.Password, uaWindowsChrome)
	me := signInFrom(t, srv, email, hookstest.Password, uaIPhoneSafari)
	rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/me/sessions/revoke", me, map[string]any{"id": sessionID(t, victim)})
	require.Equal(t, map[int]int{204: 1, 400: 7}, hookstest.Statuses(rs))
	n, err := app.CountRecords("audit_log", dbxHash("action", "session.revoke"))
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
}

func TestSignOutEverywhere(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	email := cast.Emails[hookstest.Tutor2]
	a := signInFrom(t, srv, email, hookstest.Password, uaWindowsChrome)
	b := signInFrom(t, srv, email, hookstest.Password, uaIPhoneSafari)
	static := cast.Tokens[hookstest.Tutor2] // minted by code: no session names it

	res := hookstest.Call(t, srv, http.MethodPost, "/api/me/sessions/revoke-all", b, nil)
	require.Equal(t, 204, res.Status, string(res.Body))
	for _, tok := range []string{a, b, static} {
		require.Equal(t, 401, hookstest.Call(t, srv, http.MethodGet, "/api/me/sessions", tok, nil).Status)
	}
	n, err := app.CountRecords("sessions", dbxHash("user", cast.Users[hookstest.Tutor2], "revoked_reason", "revoke_all"))
	require.NoError(t, err)
	require.EqualValues(t, 2, n)
	require.Equal(t, 401, hookstest.Call(t, srv, http.MethodPost, "/api/me/sessions/revoke-all", "", nil).Status)
}

func TestPasswordChangeSignsOutOtherDevices(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	email, id := cast.Emails[hookstest.Student], cast.Users[hookstest.Student]
	change := func(tok, from, to string, keep bool) {
		t.Helper()
		body := map[string]any{"oldPassword": from, "password": to, "passwordConfirm": to}
		if keep {
			body["keepOtherSessions"] = true
		}
		res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/users/records/"+id, tok, body)
		require.Equal(t, 200, res.Status, string(res.Body))
	}

	t.Run("by default every device is signed out", func(t *testing.T) {
		other := signInFrom(t, srv, email, hookstest.Password, uaWindowsChrome)
		here := signInFrom(t, srv, email, hookstest.Password, uaIPhoneSafari)
		change(here, hookstest.Password, "a-second-long-passphrase", false)
		require.Equal(t, 401, hookstest.Call(t, srv, http.MethodGet, "/api/me/sessions", other, nil).Status)
		here = signInFrom(t, srv, email, "a-second-long-passphrase", uaIPhoneSafari)
		require.Len(t, listSessions(t, srv, here), 1, "the ended sessions are no longer listed")
	})

	t.Run("the owner may keep their other devices", func(t *testing.T) {
		other := signInFrom(t, srv, email, "a-second-long-passphrase", uaWindowsChrome)
		here := signInFrom(t, srv, email, "a-second-long-passphrase", uaIPhoneSafari)
		change(here, "a-second-long-passphrase", "a-third-long-passphrase", true)
		require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, "/api/me/sessions", other, nil).Status)
		require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, "/api/me/sessions", here, nil).Status)
		signInFrom(t, srv, email, "a-third-long-passphrase", uaWindowsChrome)
	})

	reset := func(to string, keep bool) {
		t.Helper()
		u, err := app.FindRecordById("users", id)
		require.NoError(t, err)
		tok, err := u.NewPasswordResetToken()
		require.NoError(t, err)
		body := map[string]any{"token": tok, "password": to, "passwordConfirm": to}
		if keep {
			body["keepOtherSessions"] = true
		}
		res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/confirm-password-reset", "", body)
		require.Equal(t, 204, res.Status, string(res.Body))
	}

	t.Run("a password reset signs every device out by default", func(t *testing.T) {
		other := signInFrom(t, srv, email, "a-third-long-passphrase", uaWindowsChrome)
		reset("a-fourth-long-passphrase", false)
		require.Equal(t, 401, hookstest.Call(t, srv, http.MethodGet, "/api/me/sessions", other, nil).Status)
	})

	t.Run("a password reset may keep the other devices", func(t *testing.T) {
		other := signInFrom(t, srv, email, "a-fourth-long-passphrase", uaWindowsChrome)
		reset("a-fifth-long-passphrase", true)
		require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, "/api/me/sessions", other, nil).Status)
		signInFrom(t, srv, email, "a-fifth-long-passphrase", uaIPhoneSafari)
	})
}

func TestSecondFactorOwedLeavesNoSession(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	res := hookstest.Call(t, srv, http.MethodPost, authPath, "", map[string]any{"identity": cast.Emails[hookstest.Admin], "password": hookstest.Password})
	require.Equal(t, 401, res.Status, string(res.Body))
	require.NotEmpty(t, res.JSON()["mfaId"])
	n, err := app.CountRecords("sessions", dbxHash("user", cast.Users[hookstest.Admin]))
	require.NoError(t, err)
	require.Zero(t, n)
}
