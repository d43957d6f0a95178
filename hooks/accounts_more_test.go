package hooks_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tutorbase/hooks"
	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// longPassword is a 96-byte passphrase: past bcrypt's 72 bytes, so it is
// prehashed on the way in.
var longPassword = strings.Repeat("seven quiet herons fish the river ", 3)[:96]

// postForm sends fields as multipart/form-data (multipart true) or
// application/x-www-form-urlencoded, as browsers and the dashboard do.
func postForm(t *testing.T, srv string, path, token string, fields map[string]string, multipartForm bool) hookstest.Response {
	t.Helper()
	var body bytes.Buffer
	ct := "application/x-www-form-urlencoded"
	if multipartForm {
		w := multipart.NewWriter(&body)
		for k, v := range fields {
			require.NoError(t, w.WriteField(k, v))
		}
		require.NoError(t, w.Close())
		ct = w.FormDataContentType()
	} else {
		v := url.Values{}
		for k, f := range fields {
			v.Set(k, f)
		}
		body.WriteString(v.Encode())
	}
	return postRaw(t, srv+path, token, ct, &body)
}

// TestLongPasswordsThroughForms: a long password sent by a form (multipart
// or urlencoded) is checked in its raw form like a JSON one, and the
// account then signs in with it by JSON.
func TestLongPasswordsThroughForms(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	app.Settings().Batch.Timeout = 60 // two bcrypt runs in the batch: seconds on a busy machine
	srv := hookstest.Serve(t, app)
	signIn := func(email, pw string) int {
		return hookstest.Call(t, srv, http.MethodPost, authPath, "", map[string]any{"identity": email, "password": pw}).Status
	}

	for _, multipartForm := range []bool{true, false} {
		email := map[bool]string{true: "form.multi@test.localhost", false: "form.plain@test.localhost"}[multipartForm]
		withEmail := (email + " " + longPassword)[:90]
		res := postForm(t, srv.URL, "/api/collections/users/records", "", map[string]string{
			"email": email, "name": "Form Person", "password": withEmail, "passwordConfirm": withEmail}, multipartForm)
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), `"password":{"code":"password_contains_email"`)

		res = postForm(t, srv.URL, "/api/collections/users/records", "", map[string]string{
			"email": email, "name": "Form Person", "password": longPassword, "passwordConfirm": longPassword}, multipartForm)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, 200, signIn(email, longPassword), "the same password by JSON")
		require.Equal(t, 400, signIn(email, longPassword[:80]), "only the whole password")
	}

	res := postForm(t, srv.URL, "/api/collections/users/records", "", nil, true)
	require.Equal(t, 400, res.Status, "an empty form is PocketBase's to refuse")
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/collections/users/records", strings.NewReader("--broken\r\n"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "multipart/form-data; boundary=broken")
	r, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	r.Body.Close()
	require.Equal(t, 400, r.StatusCode, "a malformed form too")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/records", "", []any{map[string]any{"password": longPassword}})
	require.Equal(t, 400, res.Status, "a body that is no object")

	t.Run("in a batch, beside other collections' requests", func(t *testing.T) {
		me := "/api/collections/users/records/" + cast.Users[hookstest.Tutor]
		res := hookstest.Call(t, srv, http.MethodPost, "/api/batch", cast.Tokens[hookstest.Tutor], map[string]any{"requests": []map[string]any{
			{"method": "PATCH", "url": "/api/collections/tutors/records/" + cast.Tutors[hookstest.Tutor], "body": map[string]any{"bio": "Password-free maths."}},
			{"method": "PATCH", "url": me},
			{"method": "PATCH", "url": me, "body": map[string]any{"oldPassword": hookstest.Password, "password": longPassword, "passwordConfirm": longPassword}},
		}})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, 200, signIn(cast.Emails[hookstest.Tutor], longPassword))
	})

	t.Run("an account saved by a command", func(t *testing.T) {
		col, err := app.FindCachedCollectionByNameOrId("users")
		require.NoError(t, err)
		u := core.NewRecord(col)
		u.SetEmail("imported@test.localhost")
		u.SetPassword(longPassword)
		u.SetVerified(true)
		u.Set("name", "Imported Person")
		require.NoError(t, app.Save(u))
		require.Equal(t, 200, signIn("imported@test.localhost", longPassword))
	})
}

// TestAccountSettingsRules: notification preferences, lesson lengths and
// an emptied time zone.
func TestAccountSettingsRules(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	me := "/api/collections/users/records/" + cast.Users[hookstest.Student]
	patch := func(path, role string, body map[string]any) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPatch, path, cast.Tokens[role], body)
	}

	res := patch(me, hookstest.Student, map[string]any{"notify": map[string]any{"reminder": "yes please"}})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"notify":{"code":"invalid_notify"`)
	res = patch(me, hookstest.Student, map[string]any{"notify": map[string]any{"birthday": map[string]bool{"email": true}}})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"notify":{"code":"unknown_event"`)

	res = patch(me, hookstest.Student, map[string]any{"timezone": ""})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "Europe/Rome", res.JSON()["timezone"], "an emptied zone is the school's")

	lengths := []int{30, 45, 60, 75, 90, 105, 120, 135, 150, 165, 180}
	res = patch("/api/collections/tutors/records/"+cast.Tutors[hookstest.Tutor], hookstest.Tutor, map[string]any{"lesson_minutes": lengths})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "Al massimo 10 durate.") // the cast speaks the school's language (Italian)
}

