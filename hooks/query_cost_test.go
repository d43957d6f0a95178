package hooks_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/querycost"

	"github.com/stretchr/testify/require"
)

// The two filters of issue 12: each ran for PocketBase's whole query
// timeout (30 s) on a student's 150 bookings, an admin's 726 audit rows.
const (
	studentLoop = `student.bookings_via_student.student.bookings_via_student.student.bookings_via_student.id != ""`
	adminLoop   = `actor.audit_log_via_actor.actor.audit_log_via_actor.id != ""`
)

// touches reports the statements that read or write collection.
func touches(sql []string, collection string) []string {
	var out []string
	for _, s := range sql {
		if strings.Contains(s, "`"+collection+"`") {
			out = append(out, s)
		}
	}
	return out
}

func listURL(collection string, q url.Values) string {
	return "/api/collections/" + collection + "/records?" + q.Encode()
}

// TestCostlyQueriesRefusedBeforeSQL: the filters, and a generated
// family of deeper ones in every parameter and position, are answered 400
// filter_too_complex without any statement on the listed collection: the
// only SQL of such a request is PocketBase reading the caller's record for
// their token.
func TestCostlyQueriesRefusedBeforeSQL(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	log := hookstest.LogQueries(app)
	srv := hookstest.Serve(t, app)

	// the control: an ordinary list is seen running on bookings, so the
	// log would see the refused ones
	mark := log.Mark()
	res := hookstest.Call(t, srv, http.MethodGet, listURL("bookings", url.Values{"filter": {`status = "confirmed"`}}), cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.NotEmpty(t, touches(log.Since(mark), "bookings"), "the query log sees a list's SQL")

	refused := func(t *testing.T, role, collection string, q url.Values) {
		t.Helper()
		mark := log.Mark()
		res := hookstest.Call(t, srv, http.MethodGet, listURL(collection, q), cast.Tokens[role], nil)
		require.Equal(t, 400, res.Status, "%s %v: %s", role, q, res.Body)
		require.Contains(t, string(res.Body), `"code":"filter_too_complex"`)
		ran := log.Since(mark)
		require.Empty(t, touches(ran, collection), "%s %v ran SQL on %s", role, q, collection)
		require.Len(t, ran, 1, "only the caller's record is read, for the token: %v", ran)
		require.Len(t, touches(ran, "users"), 1, "only the caller's record is read, for the token: %v", ran)
	}
	t.Run("the student's filter of the issue", func(t *testing.T) {
		refused(t, hookstest.Student, "bookings", url.Values{"filter": {studentLoop}})
	})
	t.Run("the admin's filter of the issue", func(t *testing.T) {
		refused(t, hookstest.Admin, "audit_log", url.Values{"filter": {adminLoop}})
	})
	t.Run("an admin's bookings list (the staff list route)", func(t *testing.T) {
		refused(t, hookstest.Admin, "bookings", url.Values{"filter": {studentLoop}})
	})
	t.Run("a generated family of deeper queries", func(t *testing.T) {
		for _, q := range querycost.DeeperFamily() {
			v := url.Values{}
			for k, s := range map[string]string{"filter": q.Filter, "sort": q.Sort, "expand": q.Expand} {
				if s != "" {
					v.Set(k, s)
				}
			}
			refused(t, hookstest.Student, "bookings", v)
			refused(t, hookstest.Admin, "bookings", v)
		}
	})
	t.Run("a view's expand", func(t *testing.T) {
		mark := log.Mark()
		res := hookstest.Call(t, srv, http.MethodGet, "/api/collections/bookings/records/"+cast.IDs["booking"]+"?expand=student.bookings_via_student",
			cast.Tokens[hookstest.Student], nil)
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), `"expand":{"code":"filter_too_complex"`)
		require.Empty(t, touches(log.Since(mark), "bookings"))
	})
	t.Run("superusers are not bound", func(t *testing.T) {
		res := hookstest.Call(t, srv, http.MethodGet, listURL("bookings", url.Values{"filter": {studentLoop}}), cast.Tokens[hookstest.Superuser], nil)
		require.Equal(t, 200, res.Status, string(res.Body))
	})
	t.Run("the web app's own queries run", func(t *testing.T) {
		for role, q := range map[string]url.Values{
			hookstest.Student: {"filter": {"student = '" + cast.Users[hookstest.Student] + "' && (status = 'pending' || status = 'confirmed')"}, "sort": {"start"}},
			hookstest.Tutor:   {"filter": {"tutor_user = '" + cast.Users[hookstest.Tutor] + "'"}, "sort": {"-start"}, "expand": {"tutor,subject"}},
			hookstest.Admin:   {"filter": {"student_name ~ 'Stella'"}, "sort": {"-start"}},
		} {
			res := hookstest.Call(t, srv, http.MethodGet, listURL("bookings", q), cast.Tokens[role], nil)
			require.Equal(t, 200, res.Status, "%s: %s", role, res.Body)
		}
		res := hookstest.Call(t, srv, http.MethodGet, listURL("credit_ledger", url.Values{"expand": {"purchase.package,booking"}}), cast.Tokens[hookstest.Student], nil)
		require.Equal(t, 200, res.Status, string(res.Body))
	})
}

