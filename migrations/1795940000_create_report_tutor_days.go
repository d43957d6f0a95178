package migrations

import (
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// ReportTutorDays and ReportStudentMonths hold the totals that the tutors,
// utilisation, conversion and retention reports add up
// (internal/app/reports, docs/insight.md), kept like ReportDays by
// triggers in the statement that writes a booking, a review or a lesson
// report: per tutor, day (in the school's zone, ReportZone) and subject
// the lessons' outcomes, booked time, reviews and report punctuality; per
// student, month, tutor and subject the lessons not cancelled. Each is
// keyed by person first: a report adds up one range of days per person.
const (
	ReportTutorDays     = "report_tutor_days"
	ReportStudentMonths = "report_student_months"
)

// ReportGraceSeconds is how long after a lesson ends its report counts as
// on time in ReportTutorDays (the reports package's ReportGrace).
const ReportGraceSeconds = 24 * 60 * 60

// The booking row is {r}, its review rv and its lesson report lr (NULL
// when it has none): the rules of the reports' tutors.go.
const (
	tdCancelled = "{r}.status = 'cancelled' AND {r}.cancel_reason != 'rescheduled'"
	tdByStudent = "{r}.cancelled_by != '' AND {r}.cancelled_by = {r}.student"
	tdByTutor   = "{r}.cancelled_by != '' AND {r}.cancelled_by = {r}.tutor_user AND {r}.cancelled_by != {r}.student"
	tdReported  = "{r}.status = 'completed' AND lr.id IS NOT NULL"
)

var tdInTime = `(julianday(lr.created) - julianday({r}."end")) * 86400 <= ` + strconv.Itoa(ReportGraceSeconds)

var (
	tdKeys = [][2]string{{"tutor", "{r}.tutor"}, {"day", ReportLocalDay("{r}.start")}, {"subject", "{r}.subject"}}
	// what a booking counts by itself
	tdLessons = [][2]string{
		{"bookings", "1"},
		{"booked_ms", `CASE WHEN {r}.status != 'cancelled' THEN CAST(round((julianday({r}."end") - julianday({r}.start)) * 86400000) AS INTEGER) END`},
		{"lessons", "{r}.status = 'completed'"},
		{"no_shows", "{r}.status = 'no_show'"},
		{"by_student", tdCancelled + " AND " + tdByStudent},
		{"by_tutor", tdCancelled + " AND " + tdByTutor},
		{"by_school", tdCancelled + " AND NOT (" + tdByStudent + ") AND NOT (" + tdByTutor + ")"},
	}
	// what its review counts
	tdReviews = [][2]string{
		{"reviews", "rv.hidden = FALSE"},
		{"ratings", "CASE WHEN rv.hidden = FALSE THEN rv.rating END"},
	}
	// what its lesson report (or the lack of one) counts
	tdReports = [][2]string{
		{"on_time", tdReported + " AND " + tdInTime},
		{"late", tdReported + " AND NOT " + tdInTime},
		{"missing", "{r}.status = 'completed' AND lr.id IS NULL"},
	}
	tdAll = reportTotals{ReportTutorDays, tdKeys, concat(tdLessons, tdReviews, tdReports)}
	// a booking with its review and lesson report ({b} is the booking's id)
	tdJoin = "(SELECT 1) LEFT JOIN reviews rv ON rv.booking = {b} LEFT JOIN lesson_reports lr ON lr.booking = {b}"
)

func concat(lists ...[][2]string) [][2]string {
	var out [][2]string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// tdChange is the upserts that move a review's or a lesson report's counts
// from its OLD row (if old) to its NEW one (if new): the booking b it
// names is read with that row (alias x, its columns cols) or with none.
func tdChange(counters [][2]string, x string, cols []string, old, new bool) string {
	t := reportTotals{ReportTutorDays, tdKeys, counters}
	with := func(row string) string { // row is OLD, NEW or NULL (none)
		sel := make([]string, len(cols))
		for i, c := range cols {
			sel[i] = row + " AS " + c
			if row != "NULL" {
				sel[i] = row + "." + c + " AS " + c
			}
		}
		return "bookings b LEFT JOIN (SELECT " + strings.Join(sel, ", ") + ") " + x + " ON TRUE"
	}
	without := with("NULL")
	var stmts []string
	if old {
		stmts = append(stmts, t.upsert("b", "-", with("OLD"), "b.id = OLD.booking"), t.upsert("b", "", without, "b.id = OLD.booking"))
	}
	if new {
		stmts = append(stmts, t.upsert("b", "-", without, "b.id = NEW.booking"), t.upsert("b", "", with("NEW"), "b.id = NEW.booking"))
	}
	return strings.Join(stmts, " ")
}

var (
	reviewCols = []string{"id", "hidden", "rating"}
	reportCols = []string{"id", "created"}
)

var smCounts = reportTotals{ReportStudentMonths,
	[][2]string{{"student", "{r}.student"}, {"month", "substr(" + ReportLocalDay("{r}.start") + ", 1, 7)"}, {"tutor", "{r}.tutor"}, {"subject", "{r}.subject"}},
	[][2]string{{"lessons", "{r}.status != 'cancelled'"}}}

func bookingSide(row string) string {
	return strings.ReplaceAll(tdJoin, "{b}", row+".id")
}

var reportTotalsTriggers = map[string]string{
	"report_tutor_days_insert": "AFTER INSERT ON bookings BEGIN " + tdAll.upsert("NEW", "", bookingSide("NEW"), "") + " END",
	"report_tutor_days_delete": "AFTER DELETE ON bookings BEGIN " + tdAll.upsert("OLD", "-", bookingSide("OLD"), "") + " END",
	"report_tutor_days_update": `AFTER UPDATE OF id, start, "end", subject, status, cancelled_by, cancel_reason, student, tutor, tutor_user ON bookings BEGIN ` +
		tdAll.upsert("OLD", "-", bookingSide("OLD"), "") + " " + tdAll.upsert("NEW", "", bookingSide("NEW"), "") + " END",
	"report_tutor_days_review_insert": "AFTER INSERT ON reviews BEGIN " + tdChange(tdReviews, "rv", reviewCols, false, true) + " END",
	"report_tutor_days_review_delete": "AFTER DELETE ON reviews BEGIN " + tdChange(tdReviews, "rv", reviewCols, true, false) + " END",
	"report_tutor_days_review_update": "AFTER UPDATE OF booking, hidden, rating ON reviews BEGIN " + tdChange(tdReviews, "rv", reviewCols, true, true) + " END",
	"report_tutor_days_report_insert": "AFTER INSERT ON lesson_reports BEGIN " + tdChange(tdReports, "lr", reportCols, false, true) + " END",
	"report_tutor_days_report_delete": "AFTER DELETE ON lesson_reports BEGIN " + tdChange(tdReports, "lr", reportCols, true, false) + " END",
	"report_tutor_days_report_update": "AFTER UPDATE OF booking, created ON lesson_reports BEGIN " + tdChange(tdReports, "lr", reportCols, true, true) + " END",
	"report_student_months_insert":    "AFTER INSERT ON bookings BEGIN " + smCounts.upsert("NEW", "", "", "") + " END",
	"report_student_months_delete":    "AFTER DELETE ON bookings BEGIN " + smCounts.upsert("OLD", "-", "", "") + " END",
	"report_student_months_update":    "AFTER UPDATE OF start, status, student, tutor, subject ON bookings BEGIN " + smCounts.upsert("OLD", "-", "", "") + " " + smCounts.upsert("NEW", "", "", "") + " END",
}

func init() {
	m.Register(func(app core.App) error {
		stmts := []string{tdAll.create(), smCounts.create()}
		for name, body := range reportTotalsTriggers {
			stmts = append(stmts, "CREATE TRIGGER "+name+" "+body)
		}
		if err := execAll(app, stmts); err != nil {
			return err
		}
		return rebuildReportTutorDays(app)
	}, func(app core.App) error {
		var stmts []string
		for name := range reportTotalsTriggers {
			stmts = append(stmts, "DROP TRIGGER IF EXISTS "+name)
		}
		return execAll(app, append(stmts, "DROP TABLE IF EXISTS "+ReportTutorDays, "DROP TABLE IF EXISTS "+ReportStudentMonths))
	})
}

func rebuildReportTutorDays(app core.App) error {
	if err := tdAll.rebuild(app, "bookings r LEFT JOIN reviews rv ON rv.booking = r.id LEFT JOIN lesson_reports lr ON lr.booking = r.id"); err != nil {
		return err
	}
	return smCounts.rebuild(app, "bookings r")
}
