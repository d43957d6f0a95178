package hooks_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/credits"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// Each trigger finds exactly the people it names, at the cast's clock:
// one person per trigger due, and beside each one just outside it; a
// sequence that is off sends nothing, and a second run nothing more.
func TestSequenceTriggers(t *testing.T) {
	t.Parallel()
	app, srv := seqWorld(t)
	now := cast.Now().UTC()
	base := now.Truncate(time.Hour)
	d := func(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }
	old := now.Add(-d(400))

	a := seqPerson(t, app, "seq-a", "student", "en", now.Add(-time.Hour))       // welcome
	b := seqPerson(t, app, "seq-b", "student", "it", now.Add(-d(4)))            // welcome, first lesson
	c := seqPerson(t, app, "seq-c", "student", "it", now.Add(-d(4)))            // welcome; has a lesson ahead
	seqPerson(t, app, "seq-old8", "student", "it", now.Add(-d(11)))             // past both windows
	dd := seqPerson(t, app, "seq-d", "student", "it", old)                      // last lesson 35 days ago: win-back
	e := seqPerson(t, app, "seq-e", "student", "it", old)                       // 35 days ago, and one ahead
	f := seqPerson(t, app, "seq-f", "student", "it", old)                       // 70 days ago: past the window
	g := seqPerson(t, app, "seq-g", "student", "it", old)                       // third lesson 2 days ago: review
	h := seqPerson(t, app, "seq-h", "student", "it", old)                       // two lessons only
	i := seqPerson(t, app, "seq-i", "student", "it", old)                       // one lesson a day ago
	p := seqPerson(t, app, "seq-p", "student", "it", old)                       // package expiring in 3 days
	q := seqPerson(t, app, "seq-q", "student", "it", old)                       // package expiring in 30 days
	r := seqPerson(t, app, "seq-r", "student", "it", old)                       // one credit of two left
	held := seqPerson(t, app, "seq-held", "student", "it", now.Add(-time.Hour)) // suspended (or erased): nothing
	_, err := app.DB().NewQuery("UPDATE users SET suspended = TRUE WHERE id = {:u}").Bind(dbx.Params{"u": held}).Execute()
	require.NoError(t, err)
	tt := seqPerson(t, app, "seq-tt", "tutor", "it", old) // lessons without reports
	tu := seqPerson(t, app, "seq-tu", "tutor", "it", old) // a lesson that ended a day ago
	T, U := seqTutor(t, app, tt), seqTutor(t, app, tu)

	seqLesson(t, app, T, c, base.Add(d(2)), "pending")
	seqLesson(t, app, T, dd, base.Add(-d(35)), "completed")
	seqLesson(t, app, T, e, base.Add(-d(35)+2*time.Hour), "completed")
	seqLesson(t, app, T, e, base.Add(d(3)), "confirmed")
	seqLesson(t, app, T, f, base.Add(-d(70)), "completed")
	for _, at := range []time.Duration{-d(20), -d(10), -d(2) - 2*time.Hour} {
		seqLesson(t, app, T, g, base.Add(at), "completed")
	}
	seqLesson(t, app, T, h, base.Add(-d(9)), "completed")
	seqLesson(t, app, T, h, base.Add(-d(8)), "completed")
	seqLesson(t, app, U, i, now.Add(-d(1)-time.Hour), "completed")
	seqPackage(t, app, p, now.Add(d(3)))
	seqPackage(t, app, q, now.Add(d(30)))
	spendOne(t, app, seqPackage(t, app, r, now.Add(d(30))), base.Add(d(5)))

	runSequences(t, app, now)
	n, err := app.CountRecords("sequence_sends")
	require.NoError(t, err)
	require.Zero(t, n, "every sequence is off by default")

	turnOn(t, srv, "welcome", "first_lesson", "win_back", "package_low", "review_request", "report_nudge")
	runSequences(t, app, now)
	want := map[string][]string{
		"welcome": sorted(a, b, c), "first_lesson": sorted(b), "win_back": sorted(dd), "package_low": sorted(p, r),
		"review_request": sorted(g), "report_nudge": sorted(tt),
	}
	for trigger, ids := range want {
		require.Equal(t, ids, sentTo(t, app, trigger), trigger)
	}

	// the message: staff's words in the person's language, in the app and by email
	title := func(user string) string {
		var title string
		require.NoError(t, app.DB().NewQuery("SELECT title FROM notifications WHERE user = {:u} AND kind = 'sequence' AND json_extract(data, '$.trigger') = 'welcome'").
			Bind(dbx.Params{"u": user}).Row(&title))
		return title
	}
	require.Equal(t, "Welcome to the school", title(a))
	require.Equal(t, "Benvenuto nella scuola", title(b))
	emails, err := app.CountRecords("deliveries", dbx.HashExp{"user": a, "channel": "email", "status": "queued"})
	require.NoError(t, err)
	require.EqualValues(t, 1, emails, "sent through the outbox")

	runSequences(t, app, now.Add(15*time.Minute))
	for trigger, ids := range want {
		require.Equal(t, ids, sentTo(t, app, trigger), "again: "+trigger)
	}
	notes, err := app.CountRecords("notifications", dbx.HashExp{"kind": "sequence"})
	require.NoError(t, err)
	require.EqualValues(t, 9, notes, "one notification per send")

	// four days on, A is due for the first-lesson nudge
	runSequences(t, app, now.Add(3*24*time.Hour+2*time.Hour))
	require.Equal(t, sorted(a, b), sentTo(t, app, "first_lesson"))
}

