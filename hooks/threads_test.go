package hooks_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

const messagesURL = "/api/collections/messages/records"

// sendMessage posts a message to thread as the token's person.
func sendMessage(t *testing.T, srv *httptest.Server, token, author, thread, body string) hookstest.Response {
	t.Helper()
	return hookstest.Call(t, srv, http.MethodPost, messagesURL, token, map[string]any{"thread": thread, "author": author, "body": body})
}

func countRecords(t *testing.T, app core.App, collection string, where dbx.Expression) int {
	t.Helper()
	n, err := app.CountRecords(collection, where)
	require.NoError(t, err)
	return int(n)
}

// TestThreadStart: who may start a conversation with whom, and that a
// pair has one thread however many ask for it at once (a guardian asking
// for their student gets the student's).
func TestThreadStart(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	tok, id := cast.Tokens, cast.Users
	start := func(token string, body map[string]any) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/threads", token, body)
	}

	rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/threads", tok[hookstest.Student], map[string]any{"to": id[hookstest.Tutor2], "subject": "Exam  prep"})
	require.Equal(t, map[int]int{200: 8}, hookstest.Statuses(rs))
	thread := rs[0].JSON()["id"].(string)
	for _, r := range rs {
		require.Equal(t, thread, r.JSON()["id"], "every request answers with the one thread")
	}
	require.Equal(t, 1, countRecords(t, app, "threads", dbx.HashExp{"student": id[hookstest.Student], "kind": "direct", "id": thread}))
	require.Equal(t, "Exam prep", rs[0].JSON()["subject"], "a one-line subject, cleaned")
	require.NotContains(t, string(rs[0].Body), "pair_key")

	res := start(gina.token, map[string]any{"to": id[hookstest.Tutor2], "student": id[hookstest.Student]})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, thread, res.JSON()["id"], "the guardian joins the student's thread with the tutor")
	res = start(gina.token, map[string]any{"to": id[hookstest.Tutor2], "student": id[hookstest.Student2]})
	require.Equal(t, 400, res.Status, "not for a student who is not theirs")

	res = start(tok[hookstest.Tutor2], map[string]any{"to": id[hookstest.Student]})
	require.Equal(t, thread, res.JSON()["id"], "the tutor who taught the student reaches the same thread")
	res = start(tok[hookstest.Tutor2], map[string]any{"to": id[hookstest.Student2]})
	require.Equal(t, 403, res.Status, "a tutor writes only to students they have had a lesson with")
	res = start(tok[hookstest.Student], map[string]any{"to": id[hookstest.Student2]})
	require.Equal(t, 403, res.Status, "students do not write to each other")
	res = hookstest.CallWith(t, srv, http.MethodPost, "/api/threads", tok[hookstest.Student], map[string]any{"to": id[hookstest.TutorPending]}, italian)
	require.Equal(t, 403, res.Status, "nor to a tutor who takes no bookings")
	require.Equal(t, "Non puoi iniziare una conversazione con questa persona.", res.JSON()["message"])
	res = start(tok[hookstest.Student], map[string]any{"to": id[hookstest.Student]})
	require.Equal(t, 400, res.Status, "nor to themselves")

	res = start(tok[hookstest.Admin], map[string]any{"to": id[hookstest.Student2]})
	require.Equal(t, 200, res.Status, "staff write to anyone")
	res = start(tok[hookstest.Student2], map[string]any{"to": id[hookstest.Admin]})
	require.Equal(t, 200, res.Status, "and anyone to staff: the same thread")
	require.Equal(t, 401, start("", map[string]any{"to": id[hookstest.Tutor]}).Status)
}

// TestLessonThread: a lesson has one thread, made by whoever of its
// parties, their guardians or staff asks first; others are told it does
// not exist.
func TestLessonThread(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	url := "/api/bookings/" + cast.IDs["booking"] + "/thread"

	rs := hookstest.Fire(t, srv, 8, http.MethodPost, url, cast.Tokens[hookstest.Student], nil)
	require.Equal(t, map[int]int{200: 8}, hookstest.Statuses(rs))
	require.Equal(t, 1, countRecords(t, app, "threads", dbx.HashExp{"booking": cast.IDs["booking"]}))
	thread := rs[0].JSON()
	require.Equal(t, "lesson", thread["kind"])
	for _, token := range []string{cast.Tokens[hookstest.Tutor], gina.token, cast.Tokens[hookstest.Admin]} {
		res := hookstest.Call(t, srv, http.MethodPost, url, token, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, thread["id"], res.JSON()["id"])
	}
	for _, token := range []string{cast.Tokens[hookstest.Student2], cast.Tokens[hookstest.Tutor2]} {
		require.Equal(t, 404, hookstest.Call(t, srv, http.MethodPost, url, token, nil).Status)
	}
	res := sendMessage(t, srv, gina.token, gina.id, thread["id"].(string), "Luca will be ten minutes late.")
	require.Equal(t, 200, res.Status, "the guardian writes in the lesson's thread: %s", res.Body)
	require.Equal(t, "Gina Guardian", res.JSON()["author_name"])
}

