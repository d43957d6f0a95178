package hooks_test

import (
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// TestUnreadMessagesAreTold: the job tells a thread's reader about a
// message of someone else they have not read for ten minutes, once
// however many runs go at once, never its author; another message within
// the hour waits, and is told after it; a message read in time is never
// told.
func TestUnreadMessagesAreTold(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	svc := hookstest.ServicesOf(app).Messages
	thread, student, tutor := cast.IDs["thread"], cast.Users[hookstest.Student], cast.Users[hookstest.Tutor]
	base := cast.Now().UTC().Truncate(time.Second)
	at := func(d time.Duration) string { return platform.DBTime(base.Add(d)) }
	exec := func(q string, p dbx.Params) {
		t.Helper()
		_, err := app.DB().NewQuery(q).Bind(p).Execute()
		require.NoError(t, err)
	}
	// the thread's message (the tutor's) was written at base-30m; Stella
	// last read the thread two hours before
	exec("UPDATE messages SET created = {:c} WHERE thread = {:t}", dbx.Params{"c": at(-30 * time.Minute), "t": thread})
	exec("UPDATE threads SET last_message_at = {:c} WHERE id = {:t}", dbx.Params{"c": at(-30 * time.Minute), "t": thread})
	exec("UPDATE thread_reads SET last_read = {:c}, notified_at = '' WHERE thread = {:t}", dbx.Params{"c": at(-2 * time.Hour), "t": thread})
	// Stella's guardian reads the thread too, and never opened it
	gina := addPerson(t, app, "gina@test.localhost", "Gina Guardian", "guardian")
	saveRecord(t, app, "guardians", map[string]any{"student": student, "guardian": gina.id, "status": "accepted"})
	told := func(user string) int64 {
		return countOf(t, app, "notifications", dbx.HashExp{"user": user, "kind": "message_unread"})
	}

	require.NoError(t, svc.NotifyUnread(app, base.Add(-25*time.Minute)))
	require.Zero(t, told(student), "unread for five minutes only")
	hookstest.Together(4, func(int) { require.NoError(t, svc.NotifyUnread(app, base)) })
	require.EqualValues(t, 1, told(student), "told once, however many runs at once")
	require.EqualValues(t, 1, told(gina.id), "the student's guardian too")
	require.Zero(t, told(tutor), "nobody is told of their own message")
	n, err := app.FindFirstRecordByFilter("notifications", "user = {:u} && kind = 'message_unread'", dbx.Params{"u": student})
	require.NoError(t, err)
	require.Contains(t, n.GetString("body")+n.GetString("title"), "Tina Tutor")

	msgs, err := app.FindCachedCollectionByNameOrId("messages")
	require.NoError(t, err)
	m := core.NewRecord(msgs)
	m.Load(map[string]any{"thread": thread, "author": tutor, "body": "And the red pen"})
	require.NoError(t, app.Save(m))
	exec("UPDATE messages SET created = {:c} WHERE id = {:id}", dbx.Params{"c": at(5 * time.Minute), "id": m.Id})
	exec("UPDATE threads SET last_message_at = {:c} WHERE id = {:t}", dbx.Params{"c": at(5 * time.Minute), "t": thread})
	require.NoError(t, svc.NotifyUnread(app, base.Add(20*time.Minute)))
	require.EqualValues(t, 1, told(student), "within the hour: not told again")
	require.NoError(t, svc.NotifyUnread(app, base.Add(70*time.Minute)))
	require.EqualValues(t, 2, told(student), "after the hour: told of the new message")
	require.NoError(t, svc.NotifyUnread(app, base.Add(140*time.Minute)))
	require.EqualValues(t, 2, told(student), "never twice of the same message")
	require.Zero(t, told(tutor))
}

// TestUnreadTellingThatFails: when one reader's telling cannot be
// written the job goes on with the others, and tells the first on a
// later run.
func TestUnreadTellingThatFails(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	f := injectFaults(app)
	svc := hookstest.ServicesOf(app).Messages
	thread, student := cast.IDs["thread"], cast.Users[hookstest.Student]
	base := cast.Now().UTC().Truncate(time.Second)
	for _, q := range []string{"UPDATE messages SET created = {:c} WHERE thread = {:t}", "UPDATE threads SET last_message_at = {:c} WHERE id = {:t}"} {
		_, err := app.DB().NewQuery(q).Bind(dbx.Params{"c": platform.DBTime(base.Add(-30 * time.Minute)), "t": thread}).Execute()
		require.NoError(t, err)
	}
	gina := addPerson(t, app, "gina@test.localhost", "Gina Guardian", "guardian")
	saveRecord(t, app, "guardians", map[string]any{"student": student, "guardian": gina.id, "status": "accepted"})
	told := func(user string) int64 {
		return countOf(t, app, "notifications", dbx.HashExp{"user": user, "kind": "message_unread"})
	}
	f.Break("thread_reads", "update") // Stella's read state exists; Gina's is made
	require.NoError(t, svc.NotifyUnread(app, base))
	require.Zero(t, told(student))
	require.EqualValues(t, 1, told(gina.id))
	f.Mend()
	require.NoError(t, svc.NotifyUnread(app, base.Add(time.Minute)))
	require.EqualValues(t, 1, told(student))
	require.EqualValues(t, 1, told(gina.id))
}
