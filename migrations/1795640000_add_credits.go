package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Rules of the credit ledger: the student (or the parent paying as the
// student) and staff read it; only the server writes it.
const RuleLedgerView = "student = @request.auth.id || " + isAdmin

// RulePackagesViewWithBuyers extends the public package rule: a student who
// bought an archived package still sees it.
const RulePackagesViewWithBuyers = RulePackagesView +
	" || (status = 'archived' && @collection.purchases:bought.package ?= id && @collection.purchases:bought.student ?= @request.auth.id)"

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
		packages, err := app.FindCollectionByNameOrId("packages")
		if err != nil {
			return err
		}

		// what a purchase bought, frozen at checkout: later edits of the
		// package change nothing already sold
		purchases.Fields.Add(
			relation("tutor", tutors.Id, false, false),
			integer("lessons", 0, 200, false),
			integer("minutes", 0, 480, false),
			cents("list_price", false),
			integer("discount_percent", 0, 90, false),
		)
		purchases.AddIndex("idx_purchases_tutor", false, "tutor", "")
		if err := app.Save(purchases); err != nil {
			return err
		}

		packages.Fields.Add(cents("effective_price", false)) // price after the discount, kept by the server
		packages.AddIndex("idx_packages_status_price", false, "status, effective_price", "")
		packages.ViewRule = rule(RulePackagesViewWithBuyers)
		packages.ListRule = rule(RulePackagesViewWithBuyers)
		if err := app.Save(packages); err != nil {
			return err
		}

		// unpaid: a pay-per-lesson booking not paid yet; credit: paid from a
		// package; free: a lesson with no price
		bookings.Fields.Add(choice("payment_status", false, "unpaid", "paid", "refunded", "partially_refunded", "credit", "free"))
		bookings.AddIndex("idx_bookings_payment_status", false, "payment_status", "")
		if err := app.Save(bookings); err != nil {
			return err
		}

		ledger := core.NewBaseCollection("credit_ledger")
		ledger.Fields.Add(
			relation("student", users.Id, true, false),
			relation("purchase", purchases.Id, true, true),
			relation("booking", bookings.Id, false, false),
			choice("kind", true, "bought", "spent", "returned", "forfeited", "expired", "refunded", "moved"),
			integer("delta", -200, 200, false),
			integer("balance_after", 0, 200, false),
			text("note", 300, false),
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		ledger.AddIndex("idx_credit_ledger_student", false, "student, created", "")
		ledger.AddIndex("idx_credit_ledger_purchase", false, "purchase, created", "")
		rules(ledger, rule(RuleLedgerView), rule(RuleLedgerView), nil, nil, nil)
		return app.Save(ledger)
	}, func(app core.App) error {
		if err := dropCollections(app, "credit_ledger"); err != nil {
			return err
		}
		purchases, err := app.FindCollectionByNameOrId("purchases")
		if err != nil {
			return err
		}
		for _, f := range []string{"tutor", "lessons", "minutes", "list_price", "discount_percent"} {
			purchases.Fields.RemoveByName(f)
		}
		purchases.RemoveIndex("idx_purchases_tutor")
		if err := app.Save(purchases); err != nil {
			return err
		}
		packages, err := app.FindCollectionByNameOrId("packages")
		if err != nil {
			return err
		}
		packages.Fields.RemoveByName("effective_price")
		packages.RemoveIndex("idx_packages_status_price")
		packages.ViewRule = rule(RulePackagesView)
		packages.ListRule = rule(RulePackagesView)
		if err := app.Save(packages); err != nil {
			return err
		}
		bookings, err := app.FindCollectionByNameOrId("bookings")
		if err != nil {
			return err
		}
		bookings.Fields.RemoveByName("payment_status")
		bookings.RemoveIndex("idx_bookings_payment_status")
		return app.Save(bookings)
	})
}
