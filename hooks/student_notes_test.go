package hooks_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// studentNote is the one notification of kind the student got about
// booking, waited for (they are written after the answer).
func studentNote(t testing.TB, app core.App, kind, booking string) *core.Record {
	t.Helper()
	filter := "user = {:u} && kind = {:k} && data.booking = {:b}"
	params := dbx.Params{"u": cast.Users[hookstest.Student], "k": kind, "b": booking}
	var list []*core.Record
	require.Eventually(t, func() bool {
		var err error
		list, err = app.FindRecordsByFilter("notifications", filter, "", 0, 0, params)
		require.NoError(t, err)
		return len(list) > 0
	}, 3*time.Second, 10*time.Millisecond, "the student hears of %s", kind)
	time.Sleep(20 * time.Millisecond)
	list, err := app.FindRecordsByFilter("notifications", filter, "", 0, 0, params)
	require.NoError(t, err)
	require.Len(t, list, 1, "one %s notification", kind)
	return list[0]
}

// emailed reports whether notification n has an email queued (the
// student's chosen channels, beyond the in-app notification itself).
func emailed(t testing.TB, app core.App, n *core.Record) bool {
	t.Helper()
	c, err := app.CountRecords("deliveries", dbx.HashExp{"notification": n.Id, "channel": "email"})
	require.NoError(t, err)
	return c == 1
}

// TestStudentHearsOfOwnActions: what a student books (or requests), moves
// and cancels is told to them too, in the app and on the channels they
// chose; a series is one notification listing every date.
func TestStudentHearsOfOwnActions(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	t.Cleanup(app.Cleanup)
	hookstest.NoRateLimits(app)
	noUnpaidCap(t, app)
	allDay(t, app, hookstest.Tutor2)
	setTutor(hookstest.Tutor2, map[string]any{"auto_confirm": false, "max_advance_days": 0})(t, app, nil)
	// the student reads English and wants no email about cancellations
	u, err := app.FindRecordById("users", cast.Users[hookstest.Student])
	require.NoError(t, err)
	u.Set("notify", map[string]any{"booking_cancelled": map[string]any{"email": false}})
	u.Set("locale", "en")
	require.NoError(t, app.Save(u))
	srv := hookstest.Serve(t, app)
	student := cast.Tokens[hookstest.Student]
	post := func(token, path string, body map[string]any) map[string]any {
		t.Helper()
		res := hookstest.Call(t, srv, http.MethodPost, path, token, body)
		require.Equal(t, 200, res.Status, string(res.Body))
		return res.JSON()
	}

	start, end := romeSlot(5, 10, 0, 60)
	b := post(student, bookingsURL, map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
	id := b["id"].(string)
	n := studentNote(t, app, "booking_created", id)
	require.Equal(t, "Lesson requested with Theo Tutor", n.GetString("title"))
	require.Contains(t, n.GetString("body"), "It waits for the tutor's confirmation.")
	require.True(t, emailed(t, app, n), "an email too, as the student's preferences want")
	requireNotified(t, app, hookstest.Tutor2, "booking_created", 1)

	post(cast.Tokens[hookstest.Tutor2], "/api/bookings/"+id+"/confirm", nil)
	require.Equal(t, "Lesson with Theo Tutor confirmed", studentNote(t, app, "booking_confirmed", id).GetString("title"))

	to, toEnd := romeSlot(6, 11, 0, 60)
	moved := post(student, "/api/bookings/"+id+"/reschedule", map[string]any{"start": to, "end": toEnd})
	n = studentNote(t, app, "booking_rescheduled", moved["id"].(string))
	require.Equal(t, "Lesson with Theo Tutor rescheduled", n.GetString("title"))
	require.True(t, emailed(t, app, n))
	requireNotified(t, app, hookstest.Tutor2, "booking_rescheduled", 1)

	post(student, "/api/bookings/"+moved["id"].(string)+"/cancel", map[string]any{"reason": "Exams"})
	n = studentNote(t, app, "booking_cancelled", moved["id"].(string))
	require.Contains(t, n.GetString("body"), "Reason: Exams")
	require.False(t, emailed(t, app, n), "no email: the student turned cancellation emails off")
	requireNotified(t, app, hookstest.Tutor2, "booking_cancelled", 1)

	// a weekly series: one notification for the student (and one for the
	// tutor) listing all three dates, not one per lesson
	first := romeTime(8, 15, 0)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/series", student, map[string]any{
		"tutor": cast.Tutors[hookstest.Tutor2], "start": first, "end": first.Add(time.Hour), "weeks": 3,
	})
	require.Equal(t, 200, res.Status, string(res.Body))
	var out struct {
		Bookings []struct {
			Id    string `json:"id"`
			Start string `json:"start"`
		} `json:"bookings"`
	}
	require.NoError(t, json.Unmarshal(res.Body, &out))
	require.Len(t, out.Bookings, 3)
	n = studentNote(t, app, "booking_created", out.Bookings[0].Id)
	require.Equal(t, "3 weekly lessons requested with Theo Tutor", n.GetString("title"))
	for _, lesson := range out.Bookings[1:] {
		c, err := app.CountRecords("notifications", dbx.NewExp("json_extract(data, '$.booking') = {:b}", dbx.Params{"b": lesson.Id}))
		require.NoError(t, err)
		require.Zero(t, c, "no notification per later lesson")
	}
	stella := mustUserZone(t, app, hookstest.Student)
	var dates []string
	for _, lesson := range out.Bookings {
		s, err := time.Parse("2006-01-02 15:04:05.000Z", lesson.Start)
		require.NoError(t, err)
		dates = append(dates, "- "+s.In(stella).Format("Mon 2 Jan 2006, 15:04"))
	}
	body := n.GetString("body")
	for _, d := range dates {
		require.Contains(t, body, d, "every date is listed")
	}
	require.Less(t, strings.Index(body, dates[0]), strings.Index(body, dates[2]), "in order")
	require.True(t, emailed(t, app, n))
	requireNotified(t, app, hookstest.Tutor2, "booking_created", 2) // the lesson above and the series
}

// mustUserZone is role's time zone (UTC when unset).
func mustUserZone(t testing.TB, app core.App, role string) *time.Location {
	t.Helper()
	u, err := app.FindRecordById("users", cast.Users[role])
	require.NoError(t, err)
	loc, err := time.LoadLocation(u.GetString("timezone"))
	require.NoError(t, err)
	return loc
}
