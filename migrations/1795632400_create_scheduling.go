package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Clock patterns of availability windows: "HH:MM" local wall-clock time;
// an end may also be "24:00", the end of the day.
const (
	startClockPattern = `^([01][0-9]|2[0-3]):[0-5][0-9]$`
	endClockPattern   = `^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$`
)

// The backstop triggers: whatever writes to bookings (records API,
// dashboard, batch, a job, a bug), the database refuses two active bookings
// of one tutor, or of one student, that overlap in time. The booking hooks
// check the same thing first to answer with a proper field error.
var overlapTriggers = []string{
	overlapTrigger("bookings_tutor_overlap_insert", "INSERT", "tutor"),
	overlapTrigger("bookings_tutor_overlap_update", "UPDATE OF tutor, start, \"end\", status", "tutor"),
	overlapTrigger("bookings_student_overlap_insert", "INSERT", "student"),
	overlapTrigger("bookings_student_overlap_update", "UPDATE OF student, start, \"end\", status", "student"),
}

func overlapTrigger(name, event, party string) string {
	return "CREATE TRIGGER " + name + " BEFORE " + event + " ON bookings " +
		"WHEN NEW.status IN ('pending', 'confirmed') AND EXISTS (" +
		"SELECT 1 FROM bookings b WHERE b." + party + " = NEW." + party + " AND b.id != NEW.id " +
		"AND b.status IN ('pending', 'confirmed') AND b.start < NEW.\"end\" AND b.\"end\" > NEW.start) " +
		"BEGIN SELECT RAISE(ABORT, 'booking_overlap'); END"
}

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		tutors, err := app.FindCollectionByNameOrId("tutors")
		if err != nil {
			return err
		}
		subjects, err := app.FindCollectionByNameOrId("subjects")
		if err != nil {
			return err
		}
		purchases, err := app.FindCollectionByNameOrId("purchases")
		if err != nil {
			return err
		}

		availability := core.NewBaseCollection("availability")
		availability.Fields.Add(
			relation("tutor", tutors.Id, true, true),
			relation("tutor_user", users.Id, false, false),
			integer("weekday", 1, 7, true),
			&core.TextField{Name: "start", Pattern: startClockPattern, Required: true},
			&core.TextField{Name: "end", Pattern: endClockPattern, Required: true},
			text("timezone", 64, false),
			&core.DateField{Name: "valid_from"},
			&core.DateField{Name: "valid_until"},
		)
		availability.Fields.Add(timestamps()...)
		availability.AddIndex("idx_availability_tutor_weekday", false, "tutor, weekday", "")
		availability.AddIndex("idx_availability_tutor_user", false, "tutor_user", "")
		ownedRules(availability)
		if err := app.Save(availability); err != nil {
			return err
		}

		timeOff := core.NewBaseCollection("time_off")
		timeOff.Fields.Add(
			relation("tutor", tutors.Id, true, true),
			relation("tutor_user", users.Id, false, false),
			&core.DateField{Name: "start", Required: true},
			&core.DateField{Name: "end", Required: true},
			text("reason", 200, false),
		)
		timeOff.Fields.Add(timestamps()...)
		timeOff.AddIndex("idx_time_off_tutor_start", false, "tutor, start", "")
		timeOff.AddIndex("idx_time_off_tutor_user", false, "tutor_user", "")
		ownedRules(timeOff)
		if err := app.Save(timeOff); err != nil {
			return err
		}

		series := core.NewBaseCollection("series")
		series.Fields.Add(
			relation("tutor", tutors.Id, true, false),
			relation("tutor_user", users.Id, false, false),
			relation("student", users.Id, true, false),
			relation("subject", subjects.Id, false, false),
			relation("purchase", purchases.Id, false, false),
			integer("weekday", 1, 7, true),
			&core.TextField{Name: "start_time", Pattern: startClockPattern, Required: true},
			integer("minutes", 15, 480, true),
			text("timezone", 64, true),
			integer("count", 1, 52, true),
			&core.DateField{Name: "until"},
			choice("status", true, "active", "cancelled"),
		)
		series.Fields.Add(timestamps()...)
		series.AddIndex("idx_series_tutor_user", false, "tutor_user", "")
		series.AddIndex("idx_series_student", false, "student", "")
		rules(series, rule(RuleSeriesView), rule(RuleSeriesView), nil, nil, nil)
		if err := app.Save(series); err != nil {
			return err
		}

		bookings := core.NewBaseCollection("bookings")
		bookings.Fields.Add(
			relation("tutor", tutors.Id, true, false),
			relation("tutor_user", users.Id, false, false),
			relation("student", users.Id, true, false),
			text("tutor_name", 120, false),
			text("student_name", 120, false),
			relation("subject", subjects.Id, false, false),
			relation("purchase", purchases.Id, false, false),
			&core.DateField{Name: "start", Required: true},
			&core.DateField{Name: "end", Required: true},
			choice("status", true, "pending", "confirmed", "cancelled", "completed", "no_show"),
			relation("series", series.Id, false, false),
			cents("price", false),
			currency("currency", false),
			&core.URLField{Name: "meeting_url"},
			text("notes", 2000, false),
			relation("cancelled_by", users.Id, false, false),
			text("cancel_reason", 500, false),
			&core.DateField{Name: "cancelled_at"},
			&core.BoolField{Name: "late_cancel"},
		)
		bookings.Fields.Add(timestamps()...)
		bookings.AddIndex("idx_bookings_tutor_start", false, "tutor, start", "")
		bookings.AddIndex("idx_bookings_student_start", false, "student, start", "")
		bookings.AddIndex("idx_bookings_tutor_user_start", false, "tutor_user, start", "")
		bookings.AddIndex("idx_bookings_status_end", false, "status, \"end\"", "")
		bookings.AddIndex("idx_bookings_series", false, "series", "series != ''")
		bookings.AddIndex("idx_bookings_purchase", false, "purchase", "purchase != ''")
		rules(bookings, rule(RuleBookingsView), rule(RuleBookingsView), rule(RuleBookingsCreate), rule(RuleBookingsUpdate), nil)
		if err := app.Save(bookings); err != nil {
			return err
		}
		bookings.Fields.Add(relation("rescheduled_from", bookings.Id, false, false))
		if err := app.Save(bookings); err != nil {
			return err
		}

		for _, sql := range overlapTriggers {
			if _, err := app.DB().NewQuery(sql).Execute(); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		return dropCollections(app, "bookings", "series", "time_off", "availability")
	})
}

func ownedRules(c *core.Collection) {
	rules(c, rule(RuleTutorOwnedView), rule(RuleTutorOwnedView), rule(RuleTutorOwnedCreate), rule(RuleTutorOwnedWrite), rule(RuleTutorOwnedWrite))
}
