package hooks_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestPageVisits: anonymous page views count per day and route, with no
// cookie; signed-in people and do-not-track browsers are not counted;
// eight views at once count eight; the day's conversion report starts
// from them; made-up routes beyond the day's cap count as "other".
func TestPageVisits(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	count := func(path string) int {
		var n int
		_ = app.DB().NewQuery("SELECT COALESCE(SUM(count), 0) FROM page_visits WHERE path = {:p}").Bind(dbx.Params{"p": path}).Row(&n)
		return n
	}
	for _, r := range hookstest.Fire(t, srv, 8, http.MethodPost, "/api/visits", "", map[string]any{"path": "/tutors/:id"}) {
		require.Equal(t, 204, r.Status, string(r.Body))
	}
	require.Equal(t, 8, count("/tutors/:id"), "eight views at once, eight counted")

	req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/visits", nil)
	require.NoError(t, err)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/visits", "", map[string]any{"path": "/"})
	require.Equal(t, 204, res.Status)
	raw, err := srv.Client().Do(req)
	require.NoError(t, err)
	raw.Body.Close()
	require.Empty(t, raw.Header.Values("Set-Cookie"), "no cookie")
	require.Equal(t, 204, hookstest.Call(t, srv, http.MethodPost, "/api/visits", cast.Tokens[hookstest.Student], map[string]any{"path": "/"}).Status)
	require.Equal(t, 204, hookstest.CallWith(t, srv, http.MethodPost, "/api/visits", "", map[string]any{"path": "/"}, map[string]string{"DNT": "1"}).Status)
	require.Equal(t, 204, hookstest.CallWith(t, srv, http.MethodPost, "/api/visits", "", map[string]any{"path": "/"}, map[string]string{"Sec-GPC": "1"}).Status)
	require.Equal(t, 1, count("/"), "only the anonymous, trackable view")

	for _, bad := range []any{map[string]any{"path": "https://elsewhere.example/"}, map[string]any{"path": "/tutors?ref=mail"}, map[string]any{}, "x"} {
		res := hookstest.Call(t, srv, http.MethodPost, "/api/visits", "", bad)
		require.Equal(t, 400, res.Status, fmt.Sprint(bad))
		require.Contains(t, string(res.Body), `"path":{"code":"bad_path","message":"Send the page's route, like /tutors/:id."`)
	}

	today := cast.Now().In(rome)
	from := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, rome)
	conv := hookstest.Call(t, srv, http.MethodGet, "/api/reports/conversion?from="+from.Format(time.DateOnly)+"&to="+from.AddDate(0, 0, 1).Format(time.DateOnly),
		cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, conv.Status, string(conv.Body))
	require.EqualValues(t, 9, conv.JSON()["rows"].([]any)[0].(map[string]any)["people"], "today's visits")

	for i := range 200 {
		require.Equal(t, 204, hookstest.Call(t, srv, http.MethodPost, "/api/visits", "", map[string]any{"path": fmt.Sprintf("/made-up/%d", i)}).Status)
	}
	var paths int
	require.NoError(t, app.DB().NewQuery("SELECT COUNT(*) FROM page_visits").Row(&paths))
	require.Equal(t, 201, paths, "at most 200 paths a day, and other")
	require.Equal(t, 2, count("other"), "the two made-up paths beyond the cap")
	require.Equal(t, 9, count("/tutors/:id")+count("/"), "the real ones untouched")
}
