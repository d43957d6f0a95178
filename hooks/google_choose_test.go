package hooks_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/booking"
	"tutorbase/internal/app/google"
	"tutorbase/testkit/fakegoogle"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// tutor2Calendars gives Tutor2's Google account a primary calendar (busy
// 10:00 on day 5), a "Family" one it owns (busy 15:00) and a shared
// "Holidays" one it may only read.
func tutor2Calendars(fake *fakegoogle.Server) string {
	email := googleAccount(hookstest.Tutor2).Email
	fake.SetCalendars(email, fakegoogle.Calendar{ID: email, Summary: "Me", AccessRole: "owner", Primary: true},
		fakegoogle.Calendar{ID: "family@group.calendar.google.com", Summary: "Family", AccessRole: "owner"},
		fakegoogle.Calendar{ID: "holidays@group.v.calendar.google.com", Summary: "Holidays", AccessRole: "reader"})
	fake.SetBusy(email, fakegoogle.Busy{Start: romeTime(5, 10, 0), End: romeTime(5, 11, 0)})
	fake.SetCalendarBusy(email, "family@group.calendar.google.com", fakegoogle.Busy{Start: romeTime(5, 15, 0), End: romeTime(5, 16, 0)})
	return email
}

// tutor2Free reports whether Tutor2 offers the hour at day, hh:00 (Rome).
func tutor2Free(t *testing.T, srv *httptest.Server, day, hh int) bool {
	t.Helper()
	res := hookstest.Call(t, srv, http.MethodGet, slotsURL(hookstest.Tutor2, romeTime(day, 0, 0), romeTime(day+1, 0, 0), "60"), "", nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	for _, s := range decodeAnswer[booking.SlotsJSON](t, res.Body).Slots {
		if st, _ := time.Parse(time.RFC3339, s.Start); st.Equal(romeTime(day, hh, 0)) {
			return true
		}
	}
	return false
}

// TestGoogleCalendarChoice: a connected tutor lists their Google calendars
// (calendarList through the real client), picks which block their slots
// and which gets the lessons; the busy import reads the picked ones at
// once and at every run; new lessons go to the chosen calendar; a calendar
// they do not have, or may not write to, is refused and changes nothing.
func TestGoogleCalendarChoice(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	tutor2Calendars(fake)
	tok := cast.Tokens[hookstest.Tutor2]
	res := hookstest.Call(t, srv, http.MethodGet, "/api/google/calendars", tok, nil)
	require.Equal(t, 400, res.Status, "not connected yet")
	require.Contains(t, string(res.Body), `"code":"not_connected"`)

	connectGoogle(t, srv, fake, hookstest.Tutor2)
	require.False(t, tutor2Free(t, srv, 5, 10), "the primary calendar blocks by default")
	require.True(t, tutor2Free(t, srv, 5, 15), "the family calendar is not chosen yet")

	res = hookstest.Call(t, srv, http.MethodGet, "/api/google/calendars", tok, nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	var list struct{ Calendars []google.CalendarChoice }
	require.NoError(t, json.Unmarshal(res.Body, &list))
	require.Len(t, list.Calendars, 3)
	require.Equal(t, google.CalendarChoice{ID: "tutor2.google@test.localhost", Name: "Me", Primary: true, Writable: true, Busy: true, Lessons: true}, list.Calendars[0])
	require.Equal(t, google.CalendarChoice{ID: "holidays@group.v.calendar.google.com", Name: "Holidays"}, list.Calendars[2])

	for _, bad := range []struct {
		body map[string]any
		code string
	}{
		{map[string]any{"lessons": "holidays@group.v.calendar.google.com", "busy": []string{}}, `"lessons":{"code":"not_writable","message":"Le lezioni possono essere scritte solo`},
		{map[string]any{"lessons": "primary", "busy": []string{"someone-else@gmail.com"}}, `"busy":{"code":"unknown_calendar"`},
		{map[string]any{"lessons": "nope@group.calendar.google.com", "busy": []string{}}, `"lessons":{"code":"unknown_calendar"`},
		{map[string]any{"lessons": "primary"}, `"lessons":{"code":"validation_required"`},
	} {
		res = hookstest.Call(t, srv, http.MethodPost, "/api/google/calendars", tok, bad.body)
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), bad.code)
	}
	require.False(t, tutor2Free(t, srv, 5, 10), "a refused choice changes nothing")

	res = hookstest.Call(t, srv, http.MethodPost, "/api/google/calendars", tok,
		map[string]any{"lessons": "family@group.calendar.google.com", "busy": []string{"family@group.calendar.google.com", "holidays@group.v.calendar.google.com"}})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"calendar":"family@group.calendar.google.com"`)
	require.True(t, tutor2Free(t, srv, 5, 10), "the primary calendar no longer blocks")
	require.False(t, tutor2Free(t, srv, 5, 15), "the family calendar blocks at once")

	id := bookTutor2(t, srv, 6, 15)
	eventID := outboxRow(t, app, id, cast.Users[hookstest.Tutor2]).GetString("event_id")
	eventually(t, "the lesson reaches the chosen calendar", func() bool {
		return fake.Events()[eventID].Calendar == "family@group.calendar.google.com"
	})

	res = hookstest.Call(t, srv, http.MethodPost, "/api/google/calendars", tok, map[string]any{"lessons": "primary", "busy": []string{}})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"busy_calendars":[]`)
	require.True(t, tutor2Free(t, srv, 5, 15), "no calendar blocks")
	require.True(t, tutor2Free(t, srv, 5, 10))

	// a student chooses too (their calendar gets their lessons; nothing of theirs blocks slots)
	connectGoogle(t, srv, fake, hookstest.Student)
	res = hookstest.Call(t, srv, http.MethodGet, "/api/google/calendars", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"id":"student.google@test.localhost"`)
}

// TestGoogleCalendarChoiceRace: eight choices sent at once, alternating
// two sets of calendars: whichever is stored last, the busy times stored
// are exactly those of the stored choice (an import of an older choice
// never lands after a newer one).
func TestGoogleCalendarChoiceRace(t *testing.T) {
	t.Parallel()
	app, srv, fake := googleApp(t)
	tutor2Calendars(fake)
	connectGoogle(t, srv, fake, hookstest.Tutor2)
	sets := [][]string{{"primary"}, {"family@group.calendar.google.com"}}
	hookstest.Together(8, func(i int) {
		res := hookstest.Call(t, srv, http.MethodPost, "/api/google/calendars", cast.Tokens[hookstest.Tutor2],
			map[string]any{"lessons": "primary", "busy": sets[i%2]})
		require.Equal(t, 200, res.Status, string(res.Body))
	})
	link, err := app.FindFirstRecordByData(google.Links, "user", cast.Users[hookstest.Tutor2])
	require.NoError(t, err)
	var starts []string
	require.NoError(t, app.DB().Select("start").From("busy_times").Where(dbx.HashExp{"google": link.Id}).Column(&starts))
	require.Len(t, starts, 1)
	want := romeTime(5, 10, 0)
	if link.GetString("busy_calendars") != `["primary"]` {
		want = romeTime(5, 15, 0)
	}
	got, err := time.Parse("2006-01-02 15:04:05.000Z", starts[0])
	require.NoError(t, err)
	require.True(t, want.Equal(got), "stored %s for choice %s", starts[0], link.GetString("busy_calendars"))
	require.Equal(t, 1, link.GetInt("busy_events"))
}
