package billing

// bpPerWhole is 100% in basis points.
const bpPerWhole = 10000

// Totals is the subtotal (before tax), tax and total of an amount, all in
// the same currency's minor units; Subtotal+Tax == Total always holds.
type Totals struct {
	Subtotal int64
	Tax      int64
	Total    int64
}

// ComputeTax splits or grows amount by the school's tax rate, rateBP in
// basis points ([PercentToBP] of tax_rate_percent).
//
// When prices include tax (inclusive, the school's default) amount is the
// total and the subtotal is backed out of it, round(total*10000/(10000+
// rateBP)), the tax being the remainder: 12200 at 22% is 10000 + 2200, and
// 100 is 82 + 18. Otherwise amount is the subtotal, tax is
// round(subtotal*rateBP/10000) and the total their sum. Tax is always the
// difference of the other two, so the parts add up to the cent.
//
// A rate of zero or less means no tax. Negative amounts (credit notes) give
// the exact mirror of the positive amount.
func ComputeTax(amount, rateBP int64, inclusive bool) Totals {
	if rateBP <= 0 {
		return Totals{Subtotal: amount, Total: amount}
	}
	if inclusive {
		sub := MulDivRound(amount, bpPerWhole, bpPerWhole+rateBP)
		return Totals{Subtotal: sub, Tax: amount - sub, Total: amount}
	}
	tax := MulDivRound(amount, rateBP, bpPerWhole)
	return Totals{Subtotal: amount, Tax: tax, Total: amount + tax}
}

// Line is one row of an invoice. Amount is the row's money and the one
// that counts; Quantity and UnitAmount are printed for the reader and are
// expected to satisfy Amount == Quantity*UnitAmount ([NewLine] builds such
// a line). With prices including tax, UnitAmount and Amount include it.
// Tax is the line's tax rule; nil (lines stored before tax rules existed)
// means the invoice's single rate.
type Line struct {
	Description string
	Quantity    int64
	UnitAmount  int64
	Amount      int64
	Tax         *TaxRule `json:",omitempty"`
}

// NewLine returns a Line whose Amount is quantity*unitAmount. Like
// [MulDivRound], it panics if that product does not fit in an int64.
func NewLine(description string, quantity, unitAmount int64) Line {
	return Line{
		Description: description,
		Quantity:    quantity,
		UnitAmount:  unitAmount,
		Amount:      MulDivRound(quantity, unitAmount, 1),
	}
}

// InvoiceTotals taxes every line at rateBP: the lines' Amount are summed
// and [ComputeTax] applied once, on that sum (see [TaxByRate], of which
// this is the one-rate case).
func InvoiceTotals(lines []Line, rateBP int64, inclusive bool) Totals {
	_, totals := TaxByRate(lines, TaxRule{RateBP: rateBP}, inclusive)
	return totals
}