// TestPromotionToAdmin: a superuser making a user an admin gives them the
// staff's view of the records at once; taking it back, or deleting the
// admin, takes it away.
func TestPromotionToAdmin(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	who := cast.Users[hookstest.Student2]
	payouts := func() float64 {
		res := hookstest.Call(t, srv, http.MethodGet, "/api/collections/payouts/records", cast.Tokens[hookstest.Student2], nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		return res.JSON()["totalItems"].(float64)
	}
	setRole := func(role string) {
		res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/users/records/"+who, cast.Tokens[hookstest.Superuser], map[string]any{"role": role})
		require.Equal(t, 200, res.Status, string(res.Body))
	}
	rule := func() string {
		c, err := app.FindCollectionByNameOrId("payouts")
		require.NoError(t, err)
		return *c.ListRule
	}

	require.Zero(t, payouts(), "a student sees no tutor's payouts")
	setRole(platform.RoleAdmin)
	require.Contains(t, rule(), who)
	res := hookstest.Call(t, srv, http.MethodGet, "/api/collections/payouts/records", cast.Tokens[hookstest.Student2], nil)
	require.Equal(t, 403, res.Status, "a new admin sets up the authenticator app first")
	enrolTOTP(t, srv, cast.Tokens[hookstest.Student2])
	require.EqualValues(t, 1, payouts(), "as an admin: the school's payouts")
	setRole(platform.RoleStudent)
	require.NotContains(t, rule(), who)
	require.Zero(t, payouts())

	admin := cast.Users[hookstest.Admin]
	require.Contains(t, rule(), admin)
	res = hookstest.Call(t, srv, http.MethodDelete, "/api/collections/users/records/"+admin, cast.Tokens[hookstest.Superuser], nil)
	require.Equal(t, 204, res.Status, string(res.Body))
	require.NotContains(t, rule(), admin, "a deleted admin is named in no rule")
}

// TestStaffChangesAreAudited: a superuser changing the settings or a
// collection leaves an audit entry; refreshing a token is no sign-in.
func TestStaffChangesAreAudited(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	su := cast.Tokens[hookstest.Superuser]
	audits := func(action string) int64 { return countWhere(t, app, "audit_log", dbx.HashExp{"action": action}) }

	res := hookstest.Call(t, srv, http.MethodPatch, "/api/settings", su, map[string]any{"meta": map[string]any{"appName": "Scuola Test"}})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.EqualValues(t, 1, audits("settings.update"))
	res = hookstest.Call(t, srv, http.MethodPatch, "/api/collections/subjects", su, map[string]any{"listRule": ""})
	require.Equal(t, 200, res.Status, string(res.Body))
	e, err := app.FindFirstRecordByData("audit_log", "action", "collection.update")
	require.NoError(t, err)
	require.Equal(t, "subjects", e.GetString("collection"))
	res = hookstest.Call(t, srv, http.MethodPatch, "/api/settings", cast.Tokens[hookstest.Admin], map[string]any{"meta": map[string]any{"appName": "Mine"}})
	require.Equal(t, 403, res.Status, "an admin is not a superuser")
	require.EqualValues(t, 1, audits("settings.update"))

	signins := audits("auth.signin")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/auth-refresh", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, signins, audits("auth.signin"), "a refresh is no sign-in")
}

// TestSuperuserLockout: a superuser's sign-in is locked like a user's,
// under its own identity.
func TestSuperuserLockout(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	srv := hookstest.Serve(t, app)
	try := func(pw string) int {
		return hookstest.Call(t, srv, http.MethodPost, "/api/collections/_superusers/auth-with-password", "",
			map[string]any{"identity": cast.Emails[hookstest.Superuser], "password": pw}).Status
	}
	for range 10 {
		require.Equal(t, 400, try("not-the-password-at-all"))
	}
	require.Equal(t, 400, try(hookstest.Password), "locked")
	r, err := app.FindFirstRecordByData("login_attempts", "identity", "_superusers:"+cast.Emails[hookstest.Superuser])
	require.NoError(t, err)
	require.False(t, r.GetDateTime("locked_until").IsZero())
	_, err = app.FindFirstRecordByData("login_attempts", "identity", cast.Emails[hookstest.Superuser])
	require.Error(t, err, "a user with the same email would not share the lock")
}

// TestAppURLFromConfigAtStart: on a server that registers before it
// bootstraps (as main does), TB_APP_URL becomes the app URL that
// PocketBase's auth emails link to.
func TestAppURLFromConfigAtStart(t *testing.T) {
	t.Parallel()
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: t.TempDir()})
	defer app.ResetBootstrapState()
	cfg := hookstest.Config
	cfg.AppURL = "https://lessons.example.org"
	_, err := hooks.Register(app, hookstest.Env(cfg))
	require.NoError(t, err)
	require.NoError(t, app.Bootstrap())
	require.Equal(t, "https://lessons.example.org", app.Settings().Meta.AppURL)
}
