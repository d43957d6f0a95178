package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Coupons and promotion codes: staff write the coupons; the checkout
// writes one redemption per payment that used a code. A redemption is held
// while its payment is pending, redeemed once it is paid and released when
// it fails, so the limits count held and redeemed ones.
func init() {
	m.Register(func(app core.App) error {
		ids := map[string]string{}
		for _, name := range []string{"users", "subjects", "tutors", "payments", "purchases", "bookings"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			ids[name] = c.Id
		}
		coupons := core.NewBaseCollection("coupons")
		coupons.Fields.Add(
			&core.TextField{Name: "code", Min: 3, Max: 40, Pattern: `^[A-Z0-9_-]+$`, Required: true},
			text("description", 200, false),
			integer("percent", 0, 100, false),
			cents("amount_off", false),
			currency("currency", false),
			&core.SelectField{Name: "kinds", Values: []string{"package", "lesson"}, MaxSelect: 2},
			&core.RelationField{Name: "subjects", CollectionId: ids["subjects"], MaxSelect: 100},
			&core.RelationField{Name: "tutors", CollectionId: ids["tutors"], MaxSelect: 100},
			&core.DateField{Name: "valid_from"},
			&core.DateField{Name: "valid_until"},
			integer("max_uses", 0, 1e6, false),
			integer("max_per_person", 0, 1000, false),
			&core.BoolField{Name: "first_purchase_only"},
			&core.BoolField{Name: "active"},
		)
		coupons.Fields.Add(timestamps()...)
		coupons.AddIndex("idx_coupons_code", true, "code", "")
		staff := rule(RuleCouponsManage)
		rules(coupons, staff, staff, staff, staff, staff)
		if err := app.Save(coupons); err != nil {
			return err
		}

		redemptions := core.NewBaseCollection("coupon_redemptions")
		redemptions.Fields.Add(
			relation("coupon", coupons.Id, true, false),
			relation("user", ids["users"], true, false),
			relation("payment", ids["payments"], true, false),
			relation("purchase", ids["purchases"], false, false),
			relation("booking", ids["bookings"], false, false),
			text("code", 40, true),
			integer("amount", 1, 1e8, true), // the discount, in the payment's minor units
			currency("currency", true),
			choice("status", true, "held", "redeemed", "released"),
		)
		redemptions.Fields.Add(timestamps()...)
		redemptions.AddIndex("idx_coupon_redemptions_payment", true, "payment", "")
		redemptions.AddIndex("idx_coupon_redemptions_coupon", false, "coupon, status, user", "")
		redemptions.AddIndex("idx_coupon_redemptions_user", false, "user", "")
		view := rule(RuleCouponRedemptionsView)
		rules(redemptions, view, view, nil, nil, nil)
		return app.Save(redemptions)
	}, func(app core.App) error {
		return dropCollections(app, "coupon_redemptions", "coupons")
	})
}
