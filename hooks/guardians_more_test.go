package hooks_test

import (
	"errors"
	"net/http"
	"net/url"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/mfa"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// TestGuardianInviteRefusals: who may invite a guardian for whom, by role,
// and the bound on open invitations; every refusal is a 4xx in
// PocketBase's shape that writes no link and sends no email.
func TestGuardianInviteRefusals(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()
	before := countOf(t, app, "guardians")
	sent := app.TestMailer.TotalSend()
	inviteAs := func(token string, body any) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/guardians/invite", token, body)
	}
	admin := cast.Tokens[hookstest.Admin]
	refused(t, inviteAs(cast.Tokens[hookstest.Student], "gina@test.localhost"), 400, "email", "validation_is_email")
	refused(t, inviteAs(cast.Tokens[hookstest.Student], map[string]any{"email": "  "}), 400, "email", "validation_is_email")
	refused(t, inviteAs(admin, map[string]any{"email": "gus@test.localhost"}), 400, "student", "validation_required")
	refused(t, inviteAs(admin, map[string]any{"email": "gus@test.localhost", "student": cast.Users[hookstest.Tutor]}), 400, "student", "not_a_student")
	refused(t, inviteAs(admin, map[string]any{"email": "gus@test.localhost", "student": "nosuchuser0000"}), 400, "student", "not_a_student")
	refused(t, inviteAs(cast.Tokens[hookstest.Student], map[string]any{"email": "gus@test.localhost", "student": cast.Users[hookstest.Student2]}), 400, "student", "server_owned")
	refused(t, inviteAs(gina.token, map[string]any{"email": "gus@test.localhost", "student": cast.Users[hookstest.Student2]}), 400, "student", "not_your_student")
	res := inviteAs(cast.Tokens[hookstest.Tutor], map[string]any{"email": "gus@test.localhost", "student": cast.Users[hookstest.Student]})
	require.Equal(t, 403, res.Status, "a tutor invites no guardian: %s", res.Body)
	require.Equal(t, 401, inviteAs("", map[string]any{"email": "gus@test.localhost"}).Status)
	require.Equal(t, before, countOf(t, app, "guardians"), "no refusal writes a link")
	require.Equal(t, sent, app.TestMailer.TotalSend(), "no refusal sends an email")

	// a guardian invites a second guardian for their student, in their name
	res = inviteAs(gina.token, map[string]any{"email": "Gus@Test.localhost", "student": cast.Users[hookstest.Student]})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "gus@test.localhost", res.JSON()["email"])
	require.Equal(t, "invited", res.JSON()["status"])
	require.Empty(t, res.JSON()["token_hash"], "the secret's hash stays on the server")
	msg := app.TestMailer.LastMessage()
	require.Equal(t, "gus@test.localhost", msg.To[0].Address)
	require.Contains(t, msg.Text, "Gina Guardian", "the email names who invites")
}

// TestGuardianInviteAgainAndBound: inviting an address again voids the
// first link; a student has at most five open invitations, and staff
// invite for any named student.
func TestGuardianInviteAgainAndBound(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	student2 := cast.Users[hookstest.Student2]
	admin := cast.Tokens[hookstest.Admin]
	open := func() int64 {
		return countOf(t, app, "guardians", dbx.HashExp{"student": student2, "status": "invited"})
	}
	staffInvite := func(email string) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/guardians/invite", admin, map[string]any{"email": email, "student": student2})
	}
	first := invite(t, app, srv, cast.Tokens[hookstest.Student2], "gil@test.localhost")
	second := invite(t, app, srv, cast.Tokens[hookstest.Student2], "gil@test.localhost")
	require.NotEqual(t, first, second)
	require.EqualValues(t, 1, open(), "the same address again: one open invitation")
	gil := addPerson(t, app, "gil@test.localhost", "Gil Guardian", "guardian")
	refused(t, hookstest.Call(t, srv, http.MethodPost, "/api/guardians/accept", gil.token, map[string]any{"token": first}), 400, "token", "invalid_token")
	for _, email := range []string{"a@test.localhost", "b@test.localhost", "c@test.localhost", "d@test.localhost"} {
		require.Equal(t, 200, staffInvite(email).Status)
	}
	require.EqualValues(t, 5, open())
	sent := app.TestMailer.TotalSend()
	refused(t, staffInvite("e@test.localhost"), 400, "email", "too_many_invites")
	require.EqualValues(t, 5, open(), "the sixth is refused")
	require.Equal(t, sent, app.TestMailer.TotalSend())
	require.Equal(t, 200, staffInvite("d@test.localhost").Status, "inviting an open address again stays within the bound")

	res := hookstest.Call(t, srv, http.MethodPost, "/api/guardians/accept", gil.token, map[string]any{"token": second})
	require.Equal(t, 200, res.Status, "the latest link works: %s", res.Body)
	require.Equal(t, 200, staffInvite("e@test.localhost").Status, "an accepted invitation frees a place")
}

