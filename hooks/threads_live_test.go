package hooks_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/config"
	"tutorbase/testkit/mailpittest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// TestMessagesRealtime: a message reaches, live, the people who take
// part in its thread (the student's guardian too); a non-participant
// subscribed to the whole collection (another student, another tutor,
// staff the thread was not reported to) receives nothing.
func TestMessagesRealtime(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()
	student := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Student], "messages/*")
	guardian := hookstest.Subscribe(t, srv, gina.token, "messages/*", "threads/*")
	others := []*hookstest.SSE{
		hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Student2], "messages/*", "threads/*"),
		hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Tutor2], "messages/*", "threads/*"),
		hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Admin], "messages/*", "threads/*"),
	}

	res := sendMessage(t, srv, cast.Tokens[hookstest.Tutor], cast.Users[hookstest.Tutor], cast.IDs["thread"], "See you on Monday")
	require.Equal(t, 200, res.Status, string(res.Body))
	ev, ok := student.Until("messages/*", 5*time.Second)
	require.True(t, ok, "the student hears the message live")
	require.Equal(t, "create", ev.Data["action"])
	require.Equal(t, "See you on Monday", ev.Data["record"].(map[string]any)["body"])
	heard := map[string]bool{}
	for len(heard) < 2 {
		ev, ok := guardian.Next(5 * time.Second)
		require.True(t, ok, "the guardian hears the message and the thread moving up their list (heard %v)", heard)
		heard[ev.Name] = true
	}
	require.Equal(t, map[string]bool{"messages/*": true, "threads/*": true}, heard)

	id := res.JSON()["id"].(string)
	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodPost, "/api/messages/"+id+"/delete", cast.Tokens[hookstest.Tutor], nil).Status)
	ev, ok = student.Until("messages/*", 5*time.Second)
	require.True(t, ok, "a deletion is heard too")
	require.Equal(t, true, ev.Data["record"].(map[string]any)["deleted"])

	for i, sub := range others {
		_, ok := sub.Next(300 * time.Millisecond)
		require.False(t, ok, "non-participant %d hears nothing", i)
	}
}

// TestUnreadCounts: the messages of others after one's read state are
// unread, per thread and in all, for the participants and the student's
// guardian; reading a thread clears its count, and eight reads at once
// leave one read state.
func TestUnreadCounts(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	unread := func(token string) map[string]any {
		res := hookstest.Call(t, srv, http.MethodGet, "/api/threads/unread", token, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		return res.JSON()
	}
	thread := cast.IDs["thread"]
	require.EqualValues(t, 1, unread(cast.Tokens[hookstest.Student])["total"], "the fixture's message")
	for _, body := range []string{"One", "Two"} {
		require.Equal(t, 200, sendMessage(t, srv, cast.Tokens[hookstest.Tutor], cast.Users[hookstest.Tutor], thread, body).Status)
	}
	got := unread(cast.Tokens[hookstest.Student])
	require.EqualValues(t, 3, got["total"])
	require.EqualValues(t, 3, got["threads"].(map[string]any)[thread])
	require.EqualValues(t, 3, unread(gina.token)["total"], "the guardian reads the student's threads")
	require.EqualValues(t, 0, unread(cast.Tokens[hookstest.Tutor])["total"], "one's own messages are read")
	require.EqualValues(t, 0, unread(cast.Tokens[hookstest.Student2])["total"])

	rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/threads/"+thread+"/read", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, map[int]int{200: 8}, hookstest.Statuses(rs))
	require.Equal(t, 1, countRecords(t, app, "thread_reads", dbx.HashExp{"thread": thread, "user": cast.Users[hookstest.Student]}))
	require.EqualValues(t, 0, unread(cast.Tokens[hookstest.Student])["total"])
	require.EqualValues(t, 3, unread(gina.token)["total"], "each reader has their own read state")
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodPost, "/api/threads/"+thread+"/read", cast.Tokens[hookstest.Student2], nil).Status)
}