// TestMessageEditAndDelete: the author edits a message (stamped) and
// deletes it for everyone, once however many ask at once; nobody else
// edits or deletes it, and a deleted message is not edited back.
func TestMessageEditAndDelete(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	tok, thread := cast.Tokens[hookstest.Tutor], cast.IDs["thread"]

	res := sendMessage(t, srv, tok, cast.Users[hookstest.Tutor], thread, "  Page 12, <b>all</b> exercises\r\n\r\n\r\n\r\n\r\nthanks\u200b  ")
	require.Equal(t, 200, res.Status, string(res.Body))
	m := res.JSON()
	require.Equal(t, "Page 12, <b>all</b> exercises\n\n\nthanks", m["body"], "plain text kept as typed, without invisible characters")
	require.Equal(t, "Tina Tutor", m["author_name"])
	id := m["id"].(string)
	url := messagesURL + "/" + id

	res = hookstest.Call(t, srv, http.MethodPatch, url, tok, map[string]any{"body": "Page 13"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.NotEmpty(t, res.JSON()["edited"])
	res = hookstest.Call(t, srv, http.MethodPatch, url, tok, map[string]any{"body": "Page 14", "deleted": true})
	require.Equal(t, 400, res.Status, "only the text is edited")
	res = hookstest.Call(t, srv, http.MethodPatch, url, tok, map[string]any{"author_name": "The School"})
	require.Equal(t, 400, res.Status)
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodPatch, url, cast.Tokens[hookstest.Student], map[string]any{"body": "Mine now"}).Status)
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodPost, "/api/messages/"+id+"/delete", cast.Tokens[hookstest.Student], nil).Status)

	rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/messages/"+id+"/delete", tok, nil)
	require.Equal(t, map[int]int{200: 1, 409: 7}, hookstest.Statuses(rs))
	stored, err := app.FindRecordById("messages", id)
	require.NoError(t, err)
	require.True(t, stored.GetBool("deleted"))
	require.Empty(t, stored.GetString("body"))
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodPatch, url, tok, map[string]any{"body": "Back again"}).Status)
}

// TestClosedThread: staff close a thread once, however many ask at once;
// a closed thread takes no message, with a clear refusal.
func TestClosedThread(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	thread := cast.IDs["thread"]
	url := "/api/threads/" + thread + "/close"

	require.Equal(t, 403, hookstest.Call(t, srv, http.MethodPost, url, cast.Tokens[hookstest.Tutor], nil).Status, "only staff close")
	rs := hookstest.Fire(t, srv, 8, http.MethodPost, url, cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, map[int]int{200: 1, 409: 7}, hookstest.Statuses(rs))

	res := hookstest.CallWith(t, srv, http.MethodPost, messagesURL, cast.Tokens[hookstest.Student],
		map[string]any{"thread": thread, "author": cast.Users[hookstest.Student], "body": "Still there?"}, italian)
	require.Equal(t, 409, res.Status, string(res.Body))
	require.Equal(t, "Questa conversazione è chiusa.", fieldMessages(t, res)["thread"])
	res = hookstest.Call(t, srv, http.MethodPatch, messagesURL+"/"+cast.IDs["message"], cast.Tokens[hookstest.Tutor], map[string]any{"body": "Edited late"})
	require.Equal(t, 409, res.Status, "nor an edit")
}

