package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Plans and subscriptions: a plan gives credits each month or week for a
// price; a subscription is one payer's to one plan. Each paid period is a
// purchase of the plan's credits (no package: its subscription instead)
// with its payment and invoice, so credits, payouts and the invariants work
// on periods as on packages.
func init() {
	m.Register(func(app core.App) error {
		ids := map[string]string{}
		for _, name := range []string{"users", "subjects", "tutors"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			ids[name] = c.Id
		}
		plans := core.NewBaseCollection("plans")
		plans.Fields.Add(
			text("title", 120, true),
			text("description", 500, false),
			integer("credits", 1, 200, true),
			integer("minutes", 0, 480, false), // each credit's lesson length; 0: any
			relation("tutor", ids["tutors"], false, false),
			relation("subject", ids["subjects"], false, false),
			integer("price", 1, 1e8, true), // per period, in minor units
			currency("currency", true),
			choice("interval", true, "month", "week"),
			integer("rollover_max", 0, 200, false), // unused credits carried into the next period
			integer("grace_days", 0, 60, false),    // bookings go on this long after a failed payment
			&core.BoolField{Name: "active"},
		)
		plans.Fields.Add(timestamps()...)
		plans.AddIndex("idx_plans_active", false, "active, price", "")
		rules(plans, rule(RulePlansView), rule(RulePlansView), rule(RulePlansManage), rule(RulePlansManage), rule(RulePlansManage))
		if err := app.Save(plans); err != nil {
			return err
		}

		subs := core.NewBaseCollection("subscriptions")
		subs.Fields.Add(
			relation("user", ids["users"], true, false),    // who pays
			relation("student", ids["users"], true, false), // whose credits
			relation("plan", plans.Id, true, false),
			relation("next_plan", plans.Id, false, false), // from the next period
			choice("status", true, "incomplete", "active", "past_due", "cancelled"),
			choice("provider", true, "stripe", "manual"),
			text("provider_ref", 255, false), // the provider's subscription id
			text("customer", 255, false),     // the provider's customer id
			&core.DateField{Name: "current_period_start"},
			&core.DateField{Name: "current_period_end"},
			&core.BoolField{Name: "cancel_at_period_end"},
			&core.DateField{Name: "grace_until"},
			&core.DateField{Name: "provider_updated_at"}, // the newest provider event applied to status and cancel_at_period_end
			text("checkout_url", 1000, false),
		)
		subs.Fields.Add(timestamps()...)
		subs.AddIndex("idx_subscriptions_user", false, "user, status", "")
		subs.AddIndex("idx_subscriptions_student", false, "student", "")
		subs.AddIndex("idx_subscriptions_provider_ref", true, "provider_ref", "provider_ref != ''")
		// one live subscription per payer
		subs.AddIndex("idx_subscriptions_live", true, "user", "status != 'cancelled'")
		view := rule(RuleSubscriptionsView)
		rules(subs, view, view, nil, nil, nil)
		if err := app.Save(subs); err != nil {
			return err
		}

		purchases, err := app.FindCollectionByNameOrId("purchases")
		if err != nil {
			return err
		}
		purchases.Fields.GetByName("package").(*core.RelationField).Required = false
		purchases.Fields.Add(
			relation("subscription", subs.Id, false, false),
			&core.DateField{Name: "period_start"},
			&core.DateField{Name: "period_end"},
		)
		// one purchase per paid period: a repeated event or renewal adds nothing
		purchases.AddIndex("idx_purchases_period", true, "subscription, period_start", "subscription != ''")
		if err := app.Save(purchases); err != nil {
			return err
		}
		payments, err := app.FindCollectionByNameOrId("payments")
		if err != nil {
			return err
		}
		payments.Fields.GetByName("kind").(*core.SelectField).Values = []string{"purchase", "lesson", "subscription"}
		return app.Save(payments)
	}, func(app core.App) error {
		purchases, err := app.FindCollectionByNameOrId("purchases")
		if err != nil {
			return err
		}
		purchases.RemoveIndex("idx_purchases_period")
		purchases.Fields.RemoveByName("subscription")
		purchases.Fields.RemoveByName("period_start")
		purchases.Fields.RemoveByName("period_end")
		if err := app.Save(purchases); err != nil {
			return err
		}
		return dropCollections(app, "subscriptions", "plans")
	})
}
