package hooks_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/privacy"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/security"
	"github.com/stretchr/testify/require"
)

// privacyApp is a clone with a live server and no per-IP limits (the
// one export per person per hour is the handler's own).
func privacyApp(t *testing.T) (*tests.TestApp, *httptest.Server) {
	t.Helper()
	app := cast.Clone(t)
	t.Cleanup(app.Cleanup)
	hookstest.NoRateLimits(app)
	return app, hookstest.Serve(t, app)
}

// unzipText reads an export: file name -> content.
func unzipText(t *testing.T, body []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, b := range unzip(t, body) {
		out[name] = string(b)
	}
	return out
}

// download GETs path with token (none when empty): the answer and its
// whole body.
func download(t *testing.T, srv *httptest.Server, path, token string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, b
}

func TestExportHoldsEverythingOfThePerson(t *testing.T) {
	t.Parallel()
	_, srv := privacyApp(t)
	res, body := download(t, srv, "/api/me/export", cast.Tokens[hookstest.Student])
	require.Equal(t, 200, res.StatusCode, string(body))
	require.Equal(t, "application/zip", res.Header.Get("Content-Type"))
	require.Contains(t, res.Header.Get("Content-Disposition"), "attachment")
	files := unzipText(t, body)
	for _, name := range []string{"README.txt", "profile.json", "bookings.json", "payments.json", "invoices/invoices.json",
		"messages.json", "reports.json", "materials/materials.json", "notifications.json", "audit.json"} {
		require.Contains(t, files, name)
		if strings.HasSuffix(name, ".json") {
			require.True(t, json.Valid([]byte(files[name])), name+" is JSON: "+files[name])
		}
	}
	require.Contains(t, files["README.txt"], "I tuoi dati", "the README in the person's language")
	require.Contains(t, files["profile.json"], cast.Emails[hookstest.Student])
	require.NotContains(t, files["profile.json"], "tokenKey")
	require.NotContains(t, files["profile.json"], "calendar_token")
	for file, id := range map[string]string{"bookings.json": "booking", "payments.json": "payment", "reports.json": "lesson_report",
		"notifications.json": "notification", "audit.json": "audit"} {
		require.Contains(t, files[file], cast.IDs[id], file)
	}
	require.NotContains(t, files["bookings.json"], cast.IDs["material"])
	require.Contains(t, files["reports.json"], cast.IDs["churn_score"], "the churn score staff see of the person")
	require.Contains(t, files["messages.json"], cast.IDs["message"], "the messages of the person's conversations")

	// a tutor's export holds the files they uploaded
	res, body = download(t, srv, "/api/me/export", cast.Tokens[hookstest.Tutor])
	require.Equal(t, 200, res.StatusCode, string(body))
	files = unzipText(t, body)
	found := false
	for name, content := range files {
		if strings.HasPrefix(name, "materials/"+cast.IDs["material"]) {
			found = content == "x^2 + y^2"
		}
	}
	require.True(t, found, "the uploaded material is in materials/")
	require.NotContains(t, files["bookings.json"], "Otto Other", "another student's lessons are not in it")
}

func TestExportOncePerPersonPerHour(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	rs := hookstest.Fire(t, srv, 8, http.MethodGet, "/api/me/export", cast.Tokens[hookstest.Student2], nil)
	require.Equal(t, map[int]int{200: 1, 429: 7}, hookstest.Statuses(rs))
	for _, r := range rs {
		if r.Status == 429 {
			require.Contains(t, string(r.Body), "meno di un'ora fa", "the refusal in the person's language")
		}
	}
	n, err := app.CountRecords("audit_log", dbx.HashExp{"action": "privacy.export", "record": cast.Users[hookstest.Student2]})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	// staff exporting the same person within the hour: the same limit
	res, _ := download(t, srv, "/api/users/"+cast.Users[hookstest.Student2]+"/export", cast.Tokens[hookstest.Admin])
	require.Equal(t, 429, res.StatusCode)
}

// TestExportReadmeInThePersonsLanguage: staff exporting a person get the
// README in the person's language, not their own.
func TestExportReadmeInThePersonsLanguage(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	_, err := app.DB().Update("users", dbx.Params{"locale": "en"}, dbx.HashExp{"id": cast.Users[hookstest.Student2]}).Execute()
	require.NoError(t, err)
	res, body := download(t, srv, "/api/users/"+cast.Users[hookstest.Student2]+"/export", cast.Tokens[hookstest.Admin])
	require.Equal(t, 200, res.StatusCode)
	readme := unzipText(t, body)["README.txt"]
	require.Contains(t, readme, "Your data at the school")
	require.Contains(t, readme, "Prepared for Otto Other.")
}

