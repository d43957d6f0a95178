package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Invoice details belong to whoever pays, a student or a guardian (who has
// no student profile): the tax fields of the student profile
// (add_einvoice_fields) move to billing_details, one row per user, read
// and written by its owner and staff. Existing details move with them.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		details := core.NewBaseCollection("billing_details")
		details.Fields.Add(relation("user", users.Id, true, true))
		details.Fields.Add(billingFields()...)
		details.Fields.Add(timestamps()...)
		details.AddIndex("idx_billing_details_user", true, "user", "")
		own := rule(RuleBillingDetailsOwn)
		rules(details, own, own, rule(RuleBillingDetailsCreate), own, nil)
		if err := app.Save(details); err != nil {
			return err
		}
		had, err := app.FindRecordsByFilter("students", "billing_fiscal_code != '' || billing_vat_id != '' || "+
			"billing_recipient_code != '' || billing_pec != '' || billing_street != ''", "", 0, 0)
		if err != nil {
			return err
		}
		for _, st := range had {
			d := core.NewRecord(details)
			d.Set("user", st.GetString("user"))
			for _, f := range studentBillingFields {
				d.Set(f, st.Get(f))
			}
			if err := app.Save(d); err != nil {
				return err
			}
		}
		return dropFields(app, "students", studentBillingFields...)
	}, func(app core.App) error {
		students, err := app.FindCollectionByNameOrId("students")
		if err != nil {
			return err
		}
		students.Fields.Add(billingFields()...)
		if err := app.Save(students); err != nil {
			return err
		}
		for _, f := range studentBillingFields {
			q := "UPDATE students SET [[" + f + "]] = COALESCE((SELECT [[" + f + "]] FROM billing_details d WHERE d.[[user]] = students.[[user]]), '')"
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}
		return dropCollections(app, "billing_details")
	})
}

// billingFields are a customer's tax data for e-invoices, as the earlier
// migration defined them on the student profile.
func billingFields() []core.Field {
	return []core.Field{
		&core.TextField{Name: "billing_fiscal_code", Max: 16, Pattern: `^[A-Z0-9]{11,16}$`},
		&core.TextField{Name: "billing_vat_id", Max: 28, Pattern: `^[A-Z0-9]{2,28}$`},
		&core.TextField{Name: "billing_recipient_code", Pattern: `^[A-Z0-9]{7}$`},
		&core.EmailField{Name: "billing_pec"},
		text("billing_street", 60, false),
		&core.TextField{Name: "billing_postcode", Max: 10, Pattern: `^[0-9A-Z -]{3,10}$`},
		text("billing_city", 60, false),
		&core.TextField{Name: "billing_province", Pattern: `^[A-Z]{2}$`},
		&core.TextField{Name: "billing_country", Pattern: `^[A-Z]{2}$`},
	}
}

// dropFields removes fields from a collection.
func dropFields(app core.App, collection string, fields ...string) error {
	c, err := app.FindCollectionByNameOrId(collection)
	if err != nil {
		return err
	}
	for _, f := range fields {
		c.Fields.RemoveByName(f)
	}
	return app.Save(c)
}
