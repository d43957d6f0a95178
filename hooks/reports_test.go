package hooks_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

func TestReports(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	s.buy(t, hookstest.Student) // one paid package this week
	now := time.Now().In(rome)
	monday := time.Date(now.Year(), now.Month(), now.Day()-(int(now.Weekday())+6)%7, 0, 0, 0, 0, rome)
	from := monday.AddDate(0, 0, -21).Format(time.DateOnly)
	to := monday.AddDate(0, 0, 21).Format(time.DateOnly)
	get := func(role, name, query string) hookstest.Response {
		return hookstest.Call(t, s.srv, http.MethodGet, "/api/reports/"+name+"?from="+from+"&to="+to+query, cast.Tokens[role], nil)
	}

	res := get(hookstest.Admin, "bookings", "")
	require.Equal(t, 200, res.Status, string(res.Body))
	rows := res.JSON()["rows"].([]any)
	require.Len(t, rows, 6, "six ISO weeks")
	var total, completed float64
	for _, r := range rows {
		total += r.(map[string]any)["total"].(float64)
		completed += r.(map[string]any)["completed"].(float64)
	}
	require.EqualValues(t, 4, total, "the fixture's lessons")
	require.EqualValues(t, 2, completed)

	res = get(hookstest.Admin, "revenue", "")
	require.Equal(t, 200, res.Status)
	var paid float64
	for _, r := range res.JSON()["rows"].([]any) {
		paid += r.(map[string]any)["paid"].(float64)
	}
	require.EqualValues(t, 48000, paid, "the fixture's package (300.00) and the one bought here")
	require.Contains(t, string(res.Body), `"currency":"EUR"`)

	res = get(hookstest.Admin, "cancellations", "&format=csv")
	require.Equal(t, 200, res.Status)
	require.True(t, strings.HasPrefix(string(res.Body), "week,start,by_student,by_student_late,by_tutor,by_staff,expired\n"), string(res.Body))

	res = get(hookstest.Admin, "notifications", "")
	require.Equal(t, 200, res.Status)
	require.Contains(t, string(res.Body), `"channel":"inapp"`)

	require.Equal(t, 403, get(hookstest.Student, "bookings", "").Status)
	require.Equal(t, 401, get(hookstest.Visitor, "bookings", "").Status)
	require.Equal(t, 404, get(hookstest.Admin, "salaries", "").Status)
	bad := hookstest.Call(t, s.srv, http.MethodGet, "/api/reports/bookings?from=yesterday&to="+from, cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 400, bad.Status)
	require.Contains(t, string(bad.Body), `"from":{"code":"validation_invalid_date"`)
	long := hookstest.Call(t, s.srv, http.MethodGet, "/api/reports/bookings?from=2020-01-01&to=2027-01-01", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 400, long.Status)
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	cfg := hookstest.Config
	cfg.MetricsToken = "scrape-me"
	app := cast.CloneWith(t, cfg)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	require.Equal(t, 401, hookstest.Call(t, srv, http.MethodGet, "/metrics", "", nil).Status)
	require.Equal(t, 401, hookstest.Call(t, srv, http.MethodGet, "/metrics", cast.Tokens[hookstest.Admin], nil).Status)
	require.Equal(t, 401, hookstest.Call(t, srv, http.MethodGet, "/metrics", "Bearer wrong", nil).Status)
	res := hookstest.Call(t, srv, http.MethodGet, "/metrics", "Bearer scrape-me", nil)
	require.Equal(t, 200, res.Status)
	require.Contains(t, string(res.Body), `tutorbase_bookings{status="completed"} 2`)
	require.Contains(t, string(res.Body), "\ntutorbase_notifications_owed 0\n")
	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, "/metrics", cast.Tokens[hookstest.Superuser], nil).Status)
}