// TestGuardianAcceptAndLinkRefusals: an empty or unknown secret, and staff
// linking a non-student or a guardian twice, are clear refusals that
// change nothing.
func TestGuardianAcceptAndLinkRefusals(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()
	accept := func(body any) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/guardians/accept", gina.token, body)
	}
	refused(t, accept(map[string]any{}), 400, "token", "invalid_token")
	refused(t, accept("a token"), 400, "token", "invalid_token")
	refused(t, accept(map[string]any{"token": "0123456789abcdef"}), 400, "token", "invalid_token")
	before := countOf(t, app, "guardians")

	link := func(body any) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/guardians/link", cast.Tokens[hookstest.Admin], body)
	}
	refused(t, link("x"), 400, "student", "validation_required")
	refused(t, link(map[string]any{"student": cast.Users[hookstest.Tutor], "guardian": gina.id}), 400, "student", "not_a_student")
	refused(t, link(map[string]any{"student": "nobody@test.localhost", "guardian": gina.id}), 400, "student", "not_a_student")
	refused(t, link(map[string]any{"student": cast.Users[hookstest.Student], "guardian": gina.id}), 400, "guardian", "already_guardian")
	require.Equal(t, before, countOf(t, app, "guardians"), "nothing written")

	// the invited student is not the one who accepts: an invitation a
	// guardian already holds for that student is refused, once linked
	secret := invite(t, app, srv, cast.Tokens[hookstest.Student], "gina.work@test.localhost")
	refused(t, accept(map[string]any{"token": secret}), 400, "token", "already_guardian")
	require.EqualValues(t, 1, countOf(t, app, "guardians", dbx.HashExp{"email": "gina.work@test.localhost", "status": "invited"}), "the invitation stays open")
}

// TestGuardianChildBadInput: a child's profile needs a name and a past
// birth date in YYYY-MM-DD; a bad one writes no account, profile or link.
func TestGuardianChildBadInput(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	gina := addPerson(t, app, "gina@test.localhost", "Gina Guardian", "guardian")
	users, students := countOf(t, app, "users"), countOf(t, app, "students")
	add := func(body any) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/guardians/children", gina.token, body)
	}
	refused(t, add("Leo"), 400, "name", "validation_required")
	refused(t, add(map[string]any{"name": "   "}), 400, "name", "validation_required")
	refused(t, add(map[string]any{"name": "Leo", "birth_date": "02/04/2015"}), 400, "birth_date", "validation_invalid_date")
	refused(t, add(map[string]any{"name": "Leo", "birth_date": cast.Now().AddDate(0, 0, 2).Format("2006-01-02")}), 400, "birth_date", "validation_invalid_date")
	require.Equal(t, users, countOf(t, app, "users"))
	require.Equal(t, students, countOf(t, app, "students"))
	require.Zero(t, countOf(t, app, "guardians", dbx.HashExp{"guardian": gina.id}))
	res := hookstest.Call(t, srv, http.MethodPost, "/api/guardians/children", cast.Tokens[hookstest.Tutor], map[string]any{"name": "Leo"})
	require.Equal(t, 403, res.Status, "only guardians add children: %s", res.Body)
	require.Equal(t, users, countOf(t, app, "users"))
}

// TestGuardianRemoveMore: an unknown link is not found; a student
// withdraws their own open invitation; a guardian steps down from a child
// who keeps another guardian; eight removals of one link at once end it
// once.
func TestGuardianRemoveMore(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()
	remove := func(id, token string) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/guardians/"+id+"/remove", token, nil)
	}
	require.Equal(t, 404, remove("nosuchlink0000", cast.Tokens[hookstest.Admin]).Status)
	require.Equal(t, 401, remove(cast.IDs["guardian_invite"], "").Status)
	require.Equal(t, 404, remove(cast.IDs["guardian_invite"], gina.token).Status, "another's invitation")
	require.Equal(t, 204, remove(cast.IDs["guardian_invite"], cast.Tokens[hookstest.Student]).Status, "the student withdraws their invitation")
	require.Zero(t, countOf(t, app, "guardians", dbx.HashExp{"id": cast.IDs["guardian_invite"]}))

	res := hookstest.Call(t, srv, http.MethodPost, "/api/guardians/children", gina.token, map[string]any{"name": "Leo"})
	require.Equal(t, 200, res.Status, string(res.Body))
	leo := res.JSON()["id"].(string)
	gus := addPerson(t, app, "gus@test.localhost", "Gus Guardian", "guardian")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/link", cast.Tokens[hookstest.Admin], map[string]any{"student": leo, "guardian": gus.id})
	require.Equal(t, 200, res.Status, string(res.Body))
	ginaLink, err := app.FindFirstRecordByFilter("guardians", "student = {:s} && guardian = {:g}", dbx.Params{"s": leo, "g": gina.id})
	require.NoError(t, err)
	require.Equal(t, 204, remove(ginaLink.Id, gina.token).Status, "Leo keeps Gus")
	refused(t, remove(res.JSON()["id"].(string), gus.token), 400, "guardian", "last_guardian")

	link, err := app.FindFirstRecordByData("guardians", "guardian", gina.id)
	require.NoError(t, err)
	rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/guardians/"+link.Id+"/remove", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, map[int]int{204: 1, 404: 7}, hookstest.Statuses(rs))
	require.EqualValues(t, 1, countOf(t, app, "audit_log", dbx.HashExp{"action": "guardian.remove", "record": link.Id}), "one removal audited")
}

