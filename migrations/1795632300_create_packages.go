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
		subjects, err := app.FindCollectionByNameOrId("subjects")
		if err != nil {
			return err
		}

		packages := core.NewBaseCollection("packages")
		packages.Fields.Add(
			relation("tutor", tutors.Id, true, false),
			relation("tutor_user", users.Id, false, false), // server-filled: the rules compare on it without a join
			relation("subject", subjects.Id, false, false),
			&core.TextField{Name: "title", Min: 3, Max: 120, Required: true},
			text("description", 5000, false),
			integer("lessons", 1, 200, true),
			integer("minutes", 15, 480, true),
			cents("price", true),
			currency("currency", false),
			integer("discount_percent", 0, 90, false),
			choice("status", true, "draft", "published", "archived"),
			integer("valid_days", 1, 730, true),
		)
		packages.Fields.Add(timestamps()...)
		packages.AddIndex("idx_packages_tutor", false, "tutor, status", "")
		packages.AddIndex("idx_packages_tutor_user", false, "tutor_user", "")
		packages.AddIndex("idx_packages_subject", false, "subject, status, price", "")
		rules(packages, rule(RulePackagesView), rule(RulePackagesView), rule(RulePackagesCreate), rule(RulePackagesUpdate), rule(RulePackagesDelete))
		if err := app.Save(packages); err != nil {
			return err
		}

		purchases := core.NewBaseCollection("purchases")
		purchases.Fields.Add(
			relation("student", users.Id, true, false),
			relation("package", packages.Id, true, false),
			integer("credits_total", 0, 200, false),
			integer("credits_used", 0, 200, false),
			cents("amount", true),
			currency("currency", true),
			choice("status", true, "pending", "paid", "refunded", "expired", "cancelled"),
			choice("provider", false, "stripe", "manual"),
			text("provider_ref", 255, false),
			&core.DateField{Name: "paid_at"},
			&core.DateField{Name: "expires_at"},
		)
		purchases.Fields.Add(timestamps()...)
		purchases.AddIndex("idx_purchases_student", false, "student, status", "")
		purchases.AddIndex("idx_purchases_package", false, "package", "")
		purchases.AddIndex("idx_purchases_expiry", false, "status, expires_at", "")
		rules(purchases, rule(RulePurchasesView), rule(RulePurchasesView), nil, nil, nil)
		return app.Save(purchases)
	}, func(app core.App) error {
		return dropCollections(app, "purchases", "packages")
	})
}
