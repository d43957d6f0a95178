package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

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
		purchases, err := app.FindCollectionByNameOrId("purchases")
		if err != nil {
			return err
		}
		bookings, err := app.FindCollectionByNameOrId("bookings")
		if err != nil {
			return err
		}

		payments := core.NewBaseCollection("payments")
		payments.Fields.Add(
			relation("user", users.Id, true, false),
			relation("purchase", purchases.Id, false, false),
			relation("booking", bookings.Id, false, false),
			cents("amount", true),
			currency("currency", true),
			choice("status", true, "pending", "paid", "refunded", "partially_refunded", "failed"),
			choice("provider", true, "stripe", "manual"),
			text("provider_id", 255, false),
			cents("refunded_amount", false),
			&core.DateField{Name: "paid_at"},
		)
		payments.Fields.Add(timestamps()...)
		payments.AddIndex("idx_payments_provider_id", true, "provider_id", "provider_id != ''")
		payments.AddIndex("idx_payments_user", false, "user, created", "")
		payments.AddIndex("idx_payments_purchase", false, "purchase", "purchase != ''")
		payments.AddIndex("idx_payments_booking", false, "booking", "booking != ''")
		rules(payments, rule(RuleOwnMoneyView), rule(RuleOwnMoneyView), nil, nil, nil)
		if err := app.Save(payments); err != nil {
			return err
		}

		invoices := core.NewBaseCollection("invoices")
		invoices.Fields.Add(
			text("number", 40, true),
			choice("kind", true, "invoice", "credit_note"),
			relation("user", users.Id, true, false),
			relation("payment", payments.Id, true, false),
			&core.JSONField{Name: "buyer", MaxSize: 4 << 10},
			&core.JSONField{Name: "seller", MaxSize: 4 << 10},
			&core.JSONField{Name: "lines", MaxSize: 64 << 10},
			integer("subtotal", -1e8, 1e8, false),
			integer("tax", -1e8, 1e8, false),
			integer("total", -1e8, 1e8, false),
			currency("currency", true),
			&core.DateField{Name: "issued_at", Required: true},
			&core.FileField{Name: "pdf", Protected: true, MaxSelect: 1, MaxSize: 5 << 20, MimeTypes: []string{"application/pdf"}},
		)
		invoices.Fields.Add(timestamps()...)
		invoices.AddIndex("idx_invoices_number", true, "number", "")
		invoices.AddIndex("idx_invoices_user", false, "user, issued_at", "")
		invoices.AddIndex("idx_invoices_payment", false, "payment", "")
		rules(invoices, rule(RuleOwnMoneyView), rule(RuleOwnMoneyView), nil, nil, nil)
		if err := app.Save(invoices); err != nil {
			return err
		}
		payments.Fields.Add(relation("invoice", invoices.Id, false, false))
		if err := app.Save(payments); err != nil {
			return err
		}

		payouts := core.NewBaseCollection("payouts")
		payouts.Fields.Add(
			relation("tutor", tutors.Id, true, false),
			relation("tutor_user", users.Id, false, false),
			&core.DateField{Name: "period_start", Required: true},
			&core.DateField{Name: "period_end", Required: true},
			integer("lessons", 0, 1e6, false),
			&core.JSONField{Name: "items", MaxSize: 1 << 20},
			integer("gross", -1e9, 1e9, false),
			integer("commission", -1e9, 1e9, false),
			integer("net", -1e9, 1e9, false),
			currency("currency", true),
			choice("status", true, "pending", "paid", "failed"),
			text("provider_ref", 255, false),
			&core.DateField{Name: "paid_at"},
		)
		payouts.Fields.Add(timestamps()...)
		payouts.AddIndex("idx_payouts_period", true, "tutor, period_start, period_end", "")
		payouts.AddIndex("idx_payouts_tutor_user", false, "tutor_user, period_start", "")
		rules(payouts, rule(RulePayoutsView), rule(RulePayoutsView), nil, nil, nil)
		if err := app.Save(payouts); err != nil {
			return err
		}

		events := core.NewBaseCollection("stripe_events")
		events.Fields.Add(
			&core.TextField{Name: "event_id", Min: 1, Max: 255, Required: true},
			text("type", 100, true),
			&core.DateField{Name: "processed_at"},
		)
		events.Fields.Add(timestamps()...)
		events.AddIndex("idx_stripe_events_event_id", true, "event_id", "")
		return app.Save(events)
	}, func(app core.App) error {
		payments, err := app.FindCollectionByNameOrId("payments")
		if err != nil {
			return err
		}
		payments.Fields.RemoveByName("invoice")
		if err := app.Save(payments); err != nil {
			return err
		}
		return dropCollections(app, "stripe_events", "payouts", "invoices", "payments")
	})
}
