package hooks_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/testkit/debtools"

	"github.com/stretchr/testify/require"
)

// insightReport GETs a report as JSON and, when it holds rows, as CSV and
// PDF, and checks that the three hold the same rows: the CSV cell for
// cell, the PDF each row's printed cells in order. It answers the JSON rows.
func insightReport(t *testing.T, srv *httptest.Server, name string, q url.Values) []map[string]any {
	t.Helper()
	path := "/api/reports/" + name + "?" + q.Encode()
	res := hookstest.Call(t, srv, http.MethodGet, path, cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	var rows []map[string]any
	for _, r := range res.JSON()["rows"].([]any) {
		rows = append(rows, r.(map[string]any))
	}
	csvRes, body := download(t, srv, path+"&format=csv", cast.Tokens[hookstest.Admin])
	require.Equal(t, 200, csvRes.StatusCode, string(body))
	records, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, len(rows)+1, "a header and the JSON's rows")
	header := records[0]
	for i, r := range rows {
		for j, col := range header {
			require.Equal(t, cellText(r[col]), records[i+1][j], "%s row %d %s", name, i, col)
		}
	}
	pdfRes, pdf := download(t, srv, path+"&format=pdf", cast.Tokens[hookstest.Admin])
	require.Equal(t, 200, pdfRes.StatusCode, string(pdf))
	require.Equal(t, "application/pdf", pdfRes.Header.Get("Content-Type"))
	text, _ := debtools.PDFText(t, pdf)
	flat := strings.Join(strings.Fields(text), " ")
	require.Contains(t, flat, "Report: "+reportNamesIt[name], "the title in the admin's language (Italian)")
	for i, r := range rows {
		var cells []string
		for _, col := range header {
			if _, named := r["name"]; named && (col == "tutor" || col == "student" || col == "group") {
				continue // the printout names them instead
			}
			if c := cellText(r[col]); c != "" {
				cells = append(cells, c)
			}
		}
		require.Contains(t, flat, strings.Join(cells, " "), "%s PDF row %d", name, i)
	}
	return rows
}

// reportNamesIt are the reports' names as an Italian-speaking staff
// member's PDF titles them.
var reportNamesIt = map[string]string{"bookings": "prenotazioni", "revenue": "incassi", "cancellations": "disdette",
	"notifications": "notifiche", "conversion": "conversione", "utilisation": "occupazione", "retention": "fidelizzazione",
	"tutors": "tutor", "students": "studenti"}

