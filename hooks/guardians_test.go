package hooks_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/guardians"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// member is a person added to a test's cast: their users id and token.
type member struct{ id, token string }

func addPerson(t *testing.T, app core.App, email, name, role string) member {
	t.Helper()
	r, err := hookstest.CreateUser(app, email, name, role)
	require.NoError(t, err)
	tok, err := r.NewStaticAuthToken(0)
	require.NoError(t, err)
	return member{r.Id, tok}
}

var inviteToken = regexp.MustCompile(`guardian-invite\?token=([0-9a-f]+)`)

// invite has the student invite email and returns the secret the email
// carries.
func invite(t *testing.T, app *tests.TestApp, srv *httptest.Server, token, email string) string {
	t.Helper()
	res := hookstest.Call(t, srv, http.MethodPost, "/api/guardians/invite", token, map[string]any{"email": email})
	require.Equal(t, 200, res.Status, string(res.Body))
	msg := app.TestMailer.LastMessage()
	require.Equal(t, strings.ToLower(email), msg.To[0].Address)
	m := inviteToken.FindStringSubmatch(msg.Text)
	require.NotNil(t, m, "the email carries the accept link: %s", msg.Text)
	return m[1]
}

// family is a clone of the cast where Gina, a guardian, accepted the
// student's invitation.
func family(t *testing.T) (*tests.TestApp, *httptest.Server, member) {
	app := cast.Clone(t)
	srv := hookstest.Serve(t, app)
	gina := addPerson(t, app, "gina@test.localhost", "Gina Guardian", "guardian")
	secret := invite(t, app, srv, cast.Tokens[hookstest.Student], "Gina@Test.localhost")
	res := hookstest.Call(t, srv, http.MethodPost, "/api/guardians/accept", gina.token, map[string]any{"token": secret})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, gina.id, res.JSON()["guardian"])
	return app, srv, gina
}

func listCount(t *testing.T, srv *httptest.Server, collection, token string) int {
	t.Helper()
	res := hookstest.Call(t, srv, http.MethodGet, "/api/collections/"+collection+"/records?perPage=200", token, nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	return int(res.JSON()["totalItems"].(float64))
}

// TestGuardianInvitation: a student invites a guardian by email; the link
// in the email, opened by a signed-in guardian, makes them the student's
// guardian once; before that they see nothing of the student.
func TestGuardianInvitation(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	gina := addPerson(t, app, "gina@test.localhost", "Gina Guardian", "guardian")
	student := cast.Tokens[hookstest.Student]

	res := hookstest.Call(t, srv, http.MethodPost, "/api/guardians/invite", student, map[string]any{"email": "not an email"})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "validation_is_email")

	secret := invite(t, app, srv, student, "gina@test.localhost")
	require.Contains(t, app.TestMailer.LastMessage().Subject, "Stella Student")
	require.Equal(t, 0, listCount(t, srv, "bookings", gina.token), "an open invitation shows nothing")
	res = hookstest.Call(t, srv, http.MethodGet, "/api/collections/users/records/"+cast.Users[hookstest.Student], gina.token, nil)
	require.Equal(t, 404, res.Status)

	tutor := addPerson(t, app, "tom@test.localhost", "Tom", "tutor")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/accept", tutor.token, map[string]any{"token": secret})
	require.Equal(t, 400, res.Status, "only a guardian account accepts")
	require.Contains(t, string(res.Body), "not_a_guardian")

	// eight tabs accept at once: one link, accepted once
	rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/guardians/accept", gina.token, map[string]any{"token": secret})
	require.Equal(t, map[int]int{200: 1, 400: 7}, hookstest.Statuses(rs))
	n, err := app.CountRecords("guardians", nil)
	require.NoError(t, err)
	require.EqualValues(t, 2, n, "the fixture's open invitation and Gina's link")

	require.Equal(t, 4, listCount(t, srv, "bookings", gina.token), "the student's lessons")
	res = hookstest.Call(t, srv, http.MethodGet, "/api/collections/users/records/"+cast.Users[hookstest.Student], gina.token, nil)
	require.Equal(t, 200, res.Status, "the student's name")
	res = hookstest.Call(t, srv, http.MethodGet, "/api/collections/users/records/"+gina.id, student, nil)
	require.Equal(t, 200, res.Status, "and the student sees their guardian")

	res = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/invite", student, map[string]any{"email": "gina@test.localhost"})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "already_guardian")

	// two invitations of one student, to two addresses, accepted at once by
	// one guardian account: one link, the other a clear refusal (never a
	// 500 from the unique index)
	first := invite(t, app, srv, cast.Tokens[hookstest.Student2], "gil@test.localhost")
	other := invite(t, app, srv, cast.Tokens[hookstest.Student2], "gil.work@test.localhost")
	gil := addPerson(t, app, "gil@test.localhost", "Gil Guardian", "guardian")
	var codes [8]int
	hookstest.Together(8, func(i int) {
		tok := first
		if i%2 == 1 {
			tok = other
		}
		codes[i] = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/accept", gil.token, map[string]any{"token": tok}).Status
	})
	statuses := map[int]int{}
	for _, c := range codes {
		statuses[c]++
	}
	require.Equal(t, map[int]int{200: 1, 400: 7}, statuses)
}

