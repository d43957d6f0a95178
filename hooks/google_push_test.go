package hooks_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/google"
	"tutorbase/jobs"
	"tutorbase/testkit/fakegoogle"

	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// googlePushApp is googleApp with push on: GOOGLE_PUSH_URL is the test
// server's own address, where the fake Google posts its pushes.
func googlePushApp(t *testing.T) (*tests.TestApp, *httptest.Server, *fakegoogle.Server) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	fake := fakegoogle.Start(t)
	fake.SetClock(cast.Now)
	cfg := hookstest.Config
	cfg.Google.ClientID, cfg.Google.ClientSecret = fakegoogle.ClientID, fakegoogle.ClientSecret
	cfg.Google.OAuthBase, cfg.Google.APIBase, cfg.Google.TokenKey = fake.URL, fake.URL, googleKey
	cfg.Google.PushURL = "http://" + ln.Addr().String()
	app := cast.CloneWith(t, cfg)
	t.Cleanup(app.Cleanup)
	hookstest.NoRateLimits(app)
	return app, hookstest.ServeOn(t, app, ln), fake
}

// onlyChannel is the one open channel of the fake.
func onlyChannel(t *testing.T, fake *fakegoogle.Server) fakegoogle.Channel {
	t.Helper()
	chans := fake.Channels()
	require.Len(t, chans, 1)
	for _, c := range chans {
		return c
	}
	return fakegoogle.Channel{}
}

// TestGooglePushMovesAndFreesSlots: with push on, connecting opens an
// events.watch channel on the chosen calendar; an event moved in Google
// moves the blocked hour at once (the push, then the changes since the
// sync token, then freeBusy), one deleted frees it; a poll with no change
// reads no busy times; the channel is renewed a day before it expires,
// follows the choice of calendars and is stopped on disconnect.
func TestGooglePushMovesAndFreesSlots(t *testing.T) {
	t.Parallel()
	app, srv, fake := googlePushApp(t)
	email := tutor2Calendars(fake)
	connectGoogle(t, srv, fake, hookstest.Tutor2)
	ch := onlyChannel(t, fake)
	require.Equal(t, email, ch.Calendar)
	require.Equal(t, srv.URL+google.PushPath, ch.Address)
	require.False(t, tutor2Free(t, srv, 5, 10))

	fake.SetBusy(email, fakegoogle.Busy{Start: romeTime(5, 12, 0), End: romeTime(5, 13, 0)}) // moved: pushed
	require.True(t, tutor2Free(t, srv, 5, 10), "the moved event frees 10:00 at once")
	require.False(t, tutor2Free(t, srv, 5, 12), "and blocks 12:00")
	fake.SetBusy(email) // deleted
	require.True(t, tutor2Free(t, srv, 5, 12), "the deleted event frees 12:00")

	// the poll: no change since the sync token, so no freeBusy
	reads := fake.Calls("POST /calendar/v3/freeBusy")
	job := func(after time.Duration) {
		require.NoError(t, jobs.SyncGoogle(hookstest.ServicesOf(app), app, cast.Now().Add(after)))
	}
	job(google.BusyEvery)
	require.Equal(t, reads, fake.Calls("POST /calendar/v3/freeBusy"), "nothing changed: busy times not read again")

	// renewed a day before it expires: a new channel, the old one stopped
	job(6*24*time.Hour + time.Hour)
	renewed := onlyChannel(t, fake)
	require.NotEqual(t, ch.ID, renewed.ID)
	require.True(t, renewed.Expires.After(ch.Expires))

	// the channel follows the chosen calendars
	res := hookstest.Call(t, srv, http.MethodPost, "/api/google/calendars", cast.Tokens[hookstest.Tutor2],
		map[string]any{"lessons": "primary", "busy": []string{"family@group.calendar.google.com"}})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "family@group.calendar.google.com", onlyChannel(t, fake).Calendar)
	require.False(t, tutor2Free(t, srv, 5, 15))
	fake.SetCalendarBusy(email, "family@group.calendar.google.com")
	require.True(t, tutor2Free(t, srv, 5, 15), "pushed from the family calendar")

	res = hookstest.Call(t, srv, http.MethodPost, "/api/google/calendar/disconnect", cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 204, res.Status)
	require.Empty(t, fake.Channels(), "disconnecting stops the channel")
}

// TestGooglePushRefusesForgeries: a push with another token, another
// resource or an unknown channel answers 404 and reads nothing; eight
// copies of one real push at once make one read.
func TestGooglePushRefusesForgeries(t *testing.T) {
	t.Parallel()
	_, srv, fake := googlePushApp(t)
	tutor2Calendars(fake)
	connectGoogle(t, srv, fake, hookstest.Tutor2)
	ch := onlyChannel(t, fake)
	lists := func() int { return fake.Calls("GET /calendar/v3/calendars/") }
	before := lists()
	for _, forged := range []fakegoogle.Channel{
		func() fakegoogle.Channel { c := ch; c.Token = "guessed"; return c }(),
		func() fakegoogle.Channel { c := ch; c.ResourceID = "res-other"; return c }(),
		func() fakegoogle.Channel { c := ch; c.ID = "unknown"; return c }(),
		func() fakegoogle.Channel { c := ch; c.Token = ""; return c }(),
	} {
		require.Equal(t, 404, fake.Send(forged, "exists", 7))
	}
	require.Equal(t, before, lists(), "a forged push reads nothing")

	codes := make([]int, 8)
	hookstest.Together(8, func(i int) { codes[i] = fake.Send(ch, "exists", 9) })
	require.Equal(t, []int{204, 204, 204, 204, 204, 204, 204, 204}, codes)
	require.Equal(t, before+1, lists(), "eight copies of one push make one read")
	require.Equal(t, 204, fake.Send(ch, "exists", 9))
	require.Equal(t, before+1, lists(), "a push taken already is not read again")
	require.Equal(t, 204, fake.Send(ch, "exists", 10))
	require.Equal(t, before+2, lists(), "the next message is")
}

// TestGoogleSyncTokenGone: the poll reads only what changed since the
// calendar's sync token; when Google answers 410 Gone the calendar is
// listed in full for a new token and the busy times are read again.
func TestGoogleSyncTokenGone(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	email := tutor2Calendars(fake)
	connectGoogle(t, srv, fake, hookstest.Tutor2)
	require.False(t, tutor2Free(t, srv, 5, 10))
	require.Empty(t, fake.Channels(), "no push address: no channel, polling only")
	job := func(after time.Duration) {
		require.NoError(t, jobs.SyncGoogle(hookstest.ServicesOf(app), app, cast.Now().Add(after)))
	}
	fake.SetBusy(email, fakegoogle.Busy{Start: romeTime(5, 14, 0), End: romeTime(5, 15, 0)})
	fake.ExpireSyncTokens()
	lists := fake.Calls("GET /calendar/v3/calendars/")
	job(google.BusyEvery)
	require.Equal(t, lists+2, fake.Calls("GET /calendar/v3/calendars/"), "the token answered 410, then a full list")
	require.True(t, tutor2Free(t, srv, 5, 10), "the moved event freed 10:00")
	require.False(t, tutor2Free(t, srv, 5, 14))
	res := hookstest.Call(t, srv, http.MethodGet, "/api/google/calendar", cast.Tokens[hookstest.Tutor2], nil)
	require.Contains(t, string(res.Body), `"last_error":""`)
}