// TestCostlyQueriesRefusedInRealtimeAndBatch: a realtime subscription's
// filter (run against every broadcast record) and a batch request's
// expand are held to the same bounds.
func TestCostlyQueriesRefusedInRealtimeAndBatch(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	log := hookstest.LogQueries(app)
	srv := hookstest.Serve(t, app)

	options := func(filter string) string {
		b, _ := json.Marshal(map[string]any{"query": map[string]any{"filter": filter}})
		return "bookings/*?options=" + url.QueryEscape(string(b))
	}
	_, client := hookstest.Connect(t, srv)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/realtime", cast.Tokens[hookstest.Student],
		map[string]any{"clientId": client, "subscriptions": []string{"notifications/*", options(studentLoop)}})
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"filter":{"code":"filter_too_complex"`)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/realtime", cast.Tokens[hookstest.Student],
		map[string]any{"clientId": client, "subscriptions": []string{options(`status = "confirmed"`)}})
	require.Equal(t, 204, res.Status, "an ordinary filter subscribes: %s", res.Body)

	mark := log.Mark()
	body := map[string]any{"requests": []map[string]any{
		{"method": "PATCH", "url": "/api/collections/bookings/records/" + cast.IDs["booking"], "body": map[string]any{"notes": "first"}},
		{"method": "PATCH", "url": "/api/collections/bookings/records/" + cast.IDs["booking"] + "?expand=student.bookings_via_student", "body": map[string]any{"notes": "second"}},
	}}
	res = hookstest.Call(t, srv, http.MethodPost, "/api/batch", cast.Tokens[hookstest.Student], body)
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"requests":{"1":{"expand":{"code":"filter_too_complex"`)
	require.Empty(t, touches(log.Since(mark), "bookings"), "nothing of the batch ran")
	b, err := app.FindRecordById("bookings", cast.IDs["booking"])
	require.NoError(t, err)
	require.NotEqual(t, "first", b.GetString("notes"))
}

// TestFilterRefusalSpeaksTheCallersLanguage: the signed-in user's locale,
// else Accept-Language.
func TestFilterRefusalSpeaksTheCallersLanguage(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	u, err := app.FindRecordById("users", cast.Users[hookstest.Student2])
	require.NoError(t, err)
	u.Set("locale", "it")
	require.NoError(t, app.Save(u))
	srv := hookstest.Serve(t, app)

	ask := func(token, acceptLanguage string) string {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+listURL("bookings", url.Values{"filter": {studentLoop}}), nil)
		if token != "" {
			req.Header.Set("Authorization", token)
		}
		if acceptLanguage != "" {
			req.Header.Set("Accept-Language", acceptLanguage)
		}
		res, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		var out struct{ Message string }
		require.NoError(t, json.NewDecoder(res.Body).Decode(&out))
		require.Equal(t, 400, res.StatusCode)
		return out.Message
	}
	const en, it = "This search asks for too much at once", "Questa ricerca chiede troppo"
	require.Contains(t, ask(cast.Tokens[hookstest.Student2], "en-GB,en"), it, "the user's locale wins")
	require.Contains(t, ask("", "it-IT,it;q=0.9,en;q=0.8"), it)
	require.Contains(t, ask("", "de-DE,en;q=0.5,it;q=0.4"), en)
	require.Contains(t, ask("", ""), en)
}
