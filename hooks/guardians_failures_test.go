package hooks_test

import (
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestGuardianWritesThatFailChangeNothing: when a write of a family
// change fails on our side, the request is refused without the internal
// error and nothing of it is left: a child's account, profile and link
// are written together or not at all, a staff link and a guardian's
// choice of notices are not half made.
func TestGuardianWritesThatFailChangeNothing(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()
	f := injectFaults(app)
	people := countOf(t, app, "users")
	links := countOf(t, app, "guardians")

	for _, broken := range [][2]string{{"guardians", "create"}, {"students", "update"}} {
		f.Break(broken[0], broken[1])
		res := hookstest.Call(t, srv, http.MethodPost, "/api/guardians/children", gina.token, map[string]any{"name": "Leo Guardian", "birth_date": "2015-04-02"})
		refusedSafely(t, res)
		require.Equal(t, people, countOf(t, app, "users"), "no child account when %s %s fails", broken[0], broken[1])
		require.Equal(t, links, countOf(t, app, "guardians"))
		f.Mend()
	}

	gino := addPerson(t, app, "gino@test.localhost", "Gino Guardian", "guardian")
	f.Break("guardians", "create")
	res := hookstest.Call(t, srv, http.MethodPost, "/api/guardians/link", cast.Tokens[hookstest.Admin],
		map[string]any{"student": cast.Users[hookstest.Student], "guardian": gino.id})
	refusedSafely(t, res)
	require.Zero(t, countOf(t, app, "guardians", dbx.HashExp{"guardian": gino.id}))
	f.Mend()

	link, err := app.FindFirstRecordByData("guardians", "guardian", gina.id)
	require.NoError(t, err)
	f.Break("guardians", "update")
	res = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/"+link.Id+"/notices", gina.token, map[string]any{"on": false})
	refusedSafely(t, res)
	link, err = app.FindRecordById("guardians", link.Id)
	require.NoError(t, err)
	require.False(t, link.GetBool("muted"), "still hearing of the lessons")
	f.Mend()
	res = hookstest.Call(t, srv, http.MethodPost, "/api/guardians/"+link.Id+"/notices", gina.token, map[string]any{"on": false})
	require.Equal(t, 200, res.Status, "mended: %s", res.Body)
}
