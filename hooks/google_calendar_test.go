package hooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/google"
	"tutorbase/internal/notify"
	"tutorbase/jobs"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestGoogleCalendarLessons: a tutor connects Google Calendar (consent,
// tokens sealed at rest, never answered); a lesson booked with them is
// written to their calendar after the commit, moved when rescheduled under
// the same event id, removed when cancelled; one event, never two.
func TestGoogleCalendarLessons(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	connectGoogle(t, srv, fake, hookstest.Tutor2)

	res := hookstest.Call(t, srv, http.MethodGet, "/api/google/calendar", cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 200, res.Status)
	require.Contains(t, string(res.Body), `"email":"tutor2.google@test.localhost"`)
	require.NotContains(t, string(res.Body), "refresh")
	require.NotContains(t, string(res.Body), "ya29")
	link, err := app.FindFirstRecordByData(google.Links, "user", cast.Users[hookstest.Tutor2])
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(link.GetString("refresh_token"), "v1."), "sealed")
	require.NotContains(t, link.GetString("refresh_token"), "1//refresh")
	require.NotContains(t, link.GetString("access_token"), "ya29")
	res = hookstest.Call(t, srv, http.MethodGet, "/api/collections/google_links/records", cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 403, res.Status, "only the server reads the records")

	id := bookTutor2(t, srv, 5, 15)
	row := outboxRow(t, app, id, cast.Users[hookstest.Tutor2])
	eventID := row.GetString("event_id")
	eventually(t, "the lesson reaches Google", func() bool { _, ok := fake.Events()[eventID]; return ok })
	ev := fake.Events()[eventID]
	require.Equal(t, utc3339(romeTime(5, 15, 0)), ev.Start)
	require.Equal(t, "Lesson with Stella Student", ev.Summary)
	require.Equal(t, "primary", ev.Calendar)
	eventually(t, "the row is done", func() bool {
		return outboxRow(t, app, id, cast.Users[hookstest.Tutor2]).GetString("status") == google.EventDone
	})

	start, end := romeSlot(5, 17, 0, 60)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+id+"/reschedule", cast.Tokens[hookstest.Tutor2], map[string]any{"start": start, "end": end})
	require.Equal(t, 200, res.Status, string(res.Body))
	moved := res.JSON()["id"].(string)
	eventually(t, "the event moves", func() bool { return fake.Events()[eventID].Start == utc3339(romeTime(5, 17, 0)) })
	require.Equal(t, eventID, outboxRow(t, app, moved, cast.Users[hookstest.Tutor2]).GetString("event_id"), "the same event, moved")

	// the tutor deletes the event by hand; the lesson moves again and comes
	// back under a new id (Google keeps the old one taken), which the row keeps
	fake.DeleteByHand(eventID)
	start, end = romeSlot(5, 18, 0, 60)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+moved+"/reschedule", cast.Tokens[hookstest.Tutor2], map[string]any{"start": start, "end": end})
	require.Equal(t, 200, res.Status, string(res.Body))
	moved = res.JSON()["id"].(string)
	var again string
	eventually(t, "the event is back", func() bool {
		row := outboxRow(t, app, moved, cast.Users[hookstest.Tutor2])
		again = row.GetString("event_id")
		return row.GetString("status") == google.EventDone && again != eventID
	})
	require.Equal(t, utc3339(romeTime(5, 18, 0)), fake.Events()[again].Start)
	require.Equal(t, 2, fake.Inserted())

	res = hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+moved+"/cancel", cast.Tokens[hookstest.Student], map[string]any{})
	require.Equal(t, 200, res.Status, string(res.Body))
	eventually(t, "the event is removed", func() bool { _, ok := fake.Events()[again]; return !ok })
	require.Equal(t, 2, fake.Inserted(), "no third event")

	_, err = app.FindFirstRecordByFilter(google.Events, "user = {:u}", dbx.Params{"u": cast.Users[hookstest.Student]})
	require.Error(t, err, "the student has not connected: nothing is owed to them")
}

// TestGoogleCalendarRetries: Google's 503 and 429 back off and retry; an
// insert Google applied but never answered (a crash, a cut) is retried
// under the same id and updates the event instead of adding a second;
// the job catches up what the writer left.
func TestGoogleCalendarRetries(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	connectGoogle(t, srv, fake, hookstest.Tutor2)
	tutor := cast.Users[hookstest.Tutor2]
	job := func(after time.Duration) {
		require.NoError(t, jobs.SyncGoogle(hookstest.ServicesOf(app), app, cast.Now().Add(after)))
	}

	fake.FailNext("POST /calendar/v3/calendars/", http.StatusServiceUnavailable)
	id := bookTutor2(t, srv, 5, 15)
	eventually(t, "the 503 is recorded", func() bool { return outboxRow(t, app, id, tutor).GetInt("attempts") == 1 })
	row := outboxRow(t, app, id, tutor)
	require.Equal(t, "google_unavailable", row.GetString("last_error"))
	require.Equal(t, google.EventPending, row.GetString("status"))
	require.Empty(t, fake.Events())
	job(0)
	require.Equal(t, 1, outboxRow(t, app, id, tutor).GetInt("attempts"), "not before its back-off")

	fake.FailNext("POST /calendar/v3/calendars/", http.StatusTooManyRequests)
	job(time.Minute)
	row = outboxRow(t, app, id, tutor)
	require.Equal(t, 2, row.GetInt("attempts"))
	require.Equal(t, "rate_limited", row.GetString("last_error"))

	fake.DropNext("POST /calendar/v3/calendars/")
	job(3 * time.Minute)
	require.Len(t, fake.Events(), 1, "Google applied the insert")
	require.Equal(t, google.EventPending, outboxRow(t, app, id, tutor).GetString("status"), "but we never heard")

	job(10 * time.Minute)
	require.Equal(t, google.EventDone, outboxRow(t, app, id, tutor).GetString("status"))
	require.Len(t, fake.Events(), 1)
	require.Equal(t, 1, fake.Inserted(), "the retry updated the event it had made")
	ev := fake.Events()[row.GetString("event_id")]
	require.Equal(t, utc3339(romeTime(5, 15, 0)), ev.Start)
}