// TestMessageSendRaceWithClose: messages sent while staff close the
// thread either land before the close or are refused: none lands after.
func TestMessageSendRaceWithClose(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	thread := cast.IDs["thread"]
	statuses := make([]int, 9)
	hookstest.Together(9, func(i int) {
		if i == 0 {
			statuses[i] = hookstest.Call(t, srv, http.MethodPost, "/api/threads/"+thread+"/close", cast.Tokens[hookstest.Admin], nil).Status
			return
		}
		statuses[i] = sendMessage(t, srv, cast.Tokens[hookstest.Student], cast.Users[hookstest.Student], thread, "Hello").Status
	})
	require.Equal(t, 200, statuses[0])
	closed, err := app.FindRecordById("threads", thread)
	require.NoError(t, err)
	late := countRecords(t, app, "messages", dbx.And(dbx.HashExp{"thread": thread},
		dbx.NewExp("created > {:at}", dbx.Params{"at": closed.GetString("closed_at")})))
	require.Zero(t, late, "no message after the close")
}

// TestMessageFlood: one author sends at most 20 messages a minute, across
// threads and addresses; the 21st is refused with 429.
func TestMessageFlood(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	for i := range 19 { // the fixture's message is a day old at most: it may count
		res := sendMessage(t, srv, cast.Tokens[hookstest.Student], cast.Users[hookstest.Student], cast.IDs["thread"], "Spam "+string(rune('a'+i)))
		require.Equal(t, 200, res.Status, string(res.Body))
	}
	res := sendMessage(t, srv, cast.Tokens[hookstest.Student], cast.Users[hookstest.Student], cast.IDs["thread"], "One more")
	require.Equal(t, 200, res.Status, "the 20th passes")
	res = hookstest.CallWith(t, srv, http.MethodPost, messagesURL, cast.Tokens[hookstest.Student],
		map[string]any{"thread": cast.IDs["thread"], "author": cast.Users[hookstest.Student], "body": "And another"}, italian)
	require.Equal(t, 429, res.Status, string(res.Body))
	require.Equal(t, "Stai inviando troppi messaggi: aspetta un minuto e riprova.", fieldMessages(t, res)["body"])
	require.Equal(t, 200, sendMessage(t, srv, cast.Tokens[hookstest.Tutor], cast.Users[hookstest.Tutor], cast.IDs["thread"], "Calm down").Status,
		"the other party still writes")
}

// TestMessageNeedsText: an empty message (spaces, invisible characters)
// is refused.
func TestMessageNeedsText(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	res := sendMessage(t, srv, cast.Tokens[hookstest.Student], cast.Users[hookstest.Student], cast.IDs["thread"], " \u200b\n ")
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, fieldMessages(t, res), "body")
}

// threadsWith makes n threads of the student with new people (as the
// server does, without the routes' checks) and returns their ids.
func threadsWith(t *testing.T, app core.App, n int) []string {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId("threads")
	require.NoError(t, err)
	out := make([]string, n)
	for i := range n {
		other := addPerson(t, app, "person"+strconv.Itoa(i)+"@test.localhost", "Person "+strconv.Itoa(i), "tutor")
		r := core.NewRecord(col)
		r.Load(map[string]any{"kind": "direct", "participants": []string{cast.Users[hookstest.Student], other.id}, "status": "open"})
		require.NoError(t, app.Save(r))
		out[i] = r.Id
	}
	return out
}

// TestMessageFanoutRule: a person who writes to ten threads within ten
// minutes raises a message_fanout flag with the threads as evidence; a
// busy conversation with a few people stays quiet.
func TestMessageFanoutRule(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	tok, me := cast.Tokens[hookstest.Student], cast.Users[hookstest.Student]
	threads := threadsWith(t, app, 10)

	for i := range 15 { // normal use: a long conversation in two threads
		require.Equal(t, 200, sendMessage(t, srv, tok, me, []string{cast.IDs["thread"], threads[0]}[i%2], "Talking "+strconv.Itoa(i)).Status)
	}
	require.Empty(t, openFlags(t, app, "message_fanout"), "a conversation is not a broadcast")
	_, err := app.DB().NewQuery("DELETE FROM messages WHERE author = {:a}").Bind(dbx.Params{"a": me}).Execute()
	require.NoError(t, err)

	for _, th := range threads[:9] {
		require.Equal(t, 200, sendMessage(t, srv, tok, me, th, "Cheap lessons at my place!").Status)
	}
	require.Empty(t, openFlags(t, app, "message_fanout"), "nine people: below the threshold")
	require.Equal(t, 200, sendMessage(t, srv, tok, me, threads[9], "Cheap lessons at my place!").Status)
	flags := openFlags(t, app, "message_fanout")
	require.Len(t, flags, 1)
	require.Equal(t, me, flags[0].GetString("user"))
	require.Contains(t, flags[0].GetString("evidence"), `"count":10`)
	require.Contains(t, flags[0].GetString("evidence"), threads[9])
}
