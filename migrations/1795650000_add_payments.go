package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// RuleRefundsView: the buyer and staff see refunds; the server writes them.
const RuleRefundsView = "user = @request.auth.id || " + isAdmin

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		payments, err := app.FindCollectionByNameOrId("payments")
		if err != nil {
			return err
		}
		invoices, err := app.FindCollectionByNameOrId("invoices")
		if err != nil {
			return err
		}
		payouts, err := app.FindCollectionByNameOrId("payouts")
		if err != nil {
			return err
		}
		bookings, err := app.FindCollectionByNameOrId("bookings")
		if err != nil {
			return err
		}
		tutors, err := app.FindCollectionByNameOrId("tutors")
		if err != nil {
			return err
		}

		payments.Fields.Add(
			choice("kind", false, "purchase", "lesson"),
			choice("method", false, "card", "cash", "transfer", "other"),
			text("reference", 255, false),
			text("checkout_session", 255, false),
			text("checkout_url", 1000, false),
			text("description", 300, false),
		)
		payments.AddIndex("idx_payments_checkout_session", false, "checkout_session", "checkout_session != ''")
		if err := app.Save(payments); err != nil {
			return err
		}

		invoices.Fields.Add(
			relation("refers_to", invoices.Id, false, false),
			integer("year", 2000, 9999, false),
			integer("seq", 1, 1e9, false),
			&core.NumberField{Name: "tax_rate_percent"},
			&core.BoolField{Name: "prices_include_tax"},
		)
		invoices.AddIndex("idx_invoices_year_seq", true, "year, seq", "")
		if err := app.Save(invoices); err != nil {
			return err
		}

		// the last invoice number of each year: numbers are never reused,
		// even if an invoice were deleted
		counters := core.NewBaseCollection("invoice_counters")
		counters.Fields.Add(integer("year", 2000, 9999, true), integer("last", 0, 1e9, false))
		counters.AddIndex("idx_invoice_counters_year", true, "year", "")
		if err := app.Save(counters); err != nil {
			return err
		}

		refunds := core.NewBaseCollection("refunds")
		refunds.Fields.Add(
			relation("payment", payments.Id, true, false),
			relation("user", users.Id, true, false),
			relation("booking", bookings.Id, false, false),
			integer("amount", 1, 1e8, true),
			currency("currency", true),
			text("reason", 500, false),
			choice("provider", true, "stripe", "manual"),
			text("provider_id", 255, false),
			choice("status", true, "pending", "succeeded", "failed"),
			integer("attempts", 0, 1000, false),
			text("last_error", 1000, false),
			relation("credit_note", invoices.Id, false, false),
			integer("credits", 0, 200, false), // package credits this refund takes back
			relation("reversed_in", payouts.Id, false, false),
		)
		refunds.Fields.Add(timestamps()...)
		refunds.AddIndex("idx_refunds_provider_id", false, "provider_id", "provider_id != ''")
		refunds.AddIndex("idx_refunds_payment", false, "payment", "")
		refunds.AddIndex("idx_refunds_status", false, "status, updated", "")
		refunds.AddIndex("idx_refunds_booking", false, "booking", "booking != ''")
		rules(refunds, rule(RuleRefundsView), rule(RuleRefundsView), nil, nil, nil)
		if err := app.Save(refunds); err != nil {
			return err
		}

		// the payout a completed lesson was paid out in
		bookings.Fields.Add(relation("payout", payouts.Id, false, false))
		bookings.AddIndex("idx_bookings_payout", false, "tutor, status, payout, \"end\"", "")
		if err := app.Save(bookings); err != nil {
			return err
		}

		// where a tutor without Stripe Connect is paid (bank runs); hidden:
		// shown only to its owner and staff
		tutors.Fields.Add(&core.TextField{Name: "iban", Hidden: true, Max: 34, Pattern: `^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$`})
		return app.Save(tutors)
	}, func(app core.App) error {
		if err := dropCollections(app, "refunds", "invoice_counters"); err != nil {
			return err
		}
		drop := map[string][]string{
			"payments": {"kind", "method", "reference", "checkout_session", "checkout_url", "description"},
			"invoices": {"refers_to", "year", "seq", "tax_rate_percent", "prices_include_tax"},
			"bookings": {"payout"},
			"tutors":   {"iban"},
		}
		indexes := map[string][]string{
			"payments": {"idx_payments_checkout_session"}, "invoices": {"idx_invoices_year_seq"}, "bookings": {"idx_bookings_payout"},
		}
		for name, fields := range drop {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			for _, f := range fields {
				c.Fields.RemoveByName(f)
			}
			for _, idx := range indexes[name] {
				c.RemoveIndex(idx)
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	})
}
