package hooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestMessageEditsTouchOnlyText: an author's edit changes the text only
// (not the files) and never empties a message; staff fixing a message's
// other fields do not stamp it edited, and cannot empty it either.
func TestMessageEditsTouchOnlyText(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	tok := cast.Tokens[hookstest.Tutor]
	res := sendMessage(t, srv, tok, cast.Users[hookstest.Tutor], cast.IDs["thread"], "Page 12")
	require.Equal(t, 200, res.Status, string(res.Body))
	url := messagesURL + "/" + res.JSON()["id"].(string)
	body := func() string { return reloaded(t, app, "messages", res.JSON()["id"].(string)).GetString("body") }

	refused(t, hookstest.Call(t, srv, http.MethodPatch, url, tok, map[string]any{"body": "Page 13", "attachments": []string{}}), 400, "attachments", "read_only")
	refused(t, hookstest.Call(t, srv, http.MethodPatch, url, tok, map[string]any{"body": " \u200b\r\n "}), 400, "body", "validation_required")
	require.Equal(t, "Page 12", body())

	su := cast.Tokens[hookstest.Superuser]
	fixed := hookstest.Call(t, srv, http.MethodPatch, url, su, map[string]any{"author_name": "Tina T."})
	require.Equal(t, 200, fixed.Status, string(fixed.Body))
	require.Equal(t, "Tina T.", fixed.JSON()["author_name"])
	require.Empty(t, fixed.JSON()["edited"], "not an edit of the text")
	refused(t, hookstest.Call(t, srv, http.MethodPatch, url, su, map[string]any{"body": " \t "}), 400, "body", "validation_required")
	require.Equal(t, "Page 12", body())
}

// TestThreadRoutesOfNoSuchThread: the thread routes answer 404 for a
// thread or lesson that does not exist, and for a person that does not
// exist a new thread is refused on the field; staff read any thread.
func TestThreadRoutesOfNoSuchThread(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	admin := cast.Tokens[hookstest.Admin]
	for _, path := range []string{"/api/threads/nosuchthread00/read", "/api/threads/nosuchthread00/close", "/api/bookings/nosuchbooking0/thread"} {
		require.Equal(t, 404, hookstest.Call(t, srv, http.MethodPost, path, admin, nil).Status, path)
	}
	before := countOf(t, app, "threads")
	refused(t, hookstest.Call(t, srv, http.MethodPost, "/api/threads", cast.Tokens[hookstest.Student], map[string]any{"to": "nosuchperson00"}), 400, "to", "validation_required")
	require.Equal(t, before, countOf(t, app, "threads"), "no thread made")
	res := hookstest.Call(t, srv, http.MethodPost, "/api/threads/"+cast.IDs["thread"]+"/read", admin, nil)
	require.Equal(t, 200, res.Status, "staff read any thread: %s", res.Body)
}

// TestReadStateNeverMovesBack: reading a thread moves its read state
// forward only (a read state already later, from another device, stays).
func TestReadStateNeverMovesBack(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	later := platform.DBTime(cast.Now().Add(48 * time.Hour))
	_, err := app.DB().Update("thread_reads", dbx.Params{"last_read": later},
		dbx.HashExp{"thread": cast.IDs["thread"], "user": cast.Users[hookstest.Student]}).Execute()
	require.NoError(t, err)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/threads/"+cast.IDs["thread"]+"/read", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	r, err := app.FindFirstRecordByFilter("thread_reads", "thread = {:t} && user = {:u}", dbx.Params{"t": cast.IDs["thread"], "u": cast.Users[hookstest.Student]})
	require.NoError(t, err)
	require.Equal(t, later, platform.DBTime(r.GetDateTime("last_read").Time()))
}

// TestThreadWritesThatFail: a message whose thread cannot be moved on,
// a read state that cannot be written and a guardian link whose threads
// cannot take the new reader are refused, without the internal error,
// and change nothing; a message too long is refused on its field.
func TestThreadWritesThatFail(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	f := injectFaults(app)
	thread, tutor := cast.IDs["thread"], cast.Users[hookstest.Tutor]
	messages := countOf(t, app, "messages")

	refused(t, sendMessage(t, srv, cast.Tokens[hookstest.Tutor], tutor, thread, strings.Repeat("a", 4001)), 400, "body", "validation_max_text_constraint")
	f.Break("threads", "update")
	refusedSafely(t, sendMessage(t, srv, cast.Tokens[hookstest.Tutor], tutor, thread, "Page 12"))
	require.Equal(t, messages, countOf(t, app, "messages"))

	gino := addPerson(t, app, "gino@test.localhost", "Gino Guardian", "guardian")
	refusedSafely(t, hookstest.Call(t, srv, http.MethodPost, "/api/guardians/link", cast.Tokens[hookstest.Admin],
		map[string]any{"student": cast.Users[hookstest.Student], "guardian": gino.id}))
	require.Zero(t, countOf(t, app, "guardians", dbx.HashExp{"guardian": gino.id}))
	require.NotContains(t, reloaded(t, app, "threads", thread).GetStringSlice("readers"), gino.id)
	f.Mend()

	read := func() string {
		r, err := app.FindFirstRecordByFilter("thread_reads", "thread = {:t} && user = {:u}", dbx.Params{"t": thread, "u": cast.Users[hookstest.Student]})
		require.NoError(t, err)
		return r.GetString("last_read")
	}
	before := read()
	f.Break("thread_reads", "update")
	refusedSafely(t, hookstest.Call(t, srv, http.MethodPost, "/api/threads/"+thread+"/read", cast.Tokens[hookstest.Student], nil))
	require.Equal(t, before, read())
}

// TestDeletedThreadTellsNoOne: when staff delete a thread, its messages
// go with it, and no one is told of them on the live topic.
func TestDeletedThreadTellsNoOne(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	live := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Student], "my/messages")
	res := hookstest.Call(t, srv, http.MethodDelete, "/api/collections/threads/records/"+cast.IDs["thread"], cast.Tokens[hookstest.Superuser], nil)
	require.Equal(t, 204, res.Status, string(res.Body))
	require.Zero(t, countOf(t, app, "messages", dbx.HashExp{"thread": cast.IDs["thread"]}), "the messages went with it")
	ev, ok := live.Next(time.Second)
	require.False(t, ok, "told of a message of a thread gone: %+v", ev)
}