// TestGuardianNoticesAndListRefusals: the notices switch of an unknown
// link is not found and needs {"on": bool}; a guardian's bookings list
// answers a bad filter with a 400, never a 500.
func TestGuardianNoticesAndListRefusals(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodPost, "/api/guardians/nosuchlink0000/notices", gina.token, map[string]any{"on": false}).Status)
	link, err := app.FindFirstRecordByData("guardians", "guardian", gina.id)
	require.NoError(t, err)
	path := "/api/guardians/" + link.Id + "/notices"
	refused(t, hookstest.Call(t, srv, http.MethodPost, path, gina.token, "off"), 400, "on", "validation_required")
	refused(t, hookstest.Call(t, srv, http.MethodPost, path, gina.token, map[string]any{"on": nil}), 400, "on", "validation_required")
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodPost, "/api/guardians/"+cast.IDs["guardian_invite"]+"/notices", gina.token, map[string]any{"on": false}).Status,
		"an open invitation has no guardian yet")
	link, err = app.FindRecordById("guardians", link.Id)
	require.NoError(t, err)
	require.False(t, link.GetBool("muted"), "unchanged")

	res := hookstest.Call(t, srv, http.MethodGet, bookingsURL+"?filter="+url.QueryEscape("start >>> 'x'"), gina.token, nil)
	require.Equal(t, 400, res.Status, string(res.Body))
	res = hookstest.Call(t, srv, http.MethodGet, bookingsURL+"?sort=-start&perPage=2", gina.token, nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Len(t, res.JSON()["items"], 2, "paged like PocketBase's list")
	require.EqualValues(t, 4, res.JSON()["totalItems"])
}

// TestGuardianEdges: an invitation whose email cannot be sent still
// stands (the inviter sees it open and may send it again); nobody accepts
// an invitation to guard themselves, even after their account became a
// guardian's; a student without a recorded profile is not known to be an
// adult, so cannot remove their guardian.
func TestGuardianEdges(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()

	sent := app.TestMailer.TotalSend()
	app.OnMailerSend().BindFunc(func(e *core.MailerEvent) error { return errors.New("the SMTP server is down") })
	res := hookstest.Call(t, srv, http.MethodPost, "/api/guardians/invite", cast.Tokens[hookstest.Student2], map[string]any{"email": "gil@test.localhost"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, sent, app.TestMailer.TotalSend(), "nothing was sent")
	require.EqualValues(t, 1, countOf(t, app, "guardians", dbx.HashExp{"email": "gil@test.localhost", "status": "invited"}), "the invitation is open")

	// Otto, once a student, now a guardian, cannot accept his own invitation
	open, err := app.FindFirstRecordByData("guardians", "email", "gil@test.localhost")
	require.NoError(t, err)
	_, err = app.DB().Update("guardians", dbx.Params{"token_hash": mfa.Hash("otto-secret")}, dbx.HashExp{"id": open.Id}).Execute()
	require.NoError(t, err)
	otto := reloaded(t, app, "users", cast.Users[hookstest.Student2])
	otto.Set("role", "guardian")
	require.NoError(t, app.Save(otto))
	refused(t, hookstest.Call(t, srv, http.MethodPost, "/api/guardians/accept", cast.Tokens[hookstest.Student2], map[string]any{"token": "otto-secret"}), 400, "token", "invalid_token")
	require.Equal(t, "invited", reloaded(t, app, "guardians", open.Id).GetString("status"))

	profile, err := app.FindFirstRecordByData("students", "user", cast.Users[hookstest.Student])
	require.NoError(t, err)
	require.NoError(t, app.Delete(profile))
	link, err := app.FindFirstRecordByData("guardians", "guardian", gina.id)
	require.NoError(t, err)
	refused(t, hookstest.Call(t, srv, http.MethodPost, "/api/guardians/"+link.Id+"/remove", cast.Tokens[hookstest.Student], nil), 403, "student", "not_adult")
	require.EqualValues(t, 1, countOf(t, app, "guardians", dbx.HashExp{"id": link.Id}))
}