// TestThreadReport: someone who takes part reports a thread, once; staff,
// who could not read it before, are told and read it, and may close it.
func TestThreadReport(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	thread := cast.IDs["thread"]
	threadURL := "/api/collections/threads/records/" + thread
	admin := cast.Tokens[hookstest.Admin]
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodGet, threadURL, admin, nil).Status, "staff do not read others' conversations")
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodPost, "/api/threads/"+thread+"/report", cast.Tokens[hookstest.Student2], nil).Status)

	rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/threads/"+thread+"/report", cast.Tokens[hookstest.Student], map[string]any{"reason": "Rude\nmessages"})
	require.Equal(t, map[int]int{200: 1, 409: 7}, hookstest.Statuses(rs))
	res := hookstest.Call(t, srv, http.MethodGet, threadURL, admin, nil)
	require.Equal(t, 200, res.Status, "a reported thread is read by staff")
	require.Equal(t, "Rude messages", res.JSON()["report_reason"])
	require.Equal(t, 1, listCount(t, srv, "messages", admin), "with its messages")
	require.Equal(t, 1, countRecords(t, app, "notifications", dbx.HashExp{"user": cast.Users[hookstest.Admin], "kind": "thread_reported"}))
}

// TestContactHygiene: a tutor and a student who write to each other read
// each other's name, never their email or phone: not in the thread, not
// in its messages, not by expanding them, not in the users API.
func TestContactHygiene(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	phones := map[string]string{hookstest.Student: "+393331111111", hookstest.Tutor: "+393332222222"}
	for role, phone := range phones {
		u, err := app.FindRecordById("users", cast.Users[role])
		require.NoError(t, err)
		u.Set("phone", phone)
		require.NoError(t, app.Save(u))
	}
	res := hookstest.Call(t, srv, http.MethodPost, "/api/threads", cast.Tokens[hookstest.Tutor], map[string]any{"to": cast.Users[hookstest.Student]})
	require.Equal(t, 200, res.Status, string(res.Body))
	thread := res.JSON()["id"].(string)
	require.Equal(t, 200, sendMessage(t, srv, cast.Tokens[hookstest.Tutor], cast.Users[hookstest.Tutor], thread, "Hello").Status)
	require.Equal(t, 200, sendMessage(t, srv, cast.Tokens[hookstest.Student], cast.Users[hookstest.Student], thread, "Hi").Status)

	pairs := [][2]string{{hookstest.Tutor, hookstest.Student}, {hookstest.Student, hookstest.Tutor}}
	for _, p := range pairs {
		reader, other := p[0], p[1]
		token := cast.Tokens[reader]
		for _, url := range []string{
			"/api/collections/threads/records/" + thread + "?expand=participants,student,created_by",
			"/api/collections/messages/records?expand=author,thread.participants",
			"/api/collections/threads/records?expand=participants",
		} {
			res := hookstest.Call(t, srv, http.MethodGet, url, token, nil)
			require.Equal(t, 200, res.Status, string(res.Body))
			body := string(res.Body)
			require.NotContains(t, body, cast.Emails[other], "%s reads %s", reader, url)
			require.NotContains(t, body, phones[other][1:])
		}
		require.Equal(t, 404, hookstest.Call(t, srv, http.MethodGet, "/api/collections/users/records/"+cast.Users[other], token, nil).Status)
		res := hookstest.Call(t, srv, http.MethodGet, "/api/collections/threads/records/"+thread, token, nil)
		require.Contains(t, string(res.Body), map[string]string{hookstest.Student: "Stella Student", hookstest.Tutor: "Tina Tutor"}[other],
			"the other's name is shown")
	}
}

// sentAt checks that a message was sent and moves its sending to at on
// the test's timeline (PocketBase stamps created with the wall clock; the
// unread job compares it with the times the test runs the job at).
func sentAt(t *testing.T, app core.App, res hookstest.Response, at time.Time) {
	t.Helper()
	require.Equal(t, 200, res.Status, string(res.Body))
	_, err := app.DB().NewQuery("UPDATE messages SET created = {:at} WHERE id = {:id}").
		Bind(dbx.Params{"at": at.UTC().Format("2006-01-02 15:04:05.000Z"), "id": res.JSON()["id"]}).Execute()
	require.NoError(t, err)
}

