package hooks_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// seqToken is the unsubscribe token of the sequence message person got
// (its link is in the notification's email text).
func seqToken(t *testing.T, app core.App, person string) string {
	t.Helper()
	n, err := app.FindFirstRecordByFilter("notifications", "user = {:u} && kind = 'sequence'", dbx.Params{"u": person})
	require.NoError(t, err)
	m := unsubscribeLink.FindStringSubmatch(n.GetString("html"))
	require.NotNil(t, m, n.GetString("html"))
	tok, err := url.QueryUnescape(m[1])
	require.NoError(t, err)
	return tok
}

// TestSequenceSendsThatFail: a send whose notification or record cannot
// be written is reported by the job and leaves nothing (no message
// without its send, no send without its message); the next run sends it.
// The job reports a database it cannot read.
func TestSequenceSendsThatFail(t *testing.T) {
	t.Parallel()
	app, srv := seqWorld(t)
	f := injectFaults(app)
	now := cast.Now().UTC()
	p := seqPerson(t, app, "seq-fail-1", "student", "en", now.Add(-time.Hour))
	turnOn(t, srv, "welcome")
	svc := hookstest.ServicesOf(app).Sequences
	for _, broken := range []string{"notifications", "sequence_sends"} {
		f.Break(broken, "create")
		require.Error(t, svc.Run(app, now), broken)
		f.Mend()
		require.Empty(t, sentTo(t, app, "welcome"), broken)
		require.Zero(t, countOf(t, app, "notifications", dbx.HashExp{"user": p, "kind": "sequence"}), broken)
	}
	// words stored without every language (an import) are reported, and
	// nothing is sent with them
	_, err := app.DB().Update("sequences", dbx.Params{"texts": `{"en":{"title":"Hi","body":"Welcome"}}`}, dbx.HashExp{"id": seqIDs["welcome"]}).Execute()
	require.NoError(t, err)
	require.Error(t, svc.Run(app, now))
	require.Empty(t, sentTo(t, app, "welcome"))
	_, err = app.DB().Update("sequences", dbx.Params{"texts": `{"en":{"title":"Hi","body":"Welcome"},"it":{"title":"Ciao","body":"Benvenuto"}}`}, dbx.HashExp{"id": seqIDs["welcome"]}).Execute()
	require.NoError(t, err)
	runSequences(t, app, now)
	require.Equal(t, []string{p}, sentTo(t, app, "welcome"))

	down := cast.Clone(t)
	defer down.Cleanup()
	hookstest.Tampered(down) // nothing to check at cleanup: the database is closed
	for _, db := range []dbx.Builder{down.ConcurrentDB(), down.NonconcurrentDB()} {
		require.NoError(t, db.(*dbx.DB).Close())
	}
	require.Error(t, hookstest.ServicesOf(down).Sequences.Run(down, now))
}

// TestSequenceLinksOfWhatIsGone: an unsubscribe body that is not an
// object is refused; an unsubscribe that cannot be written is refused
// without the internal error and leaves the person subscribed; the link
// of a person or a sequence since deleted is refused like a forged one.
func TestSequenceLinksOfWhatIsGone(t *testing.T) {
	t.Parallel()
	app, srv := seqWorld(t)
	f := injectFaults(app)
	now := cast.Now().UTC()
	a := seqPerson(t, app, "seq-gone-a", "student", "en", now.Add(-time.Hour))
	b := seqPerson(t, app, "seq-gone-b", "student", "en", now.Add(-time.Hour))
	turnOn(t, srv, "welcome")
	runSequences(t, app, now)
	tokA, tokB := seqToken(t, app, a), seqToken(t, app, b)
	unsubscribe := func(body any) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/sequences/unsubscribe", "", body)
	}
	state := func(tok string) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodGet, "/api/sequences/unsubscribe?token="+url.QueryEscape(tok), "", nil)
	}

	require.Equal(t, 400, unsubscribe([]string{tokA}).Status)
	f.Break("sequence_optouts", "create")
	refusedSafely(t, unsubscribe(map[string]any{"token": tokA}))
	f.Mend()
	require.Zero(t, countOf(t, app, "sequence_optouts", dbx.HashExp{"person": a}))
	require.Equal(t, 200, state(tokA).Status)

	_, err := app.DB().NewQuery("CREATE TRIGGER stuck BEFORE UPDATE ON sequence_sends BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END").Execute()
	require.NoError(t, err)
	open := hookstest.Call(t, srv, http.MethodGet, "/api/sequences/open?token="+url.QueryEscape(tokB), "", nil)
	require.Equal(t, 200, open.Status, "the image is shown even when the open cannot be counted")
	require.Equal(t, "GIF89a", string(open.Body[:6]))
	_, err = app.DB().NewQuery("DROP TRIGGER stuck").Execute()
	require.NoError(t, err)
	sent, err := app.FindFirstRecordByFilter("sequence_sends", "person = {:p}", dbx.Params{"p": b})
	require.NoError(t, err)
	require.Empty(t, sent.GetString("opened_at"), "not counted opened")

	u, err := app.FindRecordById("users", a)
	require.NoError(t, err)
	require.NoError(t, app.Delete(u))
	require.Equal(t, 400, state(tokA).Status, "the person is gone")
	seq, err := app.FindRecordById("sequences", seqIDs["welcome"])
	require.NoError(t, err)
	require.NoError(t, app.Delete(seq))
	require.Equal(t, 400, state(tokB).Status, "the sequence is gone")
}
