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

// boundedOverlapTrigger is overlapTrigger with the index range bounded
// below.
func boundedOverlapTrigger(name, event, party string) string {
	return "CREATE TRIGGER " + name + " BEFORE " + event + " ON bookings " +
		"WHEN NEW.status IN ('pending', 'confirmed') AND EXISTS (" +
		"SELECT 1 FROM bookings b WHERE b." + party + " = NEW." + party + " AND b.id != NEW.id " +
		"AND b.start > strftime('%Y-%m-%d %H:%M:%fZ', NEW.start, '-8 hours') " +
		"AND b.status IN ('pending', 'confirmed') AND b.start < NEW.\"end\" AND b.\"end\" > NEW.start) " +
		"BEGIN SELECT RAISE(ABORT, 'booking_overlap'); END"
}

// lengthTrigger keeps the bound true: no active lesson lasts over 8 hours.
func lengthTrigger(name, event string) string {
	return "CREATE TRIGGER " + name + " BEFORE " + event + " ON bookings " +
		"WHEN NEW.status IN ('pending', 'confirmed') AND " +
		"(julianday(NEW.\"end\") - julianday(NEW.start)) * 24 > 8 " +
		"BEGIN SELECT RAISE(ABORT, 'booking_too_long'); END"
}

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
			boundedOverlapTrigger("bookings_tutor_overlap_insert", "INSERT", "tutor"),
			boundedOverlapTrigger("bookings_tutor_overlap_update", "UPDATE OF tutor, start, \"end\", status", "tutor"),
			boundedOverlapTrigger("bookings_student_overlap_insert", "INSERT", "student"),
			boundedOverlapTrigger("bookings_student_overlap_update", "UPDATE OF student, start, \"end\", status", "student"),
			lengthTrigger("bookings_length_insert", "INSERT"),
			lengthTrigger("bookings_length_update", "UPDATE OF start, \"end\", status"),
		} {
			if _, err := app.DB().NewQuery(sql).Execute(); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		for _, name := range append(triggerNames, "bookings_length_insert", "bookings_length_update") {
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
