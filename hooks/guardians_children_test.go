package hooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestGuardianChildAndBooking: a guardian adds a child without an email
// and books, moves and cancels the child's lessons; the child's account
// needs no confirmed email of its own (the guardian's counts), an
// unconfirmed guardian is refused, and a guardian books for nobody else.
func TestGuardianChildAndBooking(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	gina := addPerson(t, app, "gina@test.localhost", "Gina Guardian", "guardian")

	res := hookstest.Call(t, srv, http.MethodPost, "/api/guardians/children", cast.Tokens[hookstest.Student], map[string]any{"name": "Kid"})
	require.Equal(t, 403, res.Status, "only guardians add children")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/children", gina.token, map[string]any{"name": "Kid", "birth_date": "2999-01-01"})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "validation_invalid_date")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/children", gina.token, map[string]any{"name": strings.Repeat("x", 200)})
	require.Equal(t, 400, res.Status, "a bad name is a field error, nothing written: %s", res.Body)
	require.Contains(t, string(res.Body), `"name"`)
	n, err := app.CountRecords("guardians", dbx.HashExp{"guardian": gina.id})
	require.NoError(t, err)
	require.Zero(t, n)

	res = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/children", gina.token, map[string]any{"name": "Leo Guardian", "birth_date": "2015-04-02", "level": "Primary"})
	require.Equal(t, 200, res.Status, string(res.Body))
	leo := res.JSON()["id"].(string)
	child, err := app.FindRecordById("users", leo)
	require.NoError(t, err)
	require.Equal(t, "", child.Email(), "a child's profile has no email of its own")
	require.Equal(t, "student", child.GetString("role"))
	require.False(t, child.Verified())
	require.Equal(t, 1, listCount(t, srv, "students", gina.token), "her child's profile")

	s, e := romeSlot(3, 10, 0, 60)
	book := func(token string, body map[string]any) hookstest.Response {
		body["tutor"], body["start"], body["end"] = cast.Tutors[hookstest.Tutor2], s, e
		return hookstest.Call(t, srv, http.MethodPost, bookingsURL, token, body)
	}
	res = book(gina.token, map[string]any{})
	require.Equal(t, 400, res.Status, "a guardian names the child")
	require.Contains(t, string(res.Body), "validation_required")
	res = book(gina.token, map[string]any{"student": cast.Users[hookstest.Student2]})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "not_your_student")
	require.Contains(t, string(res.Body), "Puoi agire solo per gli studenti di cui sei genitore o tutore.")

	res = book(gina.token, map[string]any{"student": leo})
	require.Equal(t, 200, res.Status, "the school asks for a confirmed email: the guardian's counts; %s", res.Body)
	require.Equal(t, leo, res.JSON()["student"])
	id := res.JSON()["id"].(string)
	require.Equal(t, 1, listCount(t, srv, "bookings", gina.token))

	s2, e2 := romeSlot(4, 10, 0, 60)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+id+"/reschedule", gina.token, map[string]any{"start": s2, "end": e2})
	require.Equal(t, 200, res.Status, string(res.Body))
	moved := res.JSON()["id"].(string)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+moved+"/cancel", gina.token, map[string]any{"reason": "Ill"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "cancelled", res.JSON()["status"])
	require.Equal(t, 403, hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+moved+"/confirm", gina.token, nil).Status,
		"a guardian acts as the student, never as the tutor")

	// a weekly series for the child, through the series route
	s3, e3 := romeSlot(5, 15, 0, 60)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/series", gina.token, map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s3, "end": e3, "weeks": 2, "student": leo})
	require.Equal(t, 200, res.Status, string(res.Body))
	for _, b := range res.JSON()["bookings"].([]any) {
		require.Equal(t, leo, b.(map[string]any)["student"])
	}
	res = hookstest.Call(t, srv, http.MethodPost, "/api/series", gina.token, map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s3, "end": e3, "weeks": 2, "student": cast.Users[hookstest.Student2]})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "not_your_student")

	// an unconfirmed guardian books nothing while the school asks for a confirmed email
	unconfirmed := addPerson(t, app, "ugo@test.localhost", "Ugo", "guardian")
	u, err := app.FindRecordById("users", unconfirmed.id)
	require.NoError(t, err)
	u.SetVerified(false)
	require.NoError(t, app.Save(u))
	res = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/link", cast.Tokens[hookstest.Admin], map[string]any{"student": leo, "guardian": unconfirmed.id})
	require.Equal(t, 200, res.Status, string(res.Body))
	res = book(unconfirmed.token, map[string]any{"student": leo})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "email_unverified")

	// nobody signs up without an email
	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/records", "", map[string]any{"password": goodPassword, "passwordConfirm": goodPassword, "role": "guardian"})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"email"`)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/records", "", map[string]any{"email": "new-parent@test.localhost", "password": goodPassword, "passwordConfirm": goodPassword, "role": "guardian"})
	require.Equal(t, 200, res.Status, "a guardian signs up on their own: %s", res.Body)
}

