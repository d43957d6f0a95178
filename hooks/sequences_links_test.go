package hooks_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/config"
	"tutorbase/testkit/mailpittest"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

var unsubscribeLink = regexp.MustCompile(`/unsubscribe\?token=([A-Za-z0-9._%-]+)`)

// A sequence's email reaches the student through mailpit with its
// unsubscribe link and open image; both work without signing in, a forged
// or foreign token is refused, unsubscribing at once eight times leaves
// one row, and staff read the counts: sent, opened, booked after,
// unsubscribed.
func TestSequenceUnsubscribeAndCounts(t *testing.T) {
	t.Parallel()
	mp := mailpittest.Start(t, config.RequireTestTools())
	app, srv := seqWorld(t)
	useMailpit(t, app, mp)
	clearDeliveries(t, app)
	now := cast.Now().UTC()
	castOut := func(seq string) float64 { // the cast's people, out of every sequence (seqWorld)
		n, err := app.CountRecords("sequence_optouts", dbx.HashExp{"sequence": seqIDs[seq]})
		require.NoError(t, err)
		return float64(n)
	}
	welcomeOut, winBackOut := castOut("welcome"), castOut("win_back")
	a := seqPerson(t, app, "seq-link-a", "student", "en", now.Add(-time.Hour))
	b := seqPerson(t, app, "seq-link-b", "student", "it", now.Add(-4*24*time.Hour))
	turnOn(t, srv, "welcome")
	runSequences(t, app, now)
	require.NoError(t, hookstest.ServicesOf(app).Notifications.DispatchDeliveries(app, now))

	tokens := map[string]string{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	list, err := mp.WaitMessages(ctx, 2)
	require.NoError(t, err)
	require.Len(t, list, 2)
	for _, s := range list {
		m, err := mp.Message(ctx, s.ID)
		require.NoError(t, err)
		found := unsubscribeLink.FindStringSubmatch(m.Text)
		require.NotNil(t, found, m.Text)
		tok, err := url.QueryUnescape(found[1])
		require.NoError(t, err)
		tokens[m.To[0].Address] = tok
		require.Contains(t, m.HTML, `/api/sequences/open?token=`+found[1], "the open image")
		if m.To[0].Address == "seq-link-a@seq.test.localhost" {
			require.Equal(t, "Welcome to the school", m.Subject)
		}
	}
	tokA, tokB := tokens["seq-link-a@seq.test.localhost"], tokens["seq-link-b@seq.test.localhost"]
	require.NotEmpty(t, tokA)
	require.NotEmpty(t, tokB)

	state := func(tok string) map[string]any {
		res := hookstest.Call(t, srv, http.MethodGet, "/api/sequences/unsubscribe?token="+url.QueryEscape(tok), "", nil)
		require.Equal(t, http.StatusOK, res.Status, string(res.Body))
		return res.JSON()
	}
	require.Equal(t, map[string]any{"sequence": "welcome", "unsubscribed": false, "all": false}, state(tokA))

	// the open image, twice: opened once
	for range 2 {
		res := hookstest.Call(t, srv, http.MethodGet, "/api/sequences/open?token="+url.QueryEscape(tokA), "", nil)
		require.Equal(t, http.StatusOK, res.Status)
		require.Equal(t, "GIF89a", string(res.Body[:6]))
	}

	// refused: forged, foreign, missing
	forged := tokA[:len(tokA)-4] + strings.Map(func(r rune) rune {
		if r == 'A' {
			return 'B'
		}
		return 'A'
	}, tokA[len(tokA)-4:])
	for name, tok := range map[string]string{"forged": forged, "a sign-in token": cast.Tokens[hookstest.Student], "none": "", "garbage": "abc"} {
		res := hookstest.CallWith(t, srv, http.MethodPost, "/api/sequences/unsubscribe", "", map[string]any{"token": tok, "all": true},
			map[string]string{"Accept-Language": "it"})
		require.Equal(t, http.StatusBadRequest, res.Status, name)
		body := res.JSON()
		require.Equal(t, "Questo link non è valido: apri di nuovo l'ultimo messaggio.", body["message"], name)
		require.Equal(t, "bad_token", body["data"].(map[string]any)["token"].(map[string]any)["code"], name)
		res = hookstest.Call(t, srv, http.MethodGet, "/api/sequences/open?token="+url.QueryEscape(tok), "", nil)
		require.Equal(t, http.StatusBadRequest, res.Status, name)
	}
	n, err := app.CountRecords("sequence_optouts", dbx.NewExp("person IN ({:a}, {:b})", dbx.Params{"a": a, "b": b}))
	require.NoError(t, err)
	require.Zero(t, n, "nothing changed")

	// A stops every sequence, eight times at once; B only the welcome
	rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/sequences/unsubscribe", "", map[string]any{"token": tokA, "all": true})
	require.Equal(t, map[int]int{http.StatusOK: 8}, hookstest.Statuses(rs))
	n, err = app.CountRecords("sequence_optouts", dbx.HashExp{"person": a})
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "one row")
	require.Equal(t, map[string]any{"sequence": "welcome", "unsubscribed": true, "all": true}, state(tokA))
	res := hookstest.Call(t, srv, http.MethodPost, "/api/sequences/unsubscribe", "", map[string]any{"token": tokB})
	require.Equal(t, http.StatusOK, res.Status)
	require.Equal(t, map[string]any{"sequence": "welcome", "unsubscribed": true, "all": false}, state(tokB))

	// four days on both are due for the first-lesson nudge: B gets it, A stopped everything
	_, err = app.DB().NewQuery("UPDATE users SET created = {:c} WHERE id = {:a}").
		Bind(dbx.Params{"c": now.Add(-4 * 24 * time.Hour).Format("2006-01-02 15:04:05.000Z"), "a": a}).Execute()
	require.NoError(t, err)
	turnOn(t, srv, "first_lesson")
	runSequences(t, app, now)
	require.Equal(t, []string{b}, sentTo(t, app, "first_lesson"))

	// B reads it in the app and books: opened and booked after, for both of B's sequences
	_, err = app.DB().NewQuery("UPDATE notifications SET read_at = {:now} WHERE user = {:b} AND kind = 'sequence' AND json_extract(data, '$.trigger') = 'first_lesson'").
		Bind(dbx.Params{"now": now.Format("2006-01-02 15:04:05.000Z"), "b": b}).Execute()
	require.NoError(t, err)
	seqLesson(t, app, cast.Tutors[hookstest.Tutor2], b, now.Truncate(time.Hour).Add(5*24*time.Hour), "confirmed")

	stats := hookstest.Call(t, srv, http.MethodGet, "/api/sequences", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, http.StatusOK, stats.Status, string(stats.Body))
	got := map[string][5]float64{}
	for _, r := range stats.JSON()["sequences"].([]any) {
		row := r.(map[string]any)
		got[row["trigger"].(string)] = [5]float64{row["sent"].(float64), row["opened"].(float64), row["booked_after"].(float64),
			row["unsubscribed"].(float64), row["unsubscribed_all"].(float64)}
	}
	require.Equal(t, map[string][5]float64{
		"welcome": {2, 1, 1, 2 + welcomeOut, 1 + welcomeOut}, "first_lesson": {1, 1, 1, 0, 0}, "win_back": {0, 0, 0, winBackOut, winBackOut},
		"package_low": {}, "review_request": {}, "report_nudge": {},
	}, got)
	require.EqualValues(t, 14, stats.JSON()["booked_within_days"])

	// a booking made after the window does not count
	_, err = app.DB().NewQuery("UPDATE sequence_sends SET created = {:c} WHERE sequence = 'seqfirstlesson0'").
		Bind(dbx.Params{"c": time.Now().UTC().Add(-15 * 24 * time.Hour).Format("2006-01-02 15:04:05.000Z")}).Execute()
	require.NoError(t, err)
	rows := hookstest.Call(t, srv, http.MethodGet, "/api/sequences", cast.Tokens[hookstest.Admin], nil).JSON()["sequences"].([]any)
	require.EqualValues(t, 0, rows[1].(map[string]any)["booked_after"], "booked 15 days after")

	for role, want := range map[string]int{hookstest.Visitor: 401, hookstest.Student: 403, hookstest.Tutor: 403, hookstest.Superuser: 200} {
		res := hookstest.Call(t, srv, http.MethodGet, "/api/sequences", cast.Tokens[role], nil)
		require.Equal(t, want, res.Status, role)
	}
}

