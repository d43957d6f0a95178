package payments

import (
	"strings"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// taxRuleFields are the fields of a subject's or a package's tax rule
// (migration add_tax_rules); only staff set them.
var taxRuleFields = []string{"tax_mode", "tax_rate_percent", "tax_nature", "tax_reference"}

// upperBillingFields are a payer's tax codes (billing_details), kept upper
// case without spaces whoever writes them ("rss ncl 80a01h501u" is
// accepted).
var upperBillingFields = []string{"billing_fiscal_code", "billing_vat_id", "billing_recipient_code", "billing_province", "billing_country"}

// registerTaxRules validates the tax rules of subjects and packages, and
// tidies payers' tax codes (whose user stays as created).
func registerTaxRules(app core.App) {
	platform.Guard(app, "billing_details", platform.FieldGuard{Immutable: []string{"user"}})
	app.OnRecordValidate("billing_details").BindFunc(func(e *core.RecordEvent) error {
		for _, f := range upperBillingFields {
			e.Record.Set(f, strings.ToUpper(strings.Join(strings.Fields(e.Record.GetString(f)), "")))
		}
		return e.Next()
	})
	for _, name := range []string{"subjects", "packages"} {
		app.OnRecordValidate(name).BindFunc(func(e *core.RecordEvent) error {
			return platform.MergeErrors(e.Next(), taxRuleErrors(e.Record))
		})
	}
}

// taxRuleErrors checks a record's tax rule: a rate with at most two
// decimals; an exemption with its nature and its legal reference.
func taxRuleErrors(r *core.Record) validation.Errors {
	errs := validation.Errors{}
	switch r.GetString("tax_mode") {
	case "rate":
		if _, err := billing.PercentToBP(r.GetFloat("tax_rate_percent")); err != nil {
			errs["tax_rate_percent"] = validation.NewError("invalid_percent", "Use a percentage between 0 and 100 with at most two decimals.")
		}
	case "exempt":
		if r.GetString("tax_nature") == "" {
			errs["tax_nature"] = validation.NewError("validation_required", "Choose the kind of exemption: N4 (exempt) or N1 (excluded).")
		}
		if strings.TrimSpace(r.GetString("tax_reference")) == "" {
			errs["tax_reference"] = validation.NewError("validation_required", "Give the law the exemption rests on, e.g. art. 10 n. 20 DPR 633/72.")
		}
	}
	return errs
}

// taxRuleOf reads a subject's or a package's own tax rule; ok is false
// when it has none (tax_mode empty) or an invalid one.
func taxRuleOf(r *core.Record) (billing.TaxRule, bool) {
	switch r.GetString("tax_mode") {
	case "rate":
		bp, err := billing.PercentToBP(r.GetFloat("tax_rate_percent"))
		return billing.TaxRule{RateBP: bp}, err == nil
	case "exempt":
		rule := billing.TaxRule{Nature: r.GetString("tax_nature"), Reference: strings.TrimSpace(r.GetString("tax_reference"))}
		return rule, rule.Validate() == nil
	}
	return billing.TaxRule{}, false
}

// paymentTaxRule is the tax rule of a payment's line: its package's, else
// that package's subject's; a lesson's subject's; else the school's rate.
func paymentTaxRule(app core.App, pay *core.Record, school *platform.School) billing.TaxRule {
	var subject string
	if id := pay.GetString("purchase"); id != "" {
		if purchase, err := app.FindRecordById("purchases", id); err == nil {
			if pkg, err := app.FindRecordById("packages", purchase.GetString("package")); err == nil {
				if rule, ok := taxRuleOf(pkg); ok {
					return rule
				}
				subject = pkg.GetString("subject")
			} else if plan := planOf(app, purchase); plan != nil { // a subscription's period: its plan's subject
				subject = plan.GetString("subject")
			}
		}
	} else if id := pay.GetString("booking"); id != "" {
		if b, err := app.FindRecordById("bookings", id); err == nil {
			subject = b.GetString("subject")
		}
	}
	if subject != "" {
		if s, err := app.FindRecordById("subjects", subject); err == nil {
			if rule, ok := taxRuleOf(s); ok {
				return rule
			}
		}
	}
	return billing.TaxRule{RateBP: school.TaxRateBP}
}

// planOf is the plan of a subscription's period (nil for a package's
// purchase).
func planOf(app core.App, purchase *core.Record) *core.Record {
	sub, err := app.FindRecordById("subscriptions", purchase.GetString("subscription"))
	if err != nil {
		return nil
	}
	plan, err := app.FindRecordById("plans", sub.GetString("plan"))
	if err != nil {
		return nil
	}
	return plan
}

// creditNoteTaxRule is the rule of a refund's credit note: the one its
// invoice's first line was issued with, so that a rule changed since does
// not change what is reversed.
func creditNoteTaxRule(app core.App, pay *core.Record, school *platform.School) billing.TaxRule {
	inv, err := app.FindRecordById("invoices", pay.GetString("invoice"))
	if err != nil {
		return paymentTaxRule(app, pay, school)
	}
	var lines []billing.Line
	if err := platform.DecodeJSON(inv.Get("lines"), &lines); err != nil || len(lines) == 0 {
		return paymentTaxRule(app, pay, school)
	}
	return billing.RuleOf(lines[0], billing.TaxRule{RateBP: int64(inv.GetFloat("tax_rate_percent")*100 + 0.5)})
}
