package billing

import "tutorbase/internal/lang"

// StatementDocument lays a statement out as a [Document]: one table of
// date, text and amount, each section opened by a row with its heading
// (and its Empty line when it has no rows), the totals under it.
func StatementDocument(st Statement) Document {
	l := lang.Of(st.Locale)
	lbl, italian := invoiceLabels[l], l == lang.Italian
	money := func(amount int64) string {
		info, ok := currencies[st.Currency]
		if !ok {
			info = currencyInfo{exp: CurrencyExponent(st.Currency), symbol: st.Currency}
		}
		return formatAmount(amount, info.exp, info.symbol, italian)
	}
	d := Document{
		Title:   st.Title,
		Meta:    []string{st.School},
		Blocks:  []Block{{Name: st.For}},
		Columns: []Column{{Title: lbl.date, Width: 80}, {Title: lbl.description, Width: ContentWidth - 180}, {Title: lbl.amount, Width: 100, Right: true}},
		PageOf:  lbl.page, Created: st.Created,
	}
	for _, sec := range st.Sections {
		d.Rows = append(d.Rows, []string{"", sec.Heading, ""})
		if len(sec.Rows) == 0 {
			d.Rows = append(d.Rows, []string{"", sec.Empty, ""})
		}
		for _, row := range sec.Rows {
			amount := ""
			if row.HasAmount {
				amount = money(row.Amount)
			}
			d.Rows = append(d.Rows, []string{row.Date, row.Text, amount})
		}
	}
	for _, tot := range st.Totals {
		d.Summary = append(d.Summary, SummaryRow{Label: tot.Label, Value: money(tot.Amount), Bold: true})
	}
	return d
}

// RenderStatementPDF renders a statement as a PDF; the same Statement
// always gives the same bytes.
func RenderStatementPDF(st Statement) ([]byte, error) { return StatementDocument(st).Render() }
