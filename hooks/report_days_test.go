package hooks_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/require"
)

// reportDays is the report_days table, its rows with a count.
func reportDays(t *testing.T, app core.App) []dbx.NullStringMap {
	t.Helper()
	var rows []dbx.NullStringMap
	require.NoError(t, app.DB().NewQuery("SELECT * FROM "+migrations.ReportDays+
		" WHERE total != 0 OR by_staff != 0 OR expired != 0 ORDER BY day, subject").All(&rows))
	return rows
}

// requireRecount checks that the triggers' running totals equal the
// bookings counted again from scratch.
func requireRecount(t *testing.T, app core.App, loc *time.Location) {
	t.Helper()
	kept := reportDays(t, app)
	require.NotEmpty(t, kept)
	require.NoError(t, app.RunInTransaction(func(tx core.App) error { return migrations.RebuildReportDays(tx, loc) }))
	require.Equal(t, kept, reportDays(t, app), "the kept totals are the bookings' counts")
}

// TestReportDaysFollowEveryChange: the per-day totals the weekly reports
// read (report_days) follow every write of a booking — saves through the
// app, eight at once, raw UPDATEs (a cancellation's reason, a lesson's start), a delete — and the
// school's change of zone, which puts a lesson in its new local week; the
// reports without a tutor (read from the totals) agree with those with one
// (read from the lessons).
func TestReportDaysFollowEveryChange(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	now := cast.Now().In(rome)
	monday := time.Date(now.Year(), now.Month(), now.Day()-(int(now.Weekday())+6)%7, 0, 0, 0, 0, rome).AddDate(0, 0, -42)
	student, tutor, tutorUser := cast.Users[hookstest.Student2], cast.Tutors[hookstest.Tutor2], cast.Users[hookstest.Tutor2]
	lesson := func(start time.Time, status string, fields map[string]any) *core.Record {
		data := map[string]any{"tutor": tutor, "student": student, "start": start, "end": start.Add(time.Hour), "status": status}
		for k, v := range fields {
			data[k] = v
		}
		return saveImported(t, app, "bookings", data)
	}
	var wg sync.WaitGroup
	for i := range 8 { // eight writers at once, each a lesson on its own day
		wg.Add(1)
		go func() {
			defer wg.Done()
			lesson(monday.AddDate(0, 0, i).Add(10*time.Hour), "completed", nil)
		}()
	}
	wg.Wait()
	late := lesson(monday.Add(9*time.Hour), "cancelled", map[string]any{"cancelled_by": student, "late_cancel": true})
	moved := lesson(monday.Add(12*time.Hour), "cancelled", map[string]any{"cancelled_by": tutorUser})
	gone := lesson(monday.Add(13*time.Hour), "no_show", nil)
	edge := lesson(monday.AddDate(0, 0, 14).Add(30*time.Minute), "confirmed", nil) // Monday 00:30 in Rome: Sunday in New York
	_, err := app.NonconcurrentDB().NewQuery("UPDATE bookings SET cancel_reason = 'expired', cancelled_by = '' WHERE id = {:id}").
		Bind(dbx.Params{"id": late.Id}).Execute()
	require.NoError(t, err)
	// the app never moves a lesson (a reschedule is a new one); a raw write does
	_, err = app.NonconcurrentDB().Update("bookings", dbx.Params{"start": monday.AddDate(0, 0, 7).Add(12 * time.Hour).UTC().Format(types.DefaultDateLayout),
		"end": monday.AddDate(0, 0, 7).Add(13 * time.Hour).UTC().Format(types.DefaultDateLayout)}, dbx.HashExp{"id": moved.Id}).Execute()
	require.NoError(t, err)
	require.NoError(t, app.Delete(gone))
	requireRecount(t, app, rome)

	get := func(name string, from time.Time, weeks int, kv ...string) []map[string]any {
		t.Helper()
		path := "/api/reports/" + name + "?from=" + from.Format(time.DateOnly) + "&to=" + from.AddDate(0, 0, 7*weeks).Format(time.DateOnly)
		for i := 0; i+1 < len(kv); i += 2 {
			path += "&" + kv[i] + "=" + kv[i+1]
		}
		res := hookstest.Call(t, srv, http.MethodGet, path, cast.Tokens[hookstest.Admin], nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		var rows []map[string]any
		for _, r := range res.JSON()["rows"].([]any) {
			rows = append(rows, r.(map[string]any))
		}
		return rows
	}
	counts := func(rows []map[string]any, keys ...string) [][]float64 {
		out := make([][]float64, len(rows))
		for i, r := range rows {
			for _, k := range keys {
				out[i] = append(out[i], r[k].(float64))
			}
		}
		return out
	}
	b := get("bookings", monday, 3)
	require.Equal(t, [][]float64{{8, 7, 1, 1, 0}, {2, 1, 1, 0, 0}, {1, 0, 0, 0, 0}}, counts(b, "total", "completed", "cancelled", "late_cancelled", "no_show"),
		"week 1: seven lessons and the expired one; week 2: the eighth and the moved one; week 3: the edge")
	require.Equal(t, counts(b, "total", "completed", "cancelled"), counts(get("bookings", monday, 3, "tutor", tutor), "total", "completed", "cancelled"),
		"only the tutor's lessons there")
	c := get("cancellations", monday, 2)
	require.Equal(t, [][]float64{{0, 0, 0, 0, 1}, {0, 0, 1, 0, 0}}, counts(c, "by_student", "by_student_late", "by_tutor", "by_staff", "expired"))
	require.Equal(t, counts(c, "by_tutor", "expired"), counts(get("cancellations", monday, 2, "tutor", tutor), "by_tutor", "expired"))

	// the school moves to New York: the edge lesson is on Sunday there, in week 2
	res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/school/records/"+migrations.SchoolId, cast.Tokens[hookstest.Admin],
		map[string]any{"timezone": "America/New_York"})
	require.Equal(t, 200, res.Status, string(res.Body))
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	requireRecount(t, app, ny)
	nyMonday := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, ny)
	b = get("bookings", nyMonday, 3)
	require.Equal(t, [][]float64{{8}, {3}, {0}}, counts(b, "total"), "the edge lesson (%s) is in week 2 in New York", edge.GetDateTime("start"))
	require.Equal(t, counts(b, "total", "completed", "cancelled"), counts(get("bookings", nyMonday, 3, "tutor", tutor), "total", "completed", "cancelled"))
}