func cellText(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func reportQuery(from, to string, kv ...string) url.Values {
	q := url.Values{"from": {from}, "to": {to}}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return q
}

// TestInsightReports: each report's exact numbers on the fixed data set
// (insight_fixture_test.go), as JSON, CSV and PDF alike.
func TestInsightReports(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	d := buildInsightData(t, app)
	srv := hookstest.Serve(t, app)
	stages := func(rows []map[string]any) map[string][2]any {
		out := map[string][2]any{}
		for _, r := range rows {
			out[r["stage"].(string)] = [2]any{r["people"], r["of_previous"]}
		}
		return out
	}

	t.Run("conversion", func(t *testing.T) {
		rows := insightReport(t, srv, "conversion", reportQuery(d.from, d.to))
		require.Equal(t, map[string][2]any{"visits": {42.0, nil}, "sign_ups": {4.0, 0.095}, "first_booking": {3.0, 0.75}, "second_month": {2.0, 0.667}}, stages(rows))
		rows = insightReport(t, srv, "conversion", reportQuery(d.from, d.to, "subject", d.physics))
		require.Equal(t, map[string][2]any{"visits": {42.0, nil}, "sign_ups": {4.0, 0.095}, "first_booking": {2.0, 0.5}, "second_month": {2.0, 1.0}}, stages(rows))
	})
	t.Run("retention", func(t *testing.T) {
		rows := insightReport(t, srv, "retention", reportQuery(d.from, d.to))
		require.Len(t, rows, 2)
		want := []map[string]any{
			{"cohort": d.m0.Format("2006-01"), "students": 2.0, "month_1": 1.0, "month_2": 1.0, "month_3": 1.0, "month_4": 0.0, "month_5": 0.0, "month_6": 0.0},
			{"cohort": d.m0.AddDate(0, 1, 0).Format("2006-01"), "students": 2.0, "month_1": 1.0, "month_2": 2.0, "month_3": 0.0, "month_4": 0.0, "month_5": 0.0, "month_6": 0.0},
		}
		require.Equal(t, want, rows)
		rows = insightReport(t, srv, "retention", reportQuery(d.from, d.to, "subject", d.maths))
		require.Equal(t, []map[string]any{{"cohort": d.m0.Format("2006-01"), "students": 1.0, "month_1": 0.0, "month_2": 0.0, "month_3": 0.0, "month_4": 0.0, "month_5": 0.0, "month_6": 0.0}}, rows)
	})
	t.Run("utilisation", func(t *testing.T) {
		rows := insightReport(t, srv, "utilisation", reportQuery(d.weeksFrom, d.weeksTo, "tutor", d.tutor))
		require.Len(t, rows, 2)
		for i, want := range [][3]float64{{12, 2.5, 0.208}, {8, 2, 0.25}} {
			require.Equal(t, d.tutor, rows[i]["tutor"])
			require.Equal(t, "Zoe Zeta", rows[i]["name"])
			require.Equal(t, d.mon.AddDate(0, 0, 7*i).Format("2006-01-02"), rows[i]["start"])
			require.Equal(t, []any{want[0], want[1], want[2]}, []any{rows[i]["available_hours"], rows[i]["booked_hours"], rows[i]["utilisation"]}, "week %d", i+1)
		}
	})
	t.Run("tutors", func(t *testing.T) {
		rows := insightReport(t, srv, "tutors", reportQuery(d.from, d.to))
		require.Equal(t, []map[string]any{{"tutor": d.tutor, "name": "Zoe Zeta", "lessons": 4.0, "no_shows": 1.0, "cancelled_by_student": 1.0,
			"cancelled_by_tutor": 1.0, "cancelled_by_school": 1.0, "reviews": 2.0, "rating": 4.5, "reports_on_time": 2.0, "reports_late": 1.0, "reports_missing": 1.0}}, rows)
	})
	t.Run("students", func(t *testing.T) {
		rows := insightReport(t, srv, "students", reportQuery(d.from, d.to, "tutor", d.tutor))
		require.Equal(t, []map[string]any{
			{"student": d.a, "name": "Anna Alpha", "lessons": 2.0, "reports": 2.0, "first_rating": 3.0, "last_rating": 4.0, "change": 1.0, "homework_set": 2.0, "homework_done": 1.0},
			{"student": d.b, "name": "Bruno Beta", "lessons": 1.0, "reports": 1.0, "first_rating": 3.0, "last_rating": 3.0, "change": 0.0, "homework_set": 0.0, "homework_done": 0.0},
			{"student": d.e, "name": "Elena Epsilon", "lessons": 1.0, "reports": 0.0, "first_rating": nil, "last_rating": nil, "change": nil, "homework_set": 0.0, "homework_done": 0.0},
		}, rows)
		rows = insightReport(t, srv, "students", reportQuery(d.from, d.to, "subject", d.physics))
		require.Len(t, rows, 2)
		require.Equal(t, []any{"Anna Alpha", 2.0, 2.0, 4.0, 2.0}, []any{rows[0]["name"], rows[0]["lessons"], rows[0]["first_rating"], rows[0]["last_rating"], rows[0]["change"]})
		require.Equal(t, []any{"Elena Epsilon", 1.0}, []any{rows[1]["name"], rows[1]["lessons"]})
	})
	t.Run("revenue", func(t *testing.T) {
		money := func(rows []map[string]any) [][4]any {
			var out [][4]any
			for _, r := range rows {
				out = append(out, [4]any{r["name"], r["paid"], r["refunded"], r["net"]})
			}
			return out
		}
		rows := insightReport(t, srv, "revenue", reportQuery(d.from, d.to, "by", "tutor"))
		require.Equal(t, [][4]any{{"Zoe Zeta", 14000.0, 2500.0, 11500.0}}, money(rows))
		require.Equal(t, d.tutor, rows[0]["group"])
		rows = insightReport(t, srv, "revenue", reportQuery(d.from, d.to, "by", "subject"))
		require.Equal(t, [][4]any{{"Mathematics", 4000.0, 0.0, 4000.0}, {"Physics", 10000.0, 2500.0, 7500.0}}, money(rows))
		rows = insightReport(t, srv, "revenue", reportQuery(d.from, d.to, "by", "package"))
		require.Equal(t, [][4]any{{"", 4000.0, 0.0, 4000.0}, {"Five physics", 10000.0, 2500.0, 7500.0}}, money(rows))
		rows = insightReport(t, srv, "revenue", reportQuery(d.from, d.to, "subject", d.maths))
		var paid, refunded float64
		for _, r := range rows {
			paid += r["paid"].(float64)
			refunded += r["refunded"].(float64)
		}
		require.Equal(t, [2]float64{4000, 0}, [2]float64{paid, refunded}, "by week, Mathematics only")
	})
	t.Run("notifications", func(t *testing.T) {
		rows := insightReport(t, srv, "notifications", url.Values{})
		for _, r := range rows {
			require.Contains(t, r, "delivery_rate")
		}
	})
}

// TestInsightReportRefusals: bad parameters are 400s in PocketBase's error
// shape with the catalogue's words (the cast reads Italian), and staff
// only.
func TestInsightReportRefusals(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	for _, c := range []struct{ path, field, code, text string }{
		{"/api/reports/tutors?format=xml", "format", "bad_format", "Scegli json, csv o pdf."},
		{"/api/reports/tutors?tutor=nosuchtutor0000", "tutor", "validation_missing_rel_records", "Tutor sconosciuto."},
		{"/api/reports/students?subject=nosuchsubject00", "subject", "validation_missing_rel_records", "Materia sconosciuta."},
		{"/api/reports/revenue?by=colour", "by", "bad_group", "Raggruppa per settimana, tutor, materia o pacchetto."},
		{"/api/reports/tutors?by=tutor", "by", "filter_not_supported", "Questo report non si può raggruppare."},
		{"/api/reports/notifications?tutor=" + cast.Tutors[hookstest.Tutor], "tutor", "filter_not_supported", "Questo report non si può filtrare per tutor o materia."},
		{"/api/reports/conversion?from=2027-02-30", "from", "validation_invalid_date", "Usa una data come 2027-03-01."},
	} {
		res := hookstest.Call(t, srv, http.MethodGet, c.path, cast.Tokens[hookstest.Admin], nil)
		require.Equal(t, 400, res.Status, c.path)
		field := res.JSON()["data"].(map[string]any)[c.field].(map[string]any)
		require.Equal(t, c.code, field["code"], c.path)
		require.Equal(t, c.text, field["message"], c.path)
	}
	for _, name := range []string{"conversion", "utilisation", "retention", "tutors", "students"} {
		require.Equal(t, 403, hookstest.Call(t, srv, http.MethodGet, "/api/reports/"+name, cast.Tokens[hookstest.Tutor], nil).Status)
		require.Equal(t, 401, hookstest.Call(t, srv, http.MethodGet, "/api/reports/"+name+"?format=pdf", "", nil).Status)
		require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, "/api/reports/"+name, cast.Tokens[hookstest.Superuser], nil).Status)
	}
}