// TestGoogleCalendarTokens: an expired access token is refreshed with the
// stored refresh token (and the new one kept, sealed); consent revoked at
// Google stops the sync and tells the tutor, once; disconnecting revokes
// the token at Google and removes it.
func TestGoogleCalendarTokens(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	connectGoogle(t, srv, fake, hookstest.Tutor2)
	tutor := cast.Users[hookstest.Tutor2]
	link, err := app.FindFirstRecordByData(google.Links, "user", tutor)
	require.NoError(t, err)
	before := link.GetString("access_token")

	fake.ExpireAccess()
	tokens := fake.Calls("POST /token")
	id := bookTutor2(t, srv, 5, 15)
	eventually(t, "the lesson reaches Google with a refreshed token",
		func() bool { return outboxRow(t, app, id, tutor).GetString("status") == google.EventDone })
	require.Greater(t, fake.Calls("POST /token"), tokens)
	link, err = app.FindFirstRecordByData(google.Links, "user", tutor)
	require.NoError(t, err)
	require.NotEqual(t, before, link.GetString("access_token"), "the refreshed token is kept")

	fake.Revoke(googleAccount(hookstest.Tutor2).Email)
	fake.ExpireAccess()
	second := bookTutor2(t, srv, 5, 17)
	eventually(t, "the sync stops", func() bool { return outboxRow(t, app, second, tutor).GetString("status") == google.EventStopped })
	res := hookstest.Call(t, srv, http.MethodGet, "/api/google/calendar", cast.Tokens[hookstest.Tutor2], nil)
	require.Contains(t, string(res.Body), `"status":"revoked"`)
	n, err := app.CountRecords("notifications", dbx.HashExp{"user": tutor, "kind": notify.KindGoogleDisconnected})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+second+"/cancel", cast.Tokens[hookstest.Student], map[string]any{})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, google.EventStopped, outboxRow(t, app, second, tutor).GetString("status"), "nothing more is owed to a revoked calendar")

	connectGoogle(t, srv, fake, hookstest.Tutor2)
	revokes := fake.Calls("POST /revoke")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/google/calendar/disconnect", cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 204, res.Status, string(res.Body))
	require.Equal(t, revokes+1, fake.Calls("POST /revoke"))
	_, err = app.FindFirstRecordByData(google.Links, "user", tutor)
	require.Error(t, err, "the tokens are gone")
	res = hookstest.Call(t, srv, http.MethodGet, "/api/google/calendar", cast.Tokens[hookstest.Tutor2], nil)
	require.Contains(t, string(res.Body), `"status":""`)
}

// TestGoogleCalendarConsentChecks: a consent answer is taken once, by the
// person who asked, with the state Tutorbase gave; without the school's
// Google configuration the routes say so.
func TestGoogleCalendarConsentChecks(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	starts := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/google/calendar/connect", cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, map[int]int{200: 8}, hookstest.Statuses(starts))
	n, err := app.CountRecords(google.Links, dbx.HashExp{"user": cast.Users[hookstest.Tutor2]})
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "one connection, whatever the clicks")
	res := hookstest.Call(t, srv, http.MethodPost, "/api/google/calendar/connect", cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 200, res.Status)
	state := strings.SplitN(strings.SplitN(res.JSON()["url"].(string), "state=", 2)[1], "&", 2)[0]
	code := fake.Grant(googleAccount(hookstest.Tutor2))

	res = hookstest.Call(t, srv, http.MethodPost, "/api/google/calendar/callback", cast.Tokens[hookstest.Tutor], map[string]string{"code": code, "state": state})
	require.Equal(t, 400, res.Status, "another person's state: %s", res.Body)
	require.Contains(t, string(res.Body), "Google non ha confermato il collegamento")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/google/calendar/callback", cast.Tokens[hookstest.Tutor2], map[string]string{"code": code, "state": "forged"})
	require.Equal(t, 400, res.Status)
	rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/google/calendar/callback", cast.Tokens[hookstest.Tutor2], map[string]string{"code": code, "state": state})
	require.Equal(t, map[int]int{200: 1, 400: 7}, hookstest.Statuses(rs), "the state is used once")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/google/calendar/callback", cast.Tokens[hookstest.Tutor2], map[string]string{})
	require.Equal(t, 400, res.Status)

	plain := cast.Clone(t)
	defer plain.Cleanup()
	psrv := hookstest.Serve(t, plain)
	res = hookstest.Call(t, psrv, http.MethodPost, "/api/google/calendar/connect", cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"code":"not_configured"`)
	res = hookstest.Call(t, psrv, http.MethodGet, "/api/google/calendar", cast.Tokens[hookstest.Tutor2], nil)
	require.Contains(t, string(res.Body), `"available":false`)
}
