package billing

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// TaxRule is how an invoice line is taxed: at a rate, or not at all with
// the reason the law gives. A subject or a package may carry one; lines
// without one take the school's rate.
type TaxRule struct {
	// RateBP is the rate in basis points (2200 is 22%); 0 for an exemption.
	RateBP int64
	// Nature is FatturaPA's Natura code of an untaxed line: "N4" (esenti,
	// exempt: lessons under art. 10 n. 20 DPR 633/72) or "N1" (escluse ex
	// art. 15). Empty on a taxed line, and on the untaxed lines of a school
	// that charges no tax at all.
	Nature string `json:",omitempty"`
	// Reference is the legal reference printed on the invoice and sent as
	// RiferimentoNormativo, e.g. "Esente art. 10 n. 20 DPR 633/72".
	Reference string `json:",omitempty"`
}

// TaxNatures are the Natura codes a rule may carry, with their meaning.
// Both exist unchanged in every FatturaPA schema version 1.2.x.
var TaxNatures = map[string]string{
	"N1": "escluse ex art. 15 DPR 633/72",
	"N4": "esenti",
}

// ErrInvalidTaxRule reports a tax rule that cannot be applied.
var ErrInvalidTaxRule = errors.New("billing: invalid tax rule")

// Validate checks a rule: a rate from 0 to 100%; an exemption (a Nature)
// only at rate 0 and with a legal reference.
func (r TaxRule) Validate() error {
	switch {
	case r.RateBP < 0 || r.RateBP > bpPerWhole:
		return fmt.Errorf("%w: rate %d bp", ErrInvalidTaxRule, r.RateBP)
	case r.Nature != "" && TaxNatures[r.Nature] == "":
		return fmt.Errorf("%w: unknown nature %q", ErrInvalidTaxRule, r.Nature)
	case r.Nature != "" && r.RateBP != 0:
		return fmt.Errorf("%w: an exemption has no rate", ErrInvalidTaxRule)
	case r.Nature != "" && r.Reference == "":
		return fmt.Errorf("%w: an exemption needs its legal reference", ErrInvalidTaxRule)
	}
	return nil
}

// Exempt reports whether the rule is an exemption (a Nature at rate 0).
func (r TaxRule) Exempt() bool { return r.Nature != "" }

// TaxSummary is the tax of all an invoice's lines under one rule, as
// FatturaPA's DatiRiepilogo: Taxable (ImponibileImporto) plus Tax
// (Imposta) is the lines' total.
type TaxSummary struct {
	Rule    TaxRule
	Taxable int64
	Tax     int64
}

// TaxByRate groups the lines by their rule (lines without one take def)
// and applies [ComputeTax] once per group, on the sum of its lines'
// Amount: tax is computed per rate over the lines of that rate, never per
// line, so the rounding does not depend on how an invoice is split into
// lines, and each group's Taxable and Tax add up to its lines to the cent.
// The totals are the groups' sums. Groups come highest rate first, then
// by nature and reference, so the order never depends on the lines'.
func TaxByRate(lines []Line, def TaxRule, inclusive bool) ([]TaxSummary, Totals) {
	sums := map[TaxRule]int64{}
	for _, l := range lines {
		sums[RuleOf(l, def)] += l.Amount
	}
	groups := make([]TaxSummary, 0, len(sums))
	var totals Totals
	for rule, sum := range sums {
		t := ComputeTax(sum, rule.RateBP, inclusive)
		groups = append(groups, TaxSummary{Rule: rule, Taxable: t.Subtotal, Tax: t.Tax})
		totals.Subtotal += t.Subtotal
		totals.Tax += t.Tax
		totals.Total += t.Total
	}
	slices.SortFunc(groups, func(a, b TaxSummary) int {
		return cmp.Or(cmp.Compare(b.Rule.RateBP, a.Rule.RateBP), cmp.Compare(a.Rule.Nature, b.Rule.Nature),
			cmp.Compare(a.Rule.Reference, b.Rule.Reference))
	})
	return groups, totals
}

// RuleOf returns a line's rule, or def when it has none.
func RuleOf(l Line, def TaxRule) TaxRule {
	if l.Tax != nil {
		return *l.Tax
	}
	return def
}
