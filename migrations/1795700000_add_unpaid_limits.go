package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Defaults of the school's limits on lessons booked and not paid (see
// docs/payments.md): at most 3 upcoming unpaid lessons per student, each
// paid within 24 hours of booking (and before the cancel window opens), by
// students with a confirmed email.
const (
	DefaultMaxUnpaidLessons = 3
	DefaultUnpaidPayHours   = 24
)

func init() {
	m.Register(func(app core.App) error {
		school, err := app.FindCollectionByNameOrId("school")
		if err != nil {
			return err
		}
		school.Fields.Add(
			integer("max_unpaid_lessons", 0, 1000, false), // 0 = no cap
			integer("unpaid_pay_hours", 0, 720, false),    // 0 = no deadline
			&core.BoolField{Name: "require_verified_email"},
		)
		if err := app.Save(school); err != nil {
			return err
		}
		r, err := app.FindRecordById(school, SchoolId)
		if err != nil {
			return err
		}
		r.Set("max_unpaid_lessons", DefaultMaxUnpaidLessons)
		r.Set("unpaid_pay_hours", DefaultUnpaidPayHours)
		r.Set("require_verified_email", true)
		if err := app.Save(r); err != nil {
			return err
		}

		bookings, err := app.FindCollectionByNameOrId("bookings")
		if err != nil {
			return err
		}
		// when an unpaid lesson is cancelled if still unpaid (server-owned;
		// empty for every other lesson)
		bookings.Fields.Add(&core.DateField{Name: "pay_by"})
		bookings.AddIndex("idx_bookings_pay_by", false, "pay_by", "pay_by != ''")
		return app.Save(bookings)
	}, func(app core.App) error {
		for name, fields := range map[string][]string{
			"school":   {"max_unpaid_lessons", "unpaid_pay_hours", "require_verified_email"},
			"bookings": {"pay_by"},
		} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			for _, f := range fields {
				c.Fields.RemoveByName(f)
			}
			c.RemoveIndex("idx_bookings_pay_by")
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	})
}