func TestExportRoutesPerRole(t *testing.T) {
	t.Parallel()
	_, srv := privacyApp(t)
	student := cast.Users[hookstest.Student]
	for _, c := range []struct {
		role, path string
		want       int
	}{
		{hookstest.Visitor, "/api/me/export", 401},
		{hookstest.Superuser, "/api/me/export", 403}, // a superuser is no person
		{hookstest.Visitor, "/api/users/" + student + "/export", 401},
		{hookstest.Student, "/api/users/" + student + "/export", 403},
		{hookstest.Student2, "/api/users/" + student + "/export", 403},
		{hookstest.Tutor, "/api/users/" + student + "/export", 403},
		{hookstest.Admin, "/api/users/nosuchuser00000/export", 404},
		{hookstest.Admin, "/api/users/" + student + "/export", 200},
		{hookstest.Superuser, "/api/users/" + cast.Users[hookstest.Tutor] + "/export", 200},
	} {
		res, body := download(t, srv, c.path, cast.Tokens[c.role])
		require.Equal(t, c.want, res.StatusCode, "%s %s: %s", c.role, c.path, body)
	}
}

// TestExportOfTenThousandRecords: a person with 10,000 notifications gets
// all of them, the export read a page at a time.
func TestExportOfTenThousandRecords(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	user := cast.Users[hookstest.Student2]
	err := app.RunInTransaction(func(tx core.App) error {
		for i := range 10000 {
			_, err := tx.DB().Insert("notifications", dbx.Params{"id": security.RandomStringWithAlphabet(15, "abcdefghijklmnopqrstuvwxyz0123456789"),
				"user": user, "kind": "digest", "title": fmt.Sprintf("Note %d", i), "created": "2026-01-01 00:00:00.000Z", "updated": "2026-01-01 00:00:00.000Z"}).Execute()
			if err != nil {
				return err
			}
		}
		return nil
	})
	require.NoError(t, err)
	res, body := download(t, srv, "/api/me/export", cast.Tokens[hookstest.Student2])
	require.Equal(t, 200, res.StatusCode)
	var notes []map[string]any
	require.NoError(t, json.Unmarshal([]byte(unzipText(t, body)["notifications.json"]), &notes))
	require.Len(t, notes, 10000)
	seen := map[string]bool{}
	for _, n := range notes {
		seen[n["id"].(string)] = true
	}
	require.Len(t, seen, 10000, "no record twice, none left out")
}

// messagesCollection is the messages capability's collection, as far as
// erasure and export rely on it: who wrote, in which conversation, what.
func messagesCollection(t *testing.T, app core.App) *core.Collection {
	t.Helper()
	c, err := app.FindCollectionByNameOrId(privacy.Messages)
	require.NoError(t, err)
	return c
}

// saveMessage saves a message from one person to another, in a thread of
// the two.
func saveMessage(t *testing.T, app core.App, c *core.Collection, from, to, body string) *core.Record {
	t.Helper()
	threads, err := app.FindCollectionByNameOrId("threads")
	require.NoError(t, err)
	th := core.NewRecord(threads)
	th.Load(map[string]any{"kind": "direct", "participants": []string{from, to}, "status": "open"})
	require.NoError(t, app.Save(th))
	m := core.NewRecord(c)
	m.Load(map[string]any{"thread": th.Id, "author": from, "body": body})
	require.NoError(t, app.Save(m))
	return m
}

func TestExportHoldsMessagesOnceTheyExist(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	c := messagesCollection(t, app)
	sent := saveMessage(t, app, c, cast.Users[hookstest.Student], cast.Users[hookstest.Tutor], "See you Monday")
	got := saveMessage(t, app, c, cast.Users[hookstest.Tutor], cast.Users[hookstest.Student], "Bring the book")
	other := saveMessage(t, app, c, cast.Users[hookstest.Tutor], cast.Users[hookstest.Student2], "Not for Stella")
	res, body := download(t, srv, "/api/me/export", cast.Tokens[hookstest.Student])
	require.Equal(t, 200, res.StatusCode)
	msgs := unzipText(t, body)["messages.json"]
	require.Contains(t, msgs, sent.Id)
	require.Contains(t, msgs, got.Id)
	require.NotContains(t, msgs, other.Id)
}
