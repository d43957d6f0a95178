package hooks_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// BenchmarkBookingWrite is what the reports' triggers add to a booking's
// writes: on the reports benchmark's school (100,000 lessons), one write
// inserts a lesson, cancels it (an UPDATE of its status) and deletes it,
// each statement prepared afresh as PocketBase does, inside a transaction
// rolled back at the end (no commit is timed); an op is 100 writes (it
// runs in the reports benchmark's process, with its -benchtime). "all triggers" is the
// schema as it is; "without student totals" drops the triggers of
// report_student_months and report_student_days first, "without totals"
// those of report_tutor_days too, "without any" report_days' too.
//
//	go test ./hooks/ -run '^$' -bench 'Reports|BookingWrite' -benchtime 3x
func BenchmarkBookingWrite(b *testing.B) {
	w := reportWorld(b)
	for _, c := range []struct{ name, drop string }{{"all triggers", ""}, {"without student totals", "report_student"},
		{"without totals", "report_tutor_days,report_student"}, {"without any", "report_days,report_tutor_days,report_student"}} {
		b.Run(c.name, func(b *testing.B) { benchBookingWrites(b, w, c.drop) })
	}
}

// errRollback ends a benchmark's transaction without committing it.
var errRollback = errors.New("rolled back")

// benchBookingWrites times the writes with the triggers whose names start
// with one of drop's prefixes dropped.
func benchBookingWrites(b *testing.B, w *benchWorld, drop string) {
	err := w.app.RunInTransaction(func(tx core.App) error {
		if drop != "" {
			var names []string
			if err := tx.DB().NewQuery("SELECT name FROM sqlite_master WHERE type = 'trigger'").Column(&names); err != nil {
				return err
			}
			for _, n := range names {
				for _, p := range strings.Split(drop, ",") {
					if strings.HasPrefix(n, p) {
						if _, err := tx.DB().NewQuery("DROP TRIGGER " + n).Execute(); err != nil {
							return err
						}
					}
				}
			}
		}
		start, writes := w.day.AddDate(0, 2, 0), 100*b.N
		var each [3]time.Duration // CPU of the inserts, updates, deletes
		cpu, t0 := processCPU(), time.Now()
		b.ResetTimer()
		for i := range writes {
			if err := bookingWrite(tx, i, start.Add(time.Duration(i)*time.Hour), &each); err != nil {
				return err
			}
		}
		b.StopTimer()
		per := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) / float64(writes) }
		b.ReportMetric(per(processCPU()-cpu), "cpu-us/write")
		b.ReportMetric(per(time.Since(t0)), "us/write")
		for i, unit := range []string{"cpu-us/insert", "cpu-us/update", "cpu-us/delete"} {
			b.ReportMetric(per(each[i]), unit)
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		b.Fatal(err)
	}
}

// bookingWrite inserts lesson i at start, cancels it and deletes it,
// adding each statement's CPU to each.
func bookingWrite(tx core.App, i int, start time.Time, each *[3]time.Duration) error {
	id, student := benchId("wb", i), benchId("rs", i%reportBenchStudents)
	stmts := []*dbx.Query{
		tx.DB().Insert("bookings", dbx.Params{"id": id, "tutor": benchId("rt", i%reportBenchTutors), "tutor_user": benchId("ru", i%reportBenchTutors),
			"student": student, "subject": benchId("rj", i%4), "start": benchTime(start), "end": benchTime(start.Add(time.Hour)),
			"status": "confirmed", "price": 4000, "currency": "EUR", "created": platform.DBTime(start), "updated": platform.DBTime(start)}),
		tx.DB().Update("bookings", dbx.Params{"status": "cancelled", "cancelled_by": student}, dbx.HashExp{"id": id}),
		tx.DB().Delete("bookings", dbx.HashExp{"id": id}),
	}
	for k, q := range stmts {
		cpu := processCPU()
		if _, err := q.Execute(); err != nil {
			return err
		}
		each[k] += processCPU() - cpu
	}
	return nil
}

// BenchmarkReportRebuild is what a change of the school's zone costs at
// the reports benchmark's school: report_days and the three totals tables
// counted again from the 100,000 lessons (in a transaction rolled back).
//
//	go test ./hooks/ -run '^$' -bench 'Reports|BookingWrite|ReportRebuild' -benchtime 3x
func BenchmarkReportRebuild(b *testing.B) {
	w := reportWorld(b)
	err := w.app.RunInTransaction(func(tx core.App) error {
		b.ResetTimer()
		for range b.N {
			if err := migrations.RebuildReportDays(tx, w.day.Location()); err != nil {
				return err
			}
			if err := migrations.RebuildReportTotals(tx); err != nil {
				return err
			}
		}
		b.StopTimer()
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		b.Fatal(err)
	}
}
