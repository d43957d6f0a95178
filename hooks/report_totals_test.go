package hooks_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// reportTotalsKeys are the totals tables the tutors, utilisation,
// conversion, retention and students reports read, with their key count.
var reportTotalsKeys = map[string]int{migrations.ReportTutorDays: 3, migrations.ReportStudentMonths: 4, migrations.ReportStudentDays: 4}

// reportTotals is each totals table's rows that count something, in order.
func reportTotals(t *testing.T, app core.App) map[string][]dbx.NullStringMap {
	t.Helper()
	out := map[string][]dbx.NullStringMap{}
	for table, keys := range reportTotalsKeys {
		var rows []dbx.NullStringMap
		require.NoError(t, app.DB().NewQuery("SELECT * FROM "+table+" ORDER BY 1, 2, 3, 4").All(&rows))
		for _, r := range rows {
			counts := 0
			for col, v := range r {
				if col != "day" && col != "month" && col != "student" && col != "tutor" && col != "subject" && v.String != "0" {
					counts++
				}
			}
			if counts > 0 {
				out[table] = append(out[table], r)
			}
		}
		require.NotEmpty(t, out[table], "%s (%d keys)", table, keys)
	}
	return out
}

// reportOutputs is every report the totals serve, over the period and
// with each filter, as JSON rows.
func reportOutputs(t *testing.T, srv *httptest.Server, d *insightData, from, to string) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, name := range []string{"conversion", "retention", "utilisation", "tutors", "students"} {
		for _, f := range [][]string{nil, {"tutor", d.tutor}, {"subject", d.physics}, {"subject", d.maths}, {"tutor", d.tutor, "subject", d.physics}} {
			q := reportQuery(from, to, f...)
			res := hookstest.Call(t, srv, http.MethodGet, "/api/reports/"+name+"?"+q.Encode(), cast.Tokens[hookstest.Admin], nil)
			require.Equal(t, 200, res.Status, string(res.Body))
			out[name+" "+q.Encode()] = res.JSON()["rows"]
		}
	}
	return out
}

// requireTotalsRecount checks that the triggers' running totals equal
// the bookings, reviews and lesson reports counted again from scratch,
// table by table and in every report and filter over the period.
func requireTotalsRecount(t *testing.T, app core.App, srv *httptest.Server, d *insightData, from, to string) {
	t.Helper()
	kept, reports := reportTotals(t, app), reportOutputs(t, srv, d, from, to)
	require.NoError(t, app.RunInTransaction(migrations.RebuildReportTotals))
	require.Equal(t, kept, reportTotals(t, app), "the kept totals are the rows' counts")
	require.Equal(t, reports, reportOutputs(t, srv, d, from, to), "the reports read the same from both")
}

// TestReportTotalsFollowEveryChange: the totals the tutors, utilisation,
// conversion, retention and students reports read follow every write —
// bookings saved eight at once, raw UPDATEs of a booking's status, start,
// student and subject, deletes; reviews hidden, re-rated, added and
// removed; lesson reports moved, re-dated and removed — and the school's
// change of zone; the reports (with and without a tutor or subject) read
// the same from them as from a recount.
func TestReportTotalsFollowEveryChange(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	d := buildInsightData(t, app)
	hookstest.NoRateLimits(app) // a hundred reports
	srv := hookstest.Serve(t, app)
	from, to := d.m0.AddDate(0, 0, -3).Format(time.DateOnly), d.m0.AddDate(0, 4, 0).Format(time.DateOnly)
	requireTotalsRecount(t, app, srv, d, from, to)

	sql := func(q string, p dbx.Params) {
		t.Helper()
		_, err := app.NonconcurrentDB().NewQuery(q).Bind(p).Execute()
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	for i := range 8 { // eight writers at once, each a lesson on its own day of the third month
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := d.m0.AddDate(0, 2, 10+i).Add(9 * time.Hour)
			subject := []string{d.physics, d.maths}[i%2]
			saveImported(t, app, "bookings", map[string]any{"tutor": d.tutor, "student": []string{d.b, d.c, d.d}[i%3], "subject": subject,
				"start": start, "end": start.Add(45 * time.Minute), "status": []string{"completed", "confirmed", "no_show"}[i%3]})
		}()
	}
	wg.Wait()
	requireTotalsRecount(t, app, srv, d, from, to)

	rewriteReviewsAndReports(t, app, d, sql)
	requireTotalsRecount(t, app, srv, d, from, to)

	rewriteBookings(t, app, d, sql)
	requireTotalsRecount(t, app, srv, d, from, to)

	// the school moves to New York: a lesson at 00:30 in Rome on the first of a month is in the month before there
	edge := time.Date(d.m0.Year(), d.m0.Month()+1, 1, 0, 30, 0, 0, rome)
	saveImported(t, app, "bookings", map[string]any{"tutor": d.tutor, "student": d.c, "subject": d.physics, "start": edge,
		"end": edge.Add(time.Hour), "status": "completed"})
	res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/school/records/"+migrations.SchoolId, cast.Tokens[hookstest.Admin],
		map[string]any{"timezone": "America/New_York"})
	require.Equal(t, 200, res.Status, string(res.Body))
	var months []string
	require.NoError(t, app.DB().NewQuery("SELECT month FROM "+migrations.ReportStudentMonths+" WHERE student = {:s} AND lessons > 0 ORDER BY month").
		Bind(dbx.Params{"s": d.c}).Column(&months))
	require.Contains(t, months, d.m0.Format("2006-01"), "the edge lesson is in the month before in New York")
	saveImported(t, app, "bookings", map[string]any{"tutor": d.tutor, "student": d.d, "subject": d.maths, "start": edge.AddDate(0, 0, 1),
		"end": edge.AddDate(0, 0, 1).Add(time.Hour), "status": "completed"})
	requireTotalsRecount(t, app, srv, d, from, to)
}

