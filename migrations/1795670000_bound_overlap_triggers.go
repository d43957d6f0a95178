package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// MaxLessonHours bounds a lesson's length. With it, an overlap search can
// start its index range at (start − 8 h) instead of walking a tutor's or a
// student's whole history: the original triggers made every insert cost as
// much as the booking history was long.
const MaxLessonHours = 8

// guardTrigger is the database's backstop for every write of an active
// booking: no lesson over 8 hours, no overlap with another active lesson
// of the same tutor or of the same student. One trigger per event with
// three statements (each trigger is compiled into every INSERT or UPDATE
// statement that fires it, so fewer triggers cost less per write).
func guardTrigger(name, event string) string {
	overlap := func(party string) string {
		return "SELECT RAISE(ABORT, 'booking_overlap') WHERE EXISTS (SELECT 1 FROM bookings b WHERE b." + party + " = NEW." + party +
			" AND b.start > strftime('%Y-%m-%d %H:%M:%fZ', NEW.start, '-8 hours') AND b.start < NEW.\"end\" AND b.\"end\" > NEW.start" +
			" AND b.status IN ('pending', 'confirmed') AND b.id != NEW.id); "
	}
	return "CREATE TRIGGER " + name + " BEFORE " + event + " ON bookings WHEN NEW.status IN ('pending', 'confirmed') BEGIN " +
		"SELECT RAISE(ABORT, 'booking_too_long') WHERE (julianday(NEW.\"end\") - julianday(NEW.start)) * 24 > 8; " +
		overlap("tutor") + overlap("student") + "END"
}

// triggerNames are the triggers of the first scheduling migration.
var triggerNames = []string{
	"bookings_tutor_overlap_insert", "bookings_tutor_overlap_update",
	"bookings_student_overlap_insert", "bookings_student_overlap_update",
}

func init() {
	m.Register(func(app core.App) error {
		for _, name := range triggerNames {
			if _, err := app.DB().NewQuery("DROP TRIGGER IF EXISTS " + name).Execute(); err != nil {
				return err
			}
		}
		for _, sql := range []string{
			guardTrigger("bookings_guard_insert", "INSERT"),
			guardTrigger("bookings_guard_update", "UPDATE OF tutor, student, start, \"end\", status"),
		} {
			if _, err := app.DB().NewQuery(sql).Execute(); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		for _, name := range []string{"bookings_guard_insert", "bookings_guard_update"} {
			if _, err := app.DB().NewQuery("DROP TRIGGER IF EXISTS " + name).Execute(); err != nil {
				return err
			}
		}
		for _, sql := range overlapTriggers {
			if _, err := app.DB().NewQuery(sql).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
}