// seqPackage gives student a paid package of two lessons, unused, that
// expires at expires (paid as staff would, with its ledger line).
func seqPackage(t *testing.T, app core.App, student string, expires time.Time) *core.Record {
	t.Helper()
	var bought *core.Record
	col, err := app.FindCachedCollectionByNameOrId("purchases")
	require.NoError(t, err)
	pkg, err := app.FindRecordById("packages", cast.IDs["package"])
	require.NoError(t, err)
	require.NoError(t, app.RunInTransaction(func(tx core.App) error {
		p := core.NewRecord(col)
		p.Load(map[string]any{"student": student, "package": pkg.Id, "tutor": pkg.GetString("tutor"), "lessons": 2, "minutes": 60,
			"list_price": 6000, "amount": 6000, "currency": "EUR", "status": "pending", "provider": "manual"})
		if err := tx.Save(p); err != nil {
			return err
		}
		paid := expires.Add(-time.Duration(pkg.GetInt("valid_days")) * 24 * time.Hour)
		bought = p
		return credits.Fulfil(tx, p, "manual", "", paid)
	}))
	return bought
}

// spendOne books a lesson of purchase p's tutor at start paid with one
// of its credits, as the booking hook would.
func spendOne(t *testing.T, app core.App, p *core.Record, start time.Time) {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId("bookings")
	require.NoError(t, err)
	require.NoError(t, app.RunInTransaction(func(tx core.App) error {
		b := core.NewRecord(col)
		b.Load(map[string]any{"tutor": p.GetString("tutor"), "student": p.GetString("student"), "purchase": p.Id,
			"start": start, "end": start.Add(time.Hour), "status": "confirmed"})
		if err := tx.SaveWithContext(platform.Imported(context.Background()), b); err != nil {
			return err
		}
		return hookstest.ServicesOf(tx).Credits.Spend(tx, b, cast.Now(), false)
	}))
}

// The job run eight times at once sends each person one message.
func TestSequenceOncePerPersonConcurrently(t *testing.T) {
	t.Parallel()
	app, srv := seqWorld(t)
	now := cast.Now().UTC()
	var people []string
	for _, name := range []string{"seq-once-1", "seq-once-2", "seq-once-3"} {
		people = append(people, seqPerson(t, app, name, "student", "it", now.Add(-time.Hour)))
	}
	turnOn(t, srv, "welcome")
	var mu sync.Mutex
	var errs []error
	hookstest.Together(8, func(int) {
		err := hookstest.ServicesOf(app).Sequences.Run(app, now)
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	})
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.Equal(t, sorted(people...), sentTo(t, app, "welcome"))
	for _, p := range people {
		n, err := app.CountRecords("notifications", dbx.HashExp{"user": p, "kind": "sequence"})
		require.NoError(t, err)
		require.EqualValues(t, 1, n, "one message each")
		n, err = app.CountRecords("deliveries", dbx.HashExp{"user": p, "channel": "email"})
		require.NoError(t, err)
		require.EqualValues(t, 1, n, "one email each")
	}
}

// A person who turned follow-ups off by email gets them in the app only;
// one in their quiet hours gets the email when those end.
func TestSequencePreferencesAndQuietHours(t *testing.T) {
	t.Parallel()
	app, srv := seqWorld(t)
	now := cast.Now().UTC()
	noEmail := seqPerson(t, app, "seq-noemail", "student", "it", now.Add(-time.Hour))
	quiet := seqPerson(t, app, "seq-quiet", "student", "it", now.Add(-time.Hour))
	plain := seqPerson(t, app, "seq-plain", "student", "it", now.Add(-time.Hour))
	rome, err := time.LoadLocation("Europe/Rome")
	require.NoError(t, err)
	local := now.In(rome)
	_, err = app.DB().NewQuery(`UPDATE users SET notify = '{"sequence":{"email":false}}' WHERE id = {:u}`).Bind(dbx.Params{"u": noEmail}).Execute()
	require.NoError(t, err)
	_, err = app.DB().NewQuery(`UPDATE users SET timezone = 'Europe/Rome', quiet_start = {:s}, quiet_end = {:e} WHERE id = {:u}`).
		Bind(dbx.Params{"s": local.Add(-time.Hour).Format("15:04"), "e": local.Add(3 * time.Hour).Format("15:04"), "u": quiet}).Execute()
	require.NoError(t, err)
	turnOn(t, srv, "welcome")
	runSequences(t, app, now)
	require.Equal(t, sorted(noEmail, quiet, plain), sentTo(t, app, "welcome"))

	email := func(user string) []*core.Record {
		list, err := app.FindAllRecords("deliveries", dbx.HashExp{"user": user, "channel": "email"})
		require.NoError(t, err)
		return list
	}
	require.Empty(t, email(noEmail), "email turned off for follow-ups")
	n, err := app.CountRecords("notifications", dbx.HashExp{"user": noEmail, "kind": "sequence"})
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "the app still shows it")
	q := email(quiet)
	require.Len(t, q, 1)
	require.True(t, q[0].GetDateTime("next_attempt").Time().After(now.Add(2*time.Hour)), "held until the quiet hours end: %s", q[0].GetString("next_attempt"))
	pl := email(plain)
	require.Len(t, pl, 1)
	require.False(t, pl[0].GetDateTime("next_attempt").Time().After(now), "sent at once")
}
