package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// What a FatturaPA e-invoice needs (docs/payments.md "Tax and
// e-invoicing"): the school's fiscal code, tax regime and legal address
// (its partita IVA is vat_id), and the customer's tax data on the student
// profile, which only its owner and staff read.
var (
	schoolEInvoiceFields = []string{"fiscal_code", "tax_regime", "legal_street", "legal_postcode", "legal_city", "legal_province"}
	studentBillingFields = []string{"billing_fiscal_code", "billing_vat_id", "billing_recipient_code", "billing_pec", "billing_street", "billing_postcode", "billing_city", "billing_province", "billing_country"}
	fatturaPATaxRegimes  = []string{"RF01", "RF02", "RF04", "RF05", "RF06", "RF07", "RF08", "RF09", "RF10", "RF11", "RF12", "RF13", "RF14", "RF15", "RF16", "RF17", "RF18", "RF19"}
)

func init() {
	m.Register(func(app core.App) error {
		school, err := app.FindCollectionByNameOrId("school")
		if err != nil {
			return err
		}
		school.Fields.Add(
			&core.TextField{Name: "fiscal_code", Max: 16, Pattern: `^[A-Z0-9]{11,16}$`},
			choice("tax_regime", false, fatturaPATaxRegimes...),
			text("legal_street", 60, false),
			&core.TextField{Name: "legal_postcode", Pattern: `^[0-9]{5}$`},
			text("legal_city", 60, false),
			&core.TextField{Name: "legal_province", Pattern: `^[A-Z]{2}$`},
		)
		if err := app.Save(school); err != nil {
			return err
		}
		students, err := app.FindCollectionByNameOrId("students")
		if err != nil {
			return err
		}
		students.Fields.Add(
			&core.TextField{Name: "billing_fiscal_code", Max: 16, Pattern: `^[A-Z0-9]{11,16}$`},
			&core.TextField{Name: "billing_vat_id", Max: 28, Pattern: `^[A-Z0-9]{2,28}$`},
			&core.TextField{Name: "billing_recipient_code", Pattern: `^[A-Z0-9]{7}$`},
			&core.EmailField{Name: "billing_pec"},
			text("billing_street", 60, false),
			&core.TextField{Name: "billing_postcode", Max: 10, Pattern: `^[0-9A-Z -]{3,10}$`},
			text("billing_city", 60, false),
			&core.TextField{Name: "billing_province", Pattern: `^[A-Z]{2}$`},
			&core.TextField{Name: "billing_country", Pattern: `^[A-Z]{2}$`},
		)
		return app.Save(students)
	}, func(app core.App) error {
		for name, fields := range map[string][]string{"school": schoolEInvoiceFields, "students": studentBillingFields} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			for _, f := range fields {
				c.Fields.RemoveByName(f)
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	})
}
