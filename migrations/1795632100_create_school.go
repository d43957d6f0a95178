package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// SchoolId is the fixed id of the one school record, so clients can read it
// with getOne("tutorbaseschool").
const SchoolId = "tutorbaseschool"

func init() {
	m.Register(func(app core.App) error {
		c := core.NewBaseCollection("school")
		c.Fields.Add(
			text("name", 200, true),
			text("timezone", 64, true),
			choice("locale", true, "it", "en"),
			currency("currency", true),
			&core.NumberField{Name: "commission_percent", Min: types.Pointer(0.0), Max: types.Pointer(100.0)},
			integer("cancel_window_hours", 0, 720, false),
			integer("late_cancel_refund_percent", 0, 100, false),
			&core.JSONField{Name: "reminder_offsets", MaxSize: 1 << 10},
			&core.NumberField{Name: "tax_rate_percent", Min: types.Pointer(0.0), Max: types.Pointer(100.0)},
			&core.BoolField{Name: "prices_include_tax"},
			&core.TextField{Name: "invoice_prefix", Max: 20, Pattern: `^[A-Za-z0-9/_-]*$`},
			integer("slot_step_minutes", 5, 120, true),
			&core.EmailField{Name: "email"},
			&core.TextField{Name: "phone", Max: 32},
			text("address", 500, false),
			text("vat_id", 40, false),
			text("payment_instructions", 2000, false),
			integer("pending_expiry_hours", 1, 720, false),
			integer("low_credit_threshold", 0, 50, false),
			integer("retention_days", 7, 3650, false),
		)
		c.Fields.Add(timestamps()...)
		rules(c, rule(RuleSchoolView), rule(RuleSchoolView), nil, rule(RuleSchoolUpdate), nil)
		if err := app.Save(c); err != nil {
			return err
		}

		r := core.NewRecord(c)
		r.Id = SchoolId
		r.Load(map[string]any{
			"name":                       "Tutorbase School",
			"timezone":                   "Europe/Rome",
			"locale":                     "it",
			"currency":                   "EUR",
			"commission_percent":         20,
			"cancel_window_hours":        24,
			"late_cancel_refund_percent": 0,
			"reminder_offsets":           []int{1440, 60},
			"tax_rate_percent":           0,
			"prices_include_tax":         true,
			"invoice_prefix":             "INV-",
			"slot_step_minutes":          30,
			"payment_instructions":       "Pay by bank transfer or in cash at the front desk, quoting your name and the package.",
			"pending_expiry_hours":       48,
			"low_credit_threshold":       1,
			"retention_days":             180,
		})
		return app.Save(r)
	}, func(app core.App) error {
		return dropCollections(app, "school")
	})
}
