package migrations

import (
	"tutorbase/internal/suspicion"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// flagThresholds are the school's settings of the suspicious-activity
// rules (0 turns one off).
var flagThresholds = []string{"flag_failed_payments", "flag_cancellations", "flag_unpaid_lessons", "flag_signups_per_ip", "flag_refund_cents"}

// The flags of suspicious activity, the school's thresholds, and the
// suspension of an account (a suspended account cannot sign in).
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.Add(&core.BoolField{Name: "suspended"})
		users.AuthRule = rule("suspended = false")
		if err := app.Save(users); err != nil {
			return err
		}

		flags := core.NewBaseCollection("flags")
		flags.Fields.Add(
			choice("rule", true, suspicion.CardTesting, suspicion.BookingChurn, suspicion.UnpaidHoard, suspicion.SignupBurst, suspicion.LargeRefund),
			relation("user", users.Id, false, true), // whose activity, when it is one person's
			text("subject", 64, true),               // the user id, or the IP address
			&core.JSONField{Name: "evidence", MaxSize: 32 << 10},
			choice("holds", false, suspicion.HoldCheckout),
			choice("status", true, "open", "dismissed", "warned", "suspended"),
			relation("reviewed_by", users.Id, false, false),
			&core.DateField{Name: "reviewed_at"},
			text("note", 1000, false),
		)
		flags.Fields.Add(timestamps()...)
		// one open flag per rule and subject: a new hit while one is open is
		// the same case
		flags.AddIndex("idx_flags_open", true, "rule, subject", "status = 'open'")
		flags.AddIndex("idx_flags_status", false, "status, created", "")
		flags.AddIndex("idx_flags_user", false, "user", "user != ''")
		rules(flags, rule(RuleFlagsView), rule(RuleFlagsView), nil, nil, nil)
		if err := app.Save(flags); err != nil {
			return err
		}

		school, err := app.FindCollectionByNameOrId("school")
		if err != nil {
			return err
		}
		school.Fields.Add(
			integer("flag_failed_payments", 0, 1000, false),
			integer("flag_cancellations", 0, 1000, false),
			integer("flag_unpaid_lessons", 0, 1000, false),
			integer("flag_signups_per_ip", 0, 10000, false),
			integer("flag_refund_cents", 0, 1e10, false),
		)
		if err := app.Save(school); err != nil {
			return err
		}
		r, err := app.FindRecordById(school, SchoolId)
		if err != nil {
			return err
		}
		d := suspicion.Defaults()
		r.Set("flag_failed_payments", d.FailedPayments)
		r.Set("flag_cancellations", d.Cancellations)
		r.Set("flag_unpaid_lessons", d.UnpaidLessons)
		r.Set("flag_signups_per_ip", d.SignupsPerIP)
		r.Set("flag_refund_cents", d.RefundCents)
		return app.Save(r)
	}, func(app core.App) error {
		if err := dropCollections(app, "flags"); err != nil {
			return err
		}
		school, err := app.FindCollectionByNameOrId("school")
		if err != nil {
			return err
		}
		for _, f := range flagThresholds {
			school.Fields.RemoveByName(f)
		}
		if err := app.Save(school); err != nil {
			return err
		}
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.RemoveByName("suspended")
		users.AuthRule = rule("")
		return app.Save(users)
	})
}
