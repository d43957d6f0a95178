package billing

import (
	"bytes"
	"fmt"

	"tutorbase/internal/lang"
)

// The statement's layout, kept apart from the invoice's: it uses only the
// PDF plumbing's assemblePDF, winAnsi, wrap, textWidth, pdfString, num and
// the two fonts, so it moves to another PDF writer by replacing those.

// Statement columns.
const (
	stmtDateX     = marginLeft
	stmtTextX     = marginLeft + 80
	stmtTextWidth = 300.0
)

// RenderStatementPDF renders a statement as a PDF 1.4 file of A4 pages,
// in the invoice's fonts; the same Statement always gives the same bytes.
func RenderStatementPDF(st Statement) []byte {
	r := &stmtRenderer{st: st, italian: lang.Of(st.Locale) == lang.Italian}
	r.newPage()
	r.line(fontBold, 18, stmtDateX, 24, st.Title)
	r.line(fontRegular, 10, stmtDateX, 16, st.School)
	r.line(fontBold, 11, stmtDateX, 14, st.For)
	for _, sec := range st.Sections {
		r.y -= 10
		r.line(fontBold, 12, stmtDateX, 20, sec.Heading)
		if len(sec.Rows) == 0 {
			r.line(fontRegular, 10, stmtDateX, 14, sec.Empty)
		}
		for _, row := range sec.Rows {
			r.row(row)
		}
	}
	r.y -= 10
	for _, tot := range st.Totals {
		r.advance(16)
		r.text(fontBold, 11, stmtDateX, winAnsi(tot.Label))
		r.right(fontBold, 11, winAnsi(r.money(tot.Amount)))
	}
	pages := make([][]byte, len(r.pages))
	for i, p := range r.pages {
		pages[i] = p.Bytes()
	}
	return assemblePDF(pages, st.Title, st.Created)
}

type stmtRenderer struct {
	st      Statement
	italian bool
	pages   []*bytes.Buffer
	y       float64
}

func (r *stmtRenderer) newPage() {
	r.pages = append(r.pages, new(bytes.Buffer))
	r.y = contentTop
}

func (r *stmtRenderer) advance(leading float64) {
	if r.y-leading < contentFloor {
		r.newPage()
	}
	r.y -= leading
}

func (r *stmtRenderer) text(f pdfFont, size, x float64, s []byte) {
	if len(s) == 0 {
		return
	}
	c := r.pages[len(r.pages)-1]
	fmt.Fprintf(c, "BT %s %s Tf %s %s Td ", f.resource(), num(size), num(x), num(r.y))
	pdfString(c, s)
	c.WriteString(" Tj ET\n")
}

func (r *stmtRenderer) right(f pdfFont, size float64, s []byte) {
	r.text(f, size, marginRight-textWidth(f, size, s), s)
}

// line writes s wrapped to the page's width, each line leading below the
// last.
func (r *stmtRenderer) line(f pdfFont, size, x, leading float64, s string) {
	for _, l := range wrap(f, size, marginRight-x, s) {
		r.advance(leading)
		r.text(f, size, x, l)
	}
}

// row writes a date, its text (wrapped) and its amount on the right.
func (r *stmtRenderer) row(row StatementRow) {
	lines := wrap(fontRegular, 10, stmtTextWidth, row.Text)
	if len(lines) == 0 {
		lines = [][]byte{nil}
	}
	for i, l := range lines {
		r.advance(14)
		if i == 0 {
			r.text(fontRegular, 10, stmtDateX, winAnsi(row.Date))
			if row.HasAmount {
				r.right(fontRegular, 10, winAnsi(r.money(row.Amount)))
			}
		}
		r.text(fontRegular, 10, stmtTextX, l)
	}
}

// money formats an amount as the invoice does, with the currency code
// where WinAnsi has no symbol.
func (r *stmtRenderer) money(amount int64) string {
	info, ok := currencies[r.st.Currency]
	if !ok || !encodable(info.symbol) {
		info = currencyInfo{exp: CurrencyExponent(r.st.Currency), symbol: r.st.Currency}
	}
	return formatAmount(amount, info.exp, info.symbol, r.italian)
}
