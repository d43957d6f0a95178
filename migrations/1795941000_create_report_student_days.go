package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// ReportStudentDays holds the totals that the students report adds up
// (internal/app/reports), kept like ReportDays by triggers: per student,
// day (in the school's zone, ReportZone), tutor and subject, the lessons
// completed (by the booking's start) and the lesson reports written, with
// homework set and done (by the report's own lesson start, student, tutor
// and subject).
const ReportStudentDays = "report_student_days"

var (
	sdLessons = reportTotals{ReportStudentDays,
		[][2]string{{"student", "{r}.student"}, {"day", ReportLocalDay("{r}.start")}, {"tutor", "{r}.tutor"}, {"subject", "{r}.subject"}},
		[][2]string{{"lessons", "{r}.status = 'completed'"}}}
	sdReports = reportTotals{ReportStudentDays,
		[][2]string{{"student", "{r}.student"}, {"day", ReportLocalDay("{r}.lesson_start")}, {"tutor", "{r}.tutor"}, {"subject", "{r}.subject"}},
		[][2]string{{"reports", "1"}, {"homework_set", "{r}.homework != ''"}, {"homework_done", "{r}.homework != '' AND {r}.homework_done_at != ''"}}}
	sdAll = reportTotals{ReportStudentDays, sdLessons.keys, concat(sdLessons.counters, sdReports.counters)}

	reportStudentDaysTriggers = map[string]string{
		"report_student_days_insert": "AFTER INSERT ON bookings BEGIN " + sdLessons.upsert("NEW", "", "", "") + " END",
		"report_student_days_delete": "AFTER DELETE ON bookings BEGIN " + sdLessons.upsert("OLD", "-", "", "") + " END",
		"report_student_days_update": "AFTER UPDATE OF start, status, student, tutor, subject ON bookings BEGIN " +
			sdLessons.upsert("OLD", "-", "", "") + " " + sdLessons.upsert("NEW", "", "", "") + " END",
		"report_student_days_report_insert": "AFTER INSERT ON lesson_reports BEGIN " + sdReports.upsert("NEW", "", "", "") + " END",
		"report_student_days_report_delete": "AFTER DELETE ON lesson_reports BEGIN " + sdReports.upsert("OLD", "-", "", "") + " END",
		"report_student_days_report_update": "AFTER UPDATE OF lesson_start, student, tutor, subject, homework, homework_done_at ON lesson_reports BEGIN " +
			sdReports.upsert("OLD", "-", "", "") + " " + sdReports.upsert("NEW", "", "", "") + " END",
	}
)

func init() {
	m.Register(func(app core.App) error {
		stmts := []string{sdAll.create()}
		for name, body := range reportStudentDaysTriggers {
			stmts = append(stmts, "CREATE TRIGGER "+name+" "+body)
		}
		if err := execAll(app, stmts); err != nil {
			return err
		}
		return rebuildReportStudentDays(app)
	}, func(app core.App) error {
		var stmts []string
		for name := range reportStudentDaysTriggers {
			stmts = append(stmts, "DROP TRIGGER IF EXISTS "+name)
		}
		return execAll(app, append(stmts, "DROP TABLE IF EXISTS "+ReportStudentDays))
	})
}

func rebuildReportStudentDays(app core.App) error {
	if err := sdLessons.rebuild(app, "bookings r"); err != nil {
		return err
	}
	return sdReports.fill(app, "lesson_reports r")
}