// TestGuardianSeesOnlyTheirStudents: what a guardian reads of their
// student through the records API (lessons, reports, purchases, ledger,
// profile) and nothing of another family; the other student and a
// visitor see nothing of this family, open invitations included.
func TestGuardianSeesOnlyTheirStudents(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()
	other := addPerson(t, app, "olga@test.localhost", "Olga Other", "guardian")

	for collection, want := range map[string]int{"bookings": 4, "lesson_reports": 1, "purchases": 1, "credit_ledger": 1, "students": 1, "guardians": 1, "users": 2} {
		require.Equal(t, want, listCount(t, srv, collection, gina.token), "gina lists %s", collection)
		if collection == "users" {
			want = 1 // herself
		} else {
			want = 0
		}
		require.Equal(t, want, listCount(t, srv, collection, other.token), "another guardian lists %s", collection)
	}
	for _, name := range []string{"booking", "lesson_report", "purchase", "ledger", "student_profile"} {
		collection := map[string]string{"booking": "bookings", "lesson_report": "lesson_reports", "purchase": "purchases",
			"ledger": "credit_ledger", "student_profile": "students"}[name]
		path := "/api/collections/" + collection + "/records/" + cast.IDs[name]
		require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, path, gina.token, nil).Status, name)
		require.Equal(t, 404, hookstest.Call(t, srv, http.MethodGet, path, other.token, nil).Status, name)
		require.Equal(t, 404, hookstest.Call(t, srv, http.MethodGet, path, cast.Tokens[hookstest.Student2], nil).Status, name)
	}
	// the other student's lesson stays theirs
	s, e := romeSlot(4, 11, 0, 60)
	res := hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student2], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e})
	require.Equal(t, 200, res.Status, string(res.Body))
	theirs := res.JSON()["id"].(string)
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodGet, bookingsURL+"/"+theirs, gina.token, nil).Status)
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+theirs+"/cancel", gina.token, map[string]any{}).Status)
	require.Equal(t, 4, listCount(t, srv, "bookings", gina.token), "a filter cannot widen the list")
	res = hookstest.Call(t, srv, http.MethodGet, bookingsURL+"?filter="+url.QueryEscape("student = '"+cast.Users[hookstest.Student2]+"'"), gina.token, nil)
	require.Equal(t, 200, res.Status)
	require.EqualValues(t, 0, res.JSON()["totalItems"])

	// an open invitation (no guardian yet) opens nothing to a visitor
	require.Equal(t, 0, listCount(t, srv, "guardians", ""))
	require.Equal(t, 0, listCount(t, srv, "students", ""))
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodGet, bookingsURL+"/"+cast.IDs["booking"], "", nil).Status)
}

// TestGuardianRealtime: a guardian hears of their students' lessons live
// (the family topic, and the records they may view); another guardian and
// another student hear nothing of them.
func TestGuardianRealtime(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()
	other := addPerson(t, app, "olga@test.localhost", "Olga Other", "guardian")

	mine := hookstest.Subscribe(t, srv, gina.token, guardians.FamilyBookingsTopic, "lesson_reports/*")
	theirs := hookstest.Subscribe(t, srv, other.token, guardians.FamilyBookingsTopic, "bookings/*", "lesson_reports/*")
	otherStudent := hookstest.Subscribe(t, srv, cast.Tokens[hookstest.Student2], guardians.FamilyBookingsTopic, "bookings/*")

	s, e := romeSlot(3, 10, 0, 60)
	res := hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e})
	require.Equal(t, 200, res.Status, string(res.Body))
	id := res.JSON()["id"].(string)

	ev, ok := mine.Until(guardians.FamilyBookingsTopic, 5*time.Second)
	require.True(t, ok, "the guardian hears of the new lesson")
	require.Equal(t, "create", ev.Data["action"])
	require.Equal(t, id, ev.Data["record"].(map[string]any)["id"])

	res = hookstest.Call(t, srv, http.MethodPatch, "/api/collections/lesson_reports/records/"+cast.IDs["lesson_report"], cast.Tokens[hookstest.Tutor], map[string]any{"comment": "Much better"})
	require.Equal(t, 200, res.Status, string(res.Body))
	ev, ok = mine.Until("lesson_reports/*", 5*time.Second)
	require.True(t, ok, "and reads the report as the tutor edits it")
	require.Equal(t, "Much better", ev.Data["record"].(map[string]any)["comment"])

	_, ok = theirs.Next(time.Second)
	require.False(t, ok, "another guardian hears nothing")
	_, ok = otherStudent.Next(200 * time.Millisecond)
	require.False(t, ok, "nor does another student")
}
