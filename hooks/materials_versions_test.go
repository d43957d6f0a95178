package hooks_test

import (
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// A new version of a material is a record of its own: the one before is
// kept (no longer latest), the new one has the next number, points at the
// one before and at the first, and is shared like them. Students list the
// newest and open the history; the versions are shared, moved and deleted
// together.
func TestMaterialVersions(t *testing.T) {
	t.Parallel()
	app, srv := materialsApp(t)
	student := cast.Users[hookstest.Student]
	v1 := mustMaterial(t, srv, hookstest.Tutor, materialForm{
		fields: map[string]string{"title": "Algebra sheet", "folder": "Week 1", "shared_with": student}, name: "algebra.pdf", data: []byte("first"),
	})
	id1 := v1["id"].(string)

	// the next version takes the sharing and folder of the one before,
	// whatever the form says
	v2 := mustMaterial(t, srv, hookstest.Tutor, materialForm{
		fields: map[string]string{"title": "Algebra sheet (corrected)", "previous": id1, "folder": "Elsewhere"}, name: "algebra-2.pdf", data: []byte("second"),
	})
	id2 := v2["id"].(string)
	require.EqualValues(t, 2, v2["version"])
	require.Equal(t, true, v2["latest"])
	require.Equal(t, id1, v2["previous"])
	require.Equal(t, id1, v2["root"])
	require.Equal(t, "Week 1", v2["folder"])
	require.Equal(t, []any{student}, v2["shared_with"])
	old, err := app.FindRecordById("materials", id1)
	require.NoError(t, err)
	require.False(t, old.GetBool("latest"), "the first is kept, no longer the newest")
	require.Equal(t, "first", readStored(t, app, old), "with its file")

	v3 := mustMaterial(t, srv, hookstest.Tutor, materialForm{fields: map[string]string{"title": "Algebra sheet v3", "previous": id2}, name: "algebra-3.pdf", data: []byte("third")})
	id3 := v3["id"].(string)
	require.EqualValues(t, 3, v3["version"])
	require.Equal(t, id1, v3["root"], "every version points at the first")

	for name, f := range map[string]materialForm{
		"a version of an older version": {fields: map[string]string{"title": "Late", "previous": id1}, name: "late.pdf", data: []byte("x")},
	} {
		res := postMaterial(t, srv, hookstest.Tutor, f)
		require.Equal(t, 409, res.Status, "%s: %s", name, res.Body)
		require.Contains(t, string(res.Body), `"previous":{"code":"stale_version"`)
	}
	res := postMaterial(t, srv, hookstest.Tutor2, materialForm{fields: map[string]string{"title": "Mine now", "previous": id3}, name: "x.pdf", data: []byte("x")})
	require.Equal(t, 400, res.Status, "another tutor's material: the create rule: %s", res.Body)
	res = postMaterial(t, srv, hookstest.Student, materialForm{fields: map[string]string{"title": "Mine now", "previous": id3}, name: "x.pdf", data: []byte("x")})
	require.Equal(t, 400, res.Status, "a student: %s", res.Body)

	// the student sees the newest in the list and the whole history
	list := func(role, filter string) []any {
		res := hookstest.Call(t, srv, http.MethodGet, materialsURL+"?sort=-version&filter="+urlQuery(filter), cast.Tokens[role], nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		return res.JSON()["items"].([]any)
	}
	latest := list(hookstest.Student, `latest = true && folder = "Week 1"`)
	require.Len(t, latest, 1)
	require.Equal(t, id3, latest[0].(map[string]any)["id"])
	history := list(hookstest.Student, `id = "`+id1+`" || root = "`+id1+`"`)
	require.Len(t, history, 3)
	require.Empty(t, list(hookstest.Student2, `id = "`+id1+`" || root = "`+id1+`"`), "not the other student's")

	// a file or link of a version is never replaced in place
	body, ct := materialForm{name: "swap.pdf", data: []byte("swap")}.encode(t)
	res = send(t, srv, http.MethodPatch, materialsURL+"/"+id3, cast.Tokens[hookstest.Tutor], body, ct)
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"file":{"code":"immutable"`)

	// sharing the newest with the other student shares its history too;
	// unsharing with the first takes the history away from them
	res = hookstest.Call(t, srv, http.MethodPatch, materialsURL+"/"+id3, cast.Tokens[hookstest.Tutor], map[string]any{"shared_with": []string{}})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Empty(t, list(hookstest.Student, `id = "`+id1+`" || root = "`+id1+`"`))
	res = hookstest.Call(t, srv, http.MethodPatch, materialsURL+"/"+id2, cast.Tokens[hookstest.Tutor], map[string]any{"folder": "Week 2"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, 3, countMaterials(t, app, `folder = "Week 2"`), "moved together")

	// deleting the material deletes every version, files and downloads
	files := storedFiles(t, app)
	res = hookstest.Call(t, srv, http.MethodDelete, materialsURL+"/"+id2, cast.Tokens[hookstest.Tutor], nil)
	require.Equal(t, 204, res.Status, string(res.Body))
	require.Zero(t, countMaterials(t, app, "id = {:a} || root = {:a}", dbx.Params{"a": id1}))
	require.Eventually(t, func() bool { return storedFiles(t, app) == files-3 }, fileWait, tick, "the three files are removed")
}

// Identical new versions of one material sent at once: one is added, the
// others are refused with 409 and leave nothing behind (their records and
// files are removed). The versions stay a line: one latest, numbered 1, 2.
func TestRacingNewVersions(t *testing.T) {
	t.Parallel()
	for round := range 3 {
		app, srv := materialsApp(t)
		v1 := mustMaterial(t, srv, hookstest.Tutor, materialForm{fields: map[string]string{"title": "Essay"}, name: "essay.pdf", data: []byte("v1")})
		id1 := v1["id"].(string)
		files := storedFiles(t, app)
		rs := make([]hookstest.Response, racers)
		hookstest.Together(racers, func(i int) {
			body, ct := materialForm{fields: map[string]string{"owner": cast.Users[hookstest.Tutor], "title": "Essay v2", "previous": id1}, name: "essay-2.pdf", data: []byte("v2")}.encode(t)
			rs[i] = send(t, srv, http.MethodPost, materialsURL, cast.Tokens[hookstest.Tutor], body, ct)
		})
		oneWinner(t, rs, 409)
		for _, r := range rs {
			if r.Status == 409 {
				require.Contains(t, string(r.Body), `"previous":{"code":"stale_version"`, "round %d", round)
			}
		}
		require.Equal(t, 2, countMaterials(t, app, "id = {:a} || root = {:a}", dbx.Params{"a": id1}), "round %d: one new version", round)
		require.Equal(t, 1, countMaterials(t, app, "(id = {:a} || root = {:a}) && latest = true", dbx.Params{"a": id1}), "round %d: one newest", round)
		require.Eventually(t, func() bool { return storedFiles(t, app) == files+1 }, fileWait, tick, "round %d: the losers' files are gone", round)
	}
}

// A material attached to a lesson (every version of it) follows the lesson
// when it is rescheduled: the student finds it on the new lesson.
func TestMaterialFollowsARescheduledLesson(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	allDay(t, s.app, hookstest.Tutor2)
	b := s.book(t, hookstest.Student, "", 10, 9)
	require.Equal(t, 200, b.Status, string(b.Body))
	lesson := b.JSON()["id"].(string)
	v1 := mustMaterial(t, s.srv, hookstest.Tutor2, materialForm{fields: map[string]string{"title": "Lesson plan", "booking": lesson}, name: "plan.pdf", data: []byte("%PDF one")})
	v2 := mustMaterial(t, s.srv, hookstest.Tutor2, materialForm{fields: map[string]string{"title": "Lesson plan", "previous": v1["id"].(string)}, name: "plan.pdf", data: []byte("%PDF two")})
	require.Equal(t, lesson, v2["booking"])

	start, end := romeSlot(11, 9, 0, 60)
	moved := hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+lesson+"/reschedule", cast.Tokens[hookstest.Student], map[string]any{"start": start, "end": end})
	require.Equal(t, 200, moved.Status, string(moved.Body))
	to := moved.JSON()["id"].(string)
	require.NotEqual(t, lesson, to)
	for _, v := range []map[string]any{v1, v2} {
		m, err := s.app.FindRecordById("materials", v["id"].(string))
		require.NoError(t, err)
		require.Equal(t, to, m.GetString("booking"), "version %v", m.GetInt("version"))
	}
	res := hookstest.Call(t, s.srv, http.MethodGet, materialsURL+"?filter="+urlQuery(`latest = true && booking = "`+to+`"`), cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.EqualValues(t, 1, res.JSON()["totalItems"], "on the new lesson's page")
}