// rewriteReviewsAndReports changes reviews and lesson reports every way
// the totals must follow.
func rewriteReviewsAndReports(t *testing.T, app core.App, d *insightData, sql func(string, dbx.Params)) {
	// reviews: hidden through the app, re-rated and shown by raw writes, one added then removed
	review, err := app.FindFirstRecordByData("reviews", "booking", d.bookings["b1"])
	require.NoError(t, err)
	review.Set("hidden", true)
	require.NoError(t, app.Save(review))
	sql("UPDATE reviews SET rating = 2 WHERE booking = {:b}", dbx.Params{"b": d.bookings["a1"]})
	sql("UPDATE reviews SET hidden = FALSE, rating = 3 WHERE booking = {:b}", dbx.Params{"b": d.bookings["e1"]})
	added := saveImported(t, app, "reviews", map[string]any{"booking": d.bookings["a2"], "student": d.a, "tutor": d.tutor, "rating": 5})
	saveImported(t, app, "reviews", map[string]any{"booking": d.bookings["e2"], "student": d.e, "tutor": d.tutor, "rating": 4})
	require.NoError(t, app.Delete(added))
	// lesson reports: b1's re-dated (now on time), a2's moved to another day with its homework done, a1's removed,
	// one written for e1 then moved to e2
	sql("UPDATE lesson_reports SET created = updated WHERE booking = {:b}", dbx.Params{"b": d.bookings["b1"]})
	moved := dbx.Params{"b": d.bookings["a2"], "s": platform.DBTime(d.m0.AddDate(0, 1, 20).Add(8 * time.Hour))}
	sql("UPDATE lesson_reports SET lesson_start = {:s} WHERE booking = {:b}", moved)
	sql("UPDATE lesson_reports SET homework_done_at = {:s} WHERE booking = {:b}", moved)
	a1, err := app.FindFirstRecordByData("lesson_reports", "booking", d.bookings["a1"])
	require.NoError(t, err)
	require.NoError(t, app.Delete(a1))
	e1 := saveImported(t, app, "lesson_reports", map[string]any{"booking": d.bookings["e1"], "topics": "Waves", "homework": "Ex 3",
		"ratings": map[string]any{d.physics: 5}})
	sql("UPDATE lesson_reports SET booking = {:b} WHERE id = {:id}", dbx.Params{"b": d.bookings["e2"], "id": e1.Id})
}

// rewriteBookings changes bookings by raw writes and deletes them.
func rewriteBookings(t *testing.T, app core.App, d *insightData, sql func(string, dbx.Params)) {
	// bookings: raw changes of status, start, student and subject; deletes through the app and raw
	sql("UPDATE bookings SET status = 'completed' WHERE id = {:id}", dbx.Params{"id": d.bookings["d1"]})
	sql(`UPDATE bookings SET start = {:s}, "end" = {:e} WHERE id = {:id}`, dbx.Params{"id": d.bookings["a4"],
		"s": platform.DBTime(d.m0.AddDate(0, 3, 1).Add(10 * time.Hour)), "e": platform.DBTime(d.m0.AddDate(0, 3, 1).Add(12 * time.Hour))})
	sql("UPDATE bookings SET student = {:s}, subject = {:j} WHERE id = {:id}", dbx.Params{"id": d.bookings["d2"], "s": d.e, "j": d.maths})
	sql("UPDATE bookings SET status = 'cancelled', cancelled_by = student WHERE id = {:id}", dbx.Params{"id": d.bookings["e2"]})
	c1, err := app.FindRecordById("bookings", d.bookings["c1"])
	require.NoError(t, err)
	require.NoError(t, app.Delete(c1))
	sql("DELETE FROM bookings WHERE id = {:id}", dbx.Params{"id": d.bookings["b1"]}) // its review and report stay, of no lesson now
}
