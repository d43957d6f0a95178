package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Family billing: payments and invoices record who paid (payer, also
// their user: the record is the payer's) and for whom (student); a
// purchase records its payer, and a guardian's purchase (its student is
// the guardian) is the family's: any of their students books with it.
// Existing rows were paid by their student for themselves.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		for _, name := range []string{"payments", "invoices", "purchases"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			c.Fields.Add(relation("payer", users.Id, false, false))
			c.AddIndex("idx_"+name+"_payer", false, "payer", "")
			if name != "purchases" {
				c.Fields.Add(relation("student", users.Id, false, false))
				c.AddIndex("idx_"+name+"_student", false, "student", "")
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		for _, q := range []string{
			`UPDATE purchases SET payer = student WHERE payer = ''`,
			`UPDATE payments SET payer = user, student = COALESCE(
				(SELECT student FROM purchases WHERE id = payments.purchase),
				(SELECT student FROM bookings WHERE id = payments.booking), user) WHERE payer = ''`,
			`UPDATE invoices SET payer = user, student = COALESCE((SELECT student FROM payments WHERE id = invoices.payment), user) WHERE payer = ''`,
		} {
			if _, err := app.DB().NewQuery(q).Execute(); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		for _, name := range []string{"payments", "invoices", "purchases"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			c.RemoveIndex("idx_" + name + "_payer")
			c.Fields.RemoveByName("payer")
			if name != "purchases" { // a purchase's student is its own, older field
				c.RemoveIndex("idx_" + name + "_student")
				c.Fields.RemoveByName("student")
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	})
}
