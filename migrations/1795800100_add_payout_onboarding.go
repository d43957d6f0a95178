package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Payouts onboarding: a tutor connects their own Stripe Express account;
// its status, as last read from Stripe, is kept beside the account id
// (hidden like it: the payouts route shows it to its tutor and staff).
func init() {
	m.Register(func(app core.App) error {
		tutors, err := app.FindCollectionByNameOrId("tutors")
		if err != nil {
			return err
		}
		tutors.Fields.Add(
			&core.SelectField{Name: "payout_status", Values: []string{"details_needed", "pending", "enabled"}, MaxSelect: 1, Hidden: true},
			&core.DateField{Name: "payout_checked_at", Hidden: true},
		)
		return app.Save(tutors)
	}, func(app core.App) error {
		tutors, err := app.FindCollectionByNameOrId("tutors")
		if err != nil {
			return err
		}
		tutors.Fields.RemoveByName("payout_status")
		tutors.Fields.RemoveByName("payout_checked_at")
		return app.Save(tutors)
	})
}
