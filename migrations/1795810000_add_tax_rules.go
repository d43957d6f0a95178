package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// taxRuleFields are the tax rule of a subject or a package (docs/payments.md
// "Tax and e-invoicing"): tax_mode empty takes the next rule (a package's
// subject, then the school's rate); "rate" charges tax_rate_percent;
// "exempt" charges none, for the reason tax_nature (FatturaPA's Natura) and
// tax_reference (the law) give.
var taxRuleFields = []string{"tax_mode", "tax_rate_percent", "tax_nature", "tax_reference"}

func init() {
	m.Register(func(app core.App) error {
		for _, name := range []string{"subjects", "packages"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			c.Fields.Add(
				choice("tax_mode", false, "rate", "exempt"),
				&core.NumberField{Name: "tax_rate_percent", Min: types.Pointer(0.0), Max: types.Pointer(100.0)},
				choice("tax_nature", false, "N1", "N4"),
				text("tax_reference", 200, false),
			)
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		for _, name := range []string{"subjects", "packages"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			for _, f := range taxRuleFields {
				c.Fields.RemoveByName(f)
			}
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	})
}
