package hooks_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestSuperuserLinksAGuardian: a superuser (not a users record) links a
// guardian to a student and invites one; the link records no inviter.
// Eight links at once make one.
func TestSuperuserLinksAGuardian(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	gina := addPerson(t, app, "gina@test.localhost", "Gina Guardian", "guardian")
	su := cast.Tokens[hookstest.Superuser]

	rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/guardians/link", su,
		map[string]any{"student": cast.Users[hookstest.Student], "guardian": gina.id})
	require.Equal(t, map[int]int{200: 1, 400: 7}, hookstest.Statuses(rs), "one link, the others already_guardian")
	link, err := app.FindFirstRecordByData("guardians", "guardian", gina.id)
	require.NoError(t, err)
	require.Equal(t, "accepted", link.GetString("status"))
	require.Empty(t, link.GetString("invited_by"), "a superuser is not a users record")
	require.Equal(t, 1, countRecords(t, app, "guardians", dbx.HashExp{"guardian": gina.id}))
	require.Equal(t, 4, listCount(t, srv, "bookings", gina.token), "the guardian reads the student's lessons")

	res := hookstest.Call(t, srv, http.MethodPost, "/api/guardians/invite", su,
		map[string]any{"email": "other.parent@test.localhost", "student": cast.Users[hookstest.Student]})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Empty(t, res.JSON()["invited_by"])
}

// peopleIDs reads the thread as token and answers the ids its people
// names (nil when the caller cannot read it).
func peopleIDs(t *testing.T, call func(string) hookstest.Response, token string) []string {
	t.Helper()
	res := call(token)
	if res.Status == 404 {
		return nil
	}
	require.Equal(t, 200, res.Status, string(res.Body))
	ids := []string{}
	people, _ := res.JSON()["people"].([]any) // null before anyone named them
	for _, p := range people {
		ids = append(ids, p.(map[string]any)["id"].(string))
	}
	return ids
}

// TestGuardianJoinsTheirStudentsThreads: a guardian linked after their
// student's threads were made is named in them (and reads them, and hears
// their messages live) as soon as the link is made — by staff, by an
// accepted invitation —, and no longer once it ends; a thread started at
// the same moment as a link names the guardian too.
func TestGuardianJoinsTheirStudentsThreads(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	thread := cast.IDs["thread"]
	get := func(token string) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodGet, "/api/collections/threads/records/"+thread, token, nil)
	}
	gina := addPerson(t, app, "gina@test.localhost", "Gina Guardian", "guardian")
	live := hookstest.Subscribe(t, srv, gina.token, "messages/*", "threads/*")
	require.Nil(t, peopleIDs(t, get, gina.token), "not a guardian yet")

	res := hookstest.Call(t, srv, http.MethodPost, "/api/guardians/link", cast.Tokens[hookstest.Admin],
		map[string]any{"student": cast.Users[hookstest.Student], "guardian": gina.id})
	require.Equal(t, 200, res.Status, string(res.Body))
	link := res.JSON()["id"].(string)
	require.Contains(t, peopleIDs(t, get, gina.token), gina.id, "staff's link names the guardian")
	require.Contains(t, peopleIDs(t, get, cast.Tokens[hookstest.Tutor]), gina.id, "the tutor sees who reads")
	ev, ok := live.Until("threads/*", 5*time.Second)
	require.True(t, ok, "the guardian's list hears of the thread")
	require.Equal(t, thread, ev.Data["record"].(map[string]any)["id"])

	require.Equal(t, 200, sendMessage(t, srv, cast.Tokens[hookstest.Tutor], cast.Users[hookstest.Tutor], thread, "Welcome, Gina").Status)
	ev, ok = live.Until("messages/*", 5*time.Second)
	require.True(t, ok, "the newly linked guardian hears the message live")
	require.Equal(t, "Welcome, Gina", ev.Data["record"].(map[string]any)["body"])
	require.Equal(t, 200, sendMessage(t, srv, gina.token, gina.id, thread, "Thank you").Status, "and writes in it")

	require.Equal(t, 204, hookstest.Call(t, srv, http.MethodPost, "/api/guardians/"+link+"/remove", cast.Tokens[hookstest.Admin], nil).Status)
	require.NotContains(t, peopleIDs(t, get, cast.Tokens[hookstest.Tutor]), gina.id, "unlinked: no longer named")
	require.Nil(t, peopleIDs(t, get, gina.token), "nor reading")

	// an accepted invitation names them again
	secret := invite(t, app, srv, cast.Tokens[hookstest.Student], "gina@test.localhost")
	require.NotContains(t, peopleIDs(t, get, cast.Tokens[hookstest.Tutor]), gina.id, "an open invitation names nobody")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/accept", gina.token, map[string]any{"token": secret})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Contains(t, peopleIDs(t, get, cast.Tokens[hookstest.Tutor]), gina.id, "the accepted invitation names the guardian")

	// a thread started while a link is made names the guardian whichever
	// comes first (both are serialised writes)
	gil := addPerson(t, app, "gil@test.localhost", "Gil Guardian", "guardian")
	var wg sync.WaitGroup
	started := make([]hookstest.Response, 8)
	for i := range started {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started[i] = hookstest.Call(t, srv, http.MethodPost, "/api/threads", cast.Tokens[hookstest.Student], map[string]any{"to": cast.Users[hookstest.Tutor2]})
		}()
	}
	var linked hookstest.Response
	wg.Add(1)
	go func() {
		defer wg.Done()
		linked = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/link", cast.Tokens[hookstest.Superuser],
			map[string]any{"student": cast.Users[hookstest.Student], "guardian": gil.id})
	}()
	wg.Wait()
	require.Equal(t, 200, linked.Status, string(linked.Body))
	for _, r := range started {
		require.Equal(t, 200, r.Status, string(r.Body))
	}
	other := started[0].JSON()["id"].(string)
	ids := peopleIDs(t, func(token string) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodGet, "/api/collections/threads/records/"+other, token, nil)
	}, cast.Tokens[hookstest.Tutor2])
	require.Contains(t, ids, gil.id)
	require.Contains(t, ids, gina.id)
	require.Contains(t, peopleIDs(t, get, cast.Tokens[hookstest.Tutor]), gil.id)
}
