package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// coupons.people: the people a coupon was given to (users; the payer or
// the student of a payment must be one of them), such as the coupon staff
// offer a student at risk; empty, anyone with the code may use it.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		coupons, err := app.FindCollectionByNameOrId("coupons")
		if err != nil {
			return err
		}
		coupons.Fields.Add(&core.RelationField{Name: "people", CollectionId: users.Id, MaxSelect: 100})
		return app.Save(coupons)
	}, func(app core.App) error {
		coupons, err := app.FindCollectionByNameOrId("coupons")
		if err != nil {
			return err
		}
		coupons.Fields.RemoveByName("people")
		return app.Save(coupons)
	})
}