// TestUnreadNotification: a message unread for ten minutes is told to
// the reader (in-app, and email after their quiet hours), once however
// many runs at once, not again within the hour, never to its author; the
// email names no one's address and its replies go to the school's
// no-reply sender, or to the inbound address the school set.
func TestUnreadNotification(t *testing.T) {
	t.Parallel()
	mp := mailpittest.Start(t, config.RequireTestTools())
	app := cast.Clone(t)
	defer app.Cleanup()
	useMailpit(t, app, mp)
	clearDeliveries(t, app)
	srv := hookstest.Serve(t, app)
	svc := hookstest.ServicesOf(app)
	thread, student := cast.IDs["thread"], cast.Users[hookstest.Student]
	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodPost, "/api/threads/"+thread+"/read", cast.Tokens[hookstest.Student], nil).Status)
	require.Equal(t, 200, sendMessage(t, srv, cast.Tokens[hookstest.Tutor], cast.Users[hookstest.Tutor], thread, "Did you do page 12?").Status)
	told := func(user string) int {
		return countRecords(t, app, "notifications", dbx.HashExp{"user": user, "kind": "message_unread"})
	}

	require.NoError(t, svc.Messages.NotifyUnread(app, time.Now().Add(9*time.Minute)))
	require.Zero(t, told(student), "not before ten minutes")

	later := time.Now().Add(11 * time.Minute)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); require.NoError(t, svc.Messages.NotifyUnread(app, later)) }()
	}
	wg.Wait()
	require.Equal(t, 1, told(student), "eight runs at once tell once")
	require.Zero(t, told(cast.Users[hookstest.Tutor]), "the author is not told of their own message")

	sentAt(t, app, sendMessage(t, srv, cast.Tokens[hookstest.Tutor], cast.Users[hookstest.Tutor], thread, "Hello?"), later.Add(time.Minute))
	require.NoError(t, svc.Messages.NotifyUnread(app, later.Add(30*time.Minute)))
	require.Equal(t, 1, told(student), "once an hour per thread at most")
	require.NoError(t, svc.Messages.NotifyUnread(app, later.Add(61*time.Minute)))
	require.Equal(t, 2, told(student), "a new unread message an hour later is told")

	ctx := context.Background()
	require.NoError(t, mp.DeleteAll(ctx))
	require.NoError(t, svc.Notifications.DispatchDeliveries(app, later.Add(62*time.Minute)))
	list, err := mp.WaitMessages(ctx, 2)
	require.NoError(t, err)
	for _, s := range list {
		m, err := mp.Message(ctx, s.ID)
		require.NoError(t, err)
		require.Equal(t, cast.Emails[hookstest.Student], m.To[0].Address)
		require.Contains(t, m.Text, "Tina Tutor")
		require.NotContains(t, m.Text, cast.Emails[hookstest.Tutor], "the tutor's address is not in it")
		h, err := mp.Headers(ctx, s.ID)
		require.NoError(t, err)
		require.Equal(t, []string{"<school@test.localhost>"}, h["Reply-To"], "replies go to the no-reply sender")
	}

	t.Run("an inbound address the school set takes the replies", func(t *testing.T) {
		setSchool(t, app, map[string]any{"reply_to_email": "inbox@school.test.localhost"})
		require.NoError(t, mp.DeleteAll(ctx))
		sentAt(t, app, sendMessage(t, srv, cast.Tokens[hookstest.Tutor], cast.Users[hookstest.Tutor], thread, "Reply please"), later.Add(2*time.Hour))
		require.NoError(t, svc.Messages.NotifyUnread(app, later.Add(3*time.Hour)))
		require.NoError(t, svc.Notifications.DispatchDeliveries(app, later.Add(3*time.Hour)))
		list, err := mp.WaitMessages(ctx, 1)
		require.NoError(t, err)
		h, err := mp.Headers(ctx, list[0].ID)
		require.NoError(t, err)
		require.Equal(t, []string{"<inbox@school.test.localhost>"}, h["Reply-To"])
	})

	t.Run("quiet hours hold the email back", func(t *testing.T) {
		u, err := app.FindRecordById("users", cast.Users[hookstest.Tutor])
		require.NoError(t, err)
		// the outbox places the email by the app's clock, when the job runs
		// (here: now); the job looks for messages unread since ten minutes before at
		quiet, at := time.Now().In(rome), time.Now().Add(11*time.Minute)
		u.Set("quiet_start", quiet.Add(-time.Hour).Format("15:04"))
		u.Set("quiet_end", quiet.Add(time.Hour).Format("15:04"))
		require.NoError(t, app.Save(u))
		require.Equal(t, 200, sendMessage(t, srv, cast.Tokens[hookstest.Student], student, thread, "Yes, done").Status)
		require.NoError(t, svc.Messages.NotifyUnread(app, at))
		d := deliveriesOf(t, app, dbx.HashExp{"user": u.Id, "channel": "email"})
		require.Len(t, d, 1)
		require.Equal(t, quiet.Add(time.Hour).Format("15:04"), d[0].GetDateTime("next_attempt").Time().In(rome).Format("15:04"))
	})
}