// Staff edit a sequence's words per language and turn it on; words missing
// in a language, or a trigger, are refused; the next message uses the new
// words in the reader's language. Others cannot edit.
func TestSequenceEdit(t *testing.T) {
	t.Parallel()
	app, srv := seqWorld(t)
	now := cast.Now().UTC()
	path := "/api/collections/sequences/records/" + seqIDs["welcome"]
	admin := cast.Tokens[hookstest.Admin]
	texts := map[string]any{"en": map[string]any{"title": "Hello there", "body": "Book today."},
		"it": map[string]any{"title": "Ciao a te", "body": "Prenota oggi."}}

	res := hookstest.Call(t, srv, http.MethodPatch, path, admin, map[string]any{"texts": map[string]any{"en": texts["en"]}})
	require.Equal(t, http.StatusBadRequest, res.Status, string(res.Body))
	require.Equal(t, "Scrivi un titolo di una riga e un testo in ogni lingua.", res.JSON()["data"].(map[string]any)["texts"].(map[string]any)["message"])
	bad := map[string]any{"en": texts["en"], "it": map[string]any{"title": "Two\nlines", "body": "x"}}
	res = hookstest.Call(t, srv, http.MethodPatch, path, admin, map[string]any{"texts": bad})
	require.Equal(t, http.StatusBadRequest, res.Status, "a title of two lines")
	res = hookstest.Call(t, srv, http.MethodPatch, path, admin, map[string]any{"trigger": "win_back"})
	require.Equal(t, http.StatusBadRequest, res.Status, "the trigger is the server's")
	for _, role := range []string{hookstest.Student, hookstest.Tutor} {
		res = hookstest.Call(t, srv, http.MethodPatch, path, cast.Tokens[role], map[string]any{"active": true})
		require.Equal(t, http.StatusNotFound, res.Status, role)
	}
	r, err := app.FindRecordById("sequences", seqIDs["welcome"])
	require.NoError(t, err)
	require.False(t, r.GetBool("active"), "unchanged")
	require.Contains(t, r.GetString("texts"), "Welcome to the school")

	res = hookstest.Call(t, srv, http.MethodPatch, path, admin, map[string]any{"texts": texts, "active": true})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	it := seqPerson(t, app, "seq-edit-it", "student", "it", now.Add(-time.Hour))
	en := seqPerson(t, app, "seq-edit-en", "student", "en", now.Add(-time.Hour))
	runSequences(t, app, now)
	for user, want := range map[string][2]string{it: {"Ciao a te", "Prenota oggi."}, en: {"Hello there", "Book today."}} {
		n, err := app.FindFirstRecordByFilter("notifications", "user = {:u} && kind = 'sequence'", dbx.Params{"u": user})
		require.NoError(t, err)
		require.Equal(t, want, [2]string{n.GetString("title"), n.GetString("app")})
	}
}
