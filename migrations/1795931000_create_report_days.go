package migrations

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// ReportDays holds the lessons' counts per day (in the school's zone) and
// subject that the weekly bookings and cancellations reports add up
// (internal/app/reports, docs/insight.md), kept by triggers in the
// statement that writes a booking, so it is exact whatever writes it (the
// API, a job, a raw UPDATE). ReportZone is the school's zone as UTC
// offsets from each instant on, which the triggers read to find a lesson's
// local day. Plain tables, not collections: only the reports read them.
const (
	ReportDays = "report_days"
	ReportZone = "report_zone"
)

// reportDayCounts are ReportDays' counters and what each counts of a
// booking row (r is NEW or OLD): the rules of the reports' weekly.go.
var reportDayCounts = [][2]string{
	{"total", "1"},
	{"completed", "r.status = 'completed'"},
	{"cancelled", "r.status = 'cancelled'"},
	{"late_cancelled", "r.status = 'cancelled' AND r.late_cancel = TRUE"},
	{"no_show", "r.status = 'no_show'"},
	{"expired", "{c} AND r.cancel_reason = 'expired' AND r.cancelled_by = ''"},
	{"by_student_late", "{c} AND NOT {x} AND r.cancelled_by = r.student AND r.late_cancel = TRUE"},
	{"by_student", "{c} AND NOT {x} AND r.cancelled_by = r.student AND r.late_cancel != TRUE"},
	{"by_tutor", "{c} AND NOT {x} AND r.cancelled_by != r.student AND r.cancelled_by = r.tutor_user"},
	{"by_staff", "{c} AND NOT {x} AND r.cancelled_by != r.student AND r.cancelled_by != r.tutor_user"},
}

// reportDayExpr is a counter's expression for row r.
func reportDayExpr(expr, r string) string {
	expr = strings.NewReplacer("{c}", "(r.status = 'cancelled' AND r.cancel_reason != 'rescheduled')",
		"{x}", "(r.cancel_reason = 'expired' AND r.cancelled_by = '')").Replace(expr)
	return "(" + strings.ReplaceAll(expr, "r.", r+".") + ")"
}

// ReportDayCounts is the SQL of booking row r's counters, one column each
// named as in ReportDays (for a query that counts bookings itself).
func ReportDayCounts(r string) string {
	cols := make([]string, len(reportDayCounts))
	for i, c := range reportDayCounts {
		cols[i] = reportDayExpr(c[1], r) + " AS " + c[0]
	}
	return strings.Join(cols, ", ")
}

// ReportLocalDay is the SQL of the local date (YYYY-MM-DD) of start, a
// database time, in the zone of ReportZone.
func ReportLocalDay(start string) string {
	return "COALESCE(date(" + start + ", (SELECT z.minutes FROM " + ReportZone + " z WHERE z.since <= " + start +
		" ORDER BY z.since DESC LIMIT 1) || ' minutes'), '')"
}

// reportDayUpsert adds row r's counts (times sign) to its day and subject.
func reportDayUpsert(r, sign string) string {
	cols, vals, sets := []string{"day", "subject"}, []string{ReportLocalDay(r + ".start"), r + ".subject"}, []string{}
	for _, c := range reportDayCounts {
		cols = append(cols, c[0])
		vals = append(vals, sign+reportDayExpr(c[1], r))
		sets = append(sets, c[0]+" = "+c[0]+" + excluded."+c[0])
	}
	return "INSERT INTO " + ReportDays + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(vals, ", ") +
		") ON CONFLICT (day, subject) DO UPDATE SET " + strings.Join(sets, ", ") + ";"
}

var reportDayTriggers = map[string]string{
	"report_days_insert": "AFTER INSERT ON bookings BEGIN " + reportDayUpsert("NEW", "") + " END",
	"report_days_delete": "AFTER DELETE ON bookings BEGIN " + reportDayUpsert("OLD", "-") + " END",
	"report_days_update": "AFTER UPDATE OF start, subject, status, late_cancel, cancelled_by, cancel_reason, student, tutor_user ON bookings BEGIN " +
		reportDayUpsert("OLD", "-") + " " + reportDayUpsert("NEW", "") + " END",
}

func init() {
	m.Register(func(app core.App) error {
		cols := make([]string, len(reportDayCounts))
		for i, c := range reportDayCounts {
			cols[i] = c[0] + " INTEGER NOT NULL DEFAULT 0"
		}
		stmts := []string{
			"CREATE TABLE IF NOT EXISTS " + ReportZone + " (since TEXT PRIMARY KEY NOT NULL, minutes INTEGER NOT NULL) WITHOUT ROWID",
			"CREATE TABLE IF NOT EXISTS " + ReportDays + " (day TEXT NOT NULL, subject TEXT NOT NULL, " + strings.Join(cols, ", ") +
				", PRIMARY KEY (day, subject)) WITHOUT ROWID",
		}
		for name, body := range reportDayTriggers {
			stmts = append(stmts, "CREATE TRIGGER "+name+" "+body)
		}
		for _, s := range stmts {
			if _, err := app.DB().NewQuery(s).Execute(); err != nil {
				return err
			}
		}
		zone := "UTC"
		if school, err := app.FindRecordById("school", SchoolId); err == nil && school.GetString("timezone") != "" {
			zone = school.GetString("timezone")
		}
		loc, err := time.LoadLocation(zone)
		if err != nil {
			return err
		}
		return RebuildReportDays(app, loc)
	}, func(app core.App) error {
		for name := range reportDayTriggers {
			if _, err := app.DB().NewQuery("DROP TRIGGER IF EXISTS " + name).Execute(); err != nil {
				return err
			}
		}
		for _, table := range []string{ReportDays, ReportZone} {
			if _, err := app.DB().NewQuery("DROP TABLE IF EXISTS " + table).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
}

// RebuildReportDays writes ReportZone for loc and counts every booking into
// ReportDays again (the school's zone changed). Run it in the transaction
// that changes the zone.
func RebuildReportDays(app core.App, loc *time.Location) error {
	var offsets [][2]any
	prev := -1 << 31
	for t := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); t.Year() < 2200; {
		if _, off := t.In(loc).Zone(); off/60 != prev {
			since := t.UTC().Format(types.DefaultDateLayout)
			if prev == -1<<31 {
				since = "" // and anything earlier
			}
			offsets = append(offsets, [2]any{since, off / 60})
			prev = off / 60
		}
		_, end := t.In(loc).ZoneBounds()
		if end.IsZero() {
			break
		}
		if !end.After(t) { // Go's zone rules past their table can answer an empty period at a year's end
			end = t.Add(time.Hour)
		}
		t = end
	}
	list, err := json.Marshal(offsets)
	if err != nil {
		return err
	}
	cols, sums := []string{"day", "subject"}, []string{"day", "subject"}
	for _, c := range reportDayCounts {
		cols = append(cols, c[0])
		sums = append(sums, "SUM("+reportDayExpr(c[1], "b")+")")
	}
	for _, s := range []string{
		"DELETE FROM " + ReportZone,
		"INSERT INTO " + ReportZone + " (since, minutes) SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each({:offsets})",
		"DELETE FROM " + ReportDays,
		"INSERT INTO " + ReportDays + " (" + strings.Join(cols, ", ") + ") SELECT " + strings.Join(sums, ", ") +
			" FROM (SELECT *, " + ReportLocalDay("start") + " AS day FROM bookings) b GROUP BY day, subject",
	} {
		if _, err := app.DB().NewQuery(s).Bind(dbx.Params{"offsets": string(list)}).Execute(); err != nil {
			return err
		}
	}
	return nil
}