// TestGuardianRemoval: who may end a link. An adult student with their own
// login removes a guardian; a minor cannot; a guardian steps down unless
// they are the only one of a child without a login; staff link and unlink.
func TestGuardianRemoval(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()
	link, err := app.FindFirstRecordByData("guardians", "guardian", gina.id)
	require.NoError(t, err)
	remove := func(id, token string) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/guardians/"+id+"/remove", token, nil)
	}
	require.Equal(t, 404, remove(link.Id, cast.Tokens[hookstest.Student2]).Status, "not theirs")

	setBirth := func(date string) {
		p, err := app.FindRecordById("students", cast.IDs["student_profile"])
		require.NoError(t, err)
		p.Set("birth_date", date)
		require.NoError(t, app.Save(p))
	}
	res := remove(link.Id, cast.Tokens[hookstest.Student])
	require.Equal(t, 403, res.Status, "no birth date: not known to be an adult")
	require.Contains(t, string(res.Body), "not_adult")
	setBirth(cast.Now().AddDate(-17, 0, 0).Format("2006-01-02") + " 00:00:00.000Z")
	require.Equal(t, 403, remove(link.Id, cast.Tokens[hookstest.Student]).Status, "a minor")
	setBirth(cast.Now().AddDate(-18, 0, -1).Format("2006-01-02") + " 00:00:00.000Z")
	require.Equal(t, 204, remove(link.Id, cast.Tokens[hookstest.Student]).Status, "an adult")
	require.Equal(t, 0, listCount(t, srv, "bookings", gina.token), "the guardian sees nothing any more")

	// a child without a login keeps their only guardian
	res = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/children", gina.token, map[string]any{"name": "Leo"})
	require.Equal(t, 200, res.Status, string(res.Body))
	childLink, err := app.FindFirstRecordByData("guardians", "student", res.JSON()["id"].(string))
	require.NoError(t, err)
	res = remove(childLink.Id, gina.token)
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "last_guardian")
	require.Equal(t, 204, remove(childLink.Id, cast.Tokens[hookstest.Admin]).Status, "staff unlink")

	// staff link an account directly; a guardian only
	res = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/link", cast.Tokens[hookstest.Admin], map[string]any{"student": cast.Users[hookstest.Student], "guardian": cast.Users[hookstest.Tutor]})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "not_a_guardian")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/link", cast.Tokens[hookstest.Admin], map[string]any{"student": cast.Users[hookstest.Student], "guardian": gina.id})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, 403, hookstest.Call(t, srv, http.MethodPost, "/api/guardians/link", gina.token, map[string]any{"student": cast.Users[hookstest.Student2], "guardian": gina.id}).Status)
	require.Equal(t, 4, listCount(t, srv, "bookings", gina.token))

	// staff's page names both by their email
	linkBy := func(student, guardian string) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/guardians/link", cast.Tokens[hookstest.Admin], map[string]any{"student": student, "guardian": guardian})
	}
	res = linkBy(cast.Emails[hookstest.Student2], "nobody@test.localhost")
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "not_a_guardian")
	res = linkBy(cast.Emails[hookstest.Student2], "Gina@test.localhost")
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, cast.Users[hookstest.Student2], res.JSON()["student"])
	require.Equal(t, gina.id, res.JSON()["guardian"])
}

// TestGuardianNotices: a guardian hears of their student's lessons
// (booked, cancelled), named with the student, until they mute that
// student's notices; only the link's guardian changes that.
func TestGuardianNotices(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()
	notes := func() int {
		n, err := app.CountRecords("notifications", dbx.HashExp{"user": gina.id})
		require.NoError(t, err)
		return int(n)
	}
	waitNotes := func(want int) {
		t.Helper()
		require.Eventually(t, func() bool { return notes() == want }, 5*time.Second, 50*time.Millisecond, "notifications of the guardian: %d, want %d", notes(), want)
	}
	s, e := romeSlot(3, 10, 0, 60)
	res := hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e})
	require.Equal(t, 200, res.Status, string(res.Body))
	waitNotes(1)
	n, err := app.FindFirstRecordByData("notifications", "user", gina.id)
	require.NoError(t, err)
	require.Equal(t, "booking_created", n.GetString("kind"))
	require.Contains(t, n.GetString("body"), "Stella Student")

	link, err := app.FindFirstRecordByData("guardians", "guardian", gina.id)
	require.NoError(t, err)
	path := "/api/guardians/" + link.Id + "/notices"
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodPost, path, cast.Tokens[hookstest.Student], map[string]any{"on": false}).Status, "the guardian's choice")
	require.Equal(t, 400, hookstest.Call(t, srv, http.MethodPost, path, gina.token, map[string]any{}).Status)
	res = hookstest.Call(t, srv, http.MethodPost, path, gina.token, map[string]any{"on": false})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, true, res.JSON()["muted"])

	s2, e2 := romeSlot(4, 10, 0, 60)
	res = hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s2, "end": e2})
	require.Equal(t, 200, res.Status, string(res.Body))
	time.Sleep(500 * time.Millisecond) // the outbox writer runs after the commit
	require.Equal(t, 1, notes(), "muted: nothing more")
}
