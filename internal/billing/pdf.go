package billing

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"tutorbase/internal/lang"
)

// Invoice kinds, as stored in the invoices collection.
const (
	KindInvoice    = "invoice"
	KindCreditNote = "credit_note"
)

// ErrInvalidInvoice reports an invoice that cannot be rendered.
var ErrInvalidInvoice = errors.New("billing: invalid invoice")

// Party is the seller (the school) or the buyer (the student or guardian)
// printed on an invoice. Address may span several lines separated by "\n";
// empty fields are left out.
type Party struct {
	Name    string
	Email   string
	Address string
	TaxID   string
}

// Invoice is everything printed on an invoice or credit note. It is filled
// from the stored invoices record: RenderPDF prints Totals as given and
// does not recompute them from Lines, so the PDF always agrees with the
// record (compute them once with [InvoiceTotals] when creating it).
type Invoice struct {
	Number   string
	Kind     string // KindInvoice or KindCreditNote
	IssuedAt time.Time
	// Location is the school's zone, in which the date is printed (and
	// from which the number's year was taken); nil prints UTC.
	Location         *time.Location
	Seller, Buyer    Party
	Lines            []Line
	Totals           Totals
	Currency         string
	TaxRateBP        int64
	PricesIncludeTax bool
	// Locale selects the labels' language: "it" (or "it-IT") is Italian,
	// anything else English.
	Locale string
	// Note is printed under the totals, e.g. "Refers to invoice
	// INV-2027-000001" on a credit note.
	Note string
}

// Page geometry in points (A4).
const (
	pageWidth    = 595.0
	pageHeight   = 842.0
	marginLeft   = 50.0
	marginRight  = pageWidth - 50
	contentTop   = pageHeight - 50
	contentFloor = 60.0 // lowest baseline for body text; the footer sits below
	columnGap    = 20.0
)

// Table columns: the description wraps inside descWidth; the numbers are
// right-aligned at the given x and shrink to fit their width.
const (
	descWidth   = 250.0
	qtyRight    = 355.0
	qtyWidth    = 50.0
	unitRight   = 450.0
	unitWidth   = 90.0
	amountRight = marginRight
	amountWidth = 90.0
)

// labels are the words printed on an invoice, in one language.
type labels struct {
	invoice, creditNote, number, date, seller, buyer, taxID string
	description, qty, unitPrice, amount                     string
	subtotal, tax, total, pricesIncludeTax, page            string
}

// invoiceLabels are the labels in every language (internal/lang).
var invoiceLabels = map[string]labels{
	lang.Italian: {
		invoice: "Fattura", creditNote: "Nota di credito", number: "Numero", date: "Data",
		seller: "Fornitore", buyer: "Cliente", taxID: "P.IVA/C.F.",
		description: "Descrizione", qty: "Q.tà", unitPrice: "Prezzo unitario", amount: "Importo",
		subtotal: "Imponibile", tax: "IVA", total: "Totale",
		pricesIncludeTax: "Prezzi IVA inclusa.", page: "Pagina %d di %d",
	},
	lang.English: {
		invoice: "Invoice", creditNote: "Credit note", number: "Number", date: "Date",
		seller: "From", buyer: "Bill to", taxID: "Tax ID",
		description: "Description", qty: "Qty", unitPrice: "Unit price", amount: "Amount",
		subtotal: "Subtotal", tax: "Tax", total: "Total",
		pricesIncludeTax: "Prices include tax.", page: "Page %d of %d",
	},
}

// RenderPDF renders an invoice or credit note as a small PDF 1.4 file: A4
// pages (the line table continues on further pages when needed), the
// standard Helvetica fonts with WinAnsiEncoding, so the € sign and
// accented Latin letters print correctly and any rune outside that set
// prints as '?'. The output is deterministic: the same Invoice always
// gives the same bytes, ending in "%%EOF\n".
//
// It returns an error wrapping [ErrInvalidInvoice] when Number is empty or
// Kind is neither [KindInvoice] nor [KindCreditNote]; any text is accepted.
func RenderPDF(inv Invoice) ([]byte, error) {
	if strings.TrimSpace(inv.Number) == "" {
		return nil, fmt.Errorf("%w: empty number", ErrInvalidInvoice)
	}
	if inv.Kind != KindInvoice && inv.Kind != KindCreditNote {
		return nil, fmt.Errorf("%w: unknown kind %q", ErrInvalidInvoice, inv.Kind)
	}
	r := newInvoiceRenderer(inv)
	r.header()
	r.parties()
	r.table()
	r.totals()
	r.footers()
	return assemblePDF(r.pages(), inv.Number, inv.IssuedAt), nil
}

// invoiceRenderer lays out one invoice top to bottom, starting a new page
// whenever the next line would go below contentFloor.
type invoiceRenderer struct {
	inv      Invoice
	lbl      labels
	italian  bool
	canvases []*bytes.Buffer
	cur      int     // index of the canvas being written
	y        float64 // baseline of the last line written on the current page
	// onNewPage, when set, draws a continuation header (the table's).
	onNewPage func()
}

func newInvoiceRenderer(inv Invoice) *invoiceRenderer {
	l := lang.Of(inv.Locale)
	r := &invoiceRenderer{inv: inv, lbl: invoiceLabels[l], italian: l == lang.Italian}
	r.newPage()
	return r
}

// newPage starts a page and moves to its top.
func (r *invoiceRenderer) newPage() {
	r.canvases = append(r.canvases, new(bytes.Buffer))
	r.cur = len(r.canvases) - 1
	r.y = contentTop
	if r.onNewPage != nil {
		r.onNewPage()
	}
}

// advance moves down by leading, first starting a new page if the line
// would not fit on this one.
func (r *invoiceRenderer) advance(leading float64) {
	if r.y-leading < contentFloor {
		r.newPage()
	}
	r.y -= leading
}

// keep starts a new page unless height still fits on this one; blocks that
// read badly when split (a table row, the totals) call it first.
func (r *invoiceRenderer) keep(height float64) {
	if r.y-height < contentFloor && contentTop-height >= contentFloor {
		r.newPage()
	}
}

func (r *invoiceRenderer) canvas() *bytes.Buffer { return r.canvases[r.cur] }

// text writes encoded text with its left edge at x on baseline y.
func (r *invoiceRenderer) text(f pdfFont, size, x, y float64, s []byte) {
	if len(s) == 0 {
		return
	}
	c := r.canvas()
	fmt.Fprintf(c, "BT %s %s Tf %s %s Td ", f.resource(), num(size), num(x), num(y))
	pdfString(c, s)
	c.WriteString(" Tj ET\n")
}

// textRight writes encoded text ending at right, shrinking the size (down
// to half) so that it fits in width.
func (r *invoiceRenderer) textRight(f pdfFont, size, right, width, y float64, s []byte) {
	if w := textWidth(f, size, s); w > width {
		size = max(size*width/w, size/2)
	}
	r.text(f, size, right-textWidth(f, size, s), y, s)
}

// hline draws a horizontal rule at y in the given gray (0 black, 1 white).
func (r *invoiceRenderer) hline(x1, x2, y, gray float64) {
	fmt.Fprintf(r.canvas(), "%s G 0.5 w %s %s m %s %s l S 0 G\n", num(gray), num(x1), num(y), num(x2), num(y))
}

// money formats an amount for the PDF: as [Format], except that a currency
// symbol WinAnsi cannot print (₹, ₩) is replaced by the currency code.
func (r *invoiceRenderer) money(amount int64) string {
	info, ok := currencies[r.inv.Currency]
	if !ok || !encodable(info.symbol) {
		info = currencyInfo{exp: CurrencyExponent(r.inv.Currency), symbol: r.inv.Currency}
	}
	return formatAmount(amount, info.exp, info.symbol, r.italian)
}

// date formats the issue date in the school's zone.
func (r *invoiceRenderer) date() string {
	loc := r.inv.Location
	if loc == nil {
		loc = time.UTC
	}
	if r.italian {
		return r.inv.IssuedAt.In(loc).Format("02/01/2006")
	}
	return r.inv.IssuedAt.In(loc).Format("2 January 2006")
}

// header prints the title, number and date.
func (r *invoiceRenderer) header() {
	title := r.lbl.invoice
	if r.inv.Kind == KindCreditNote {
		title = r.lbl.creditNote
	}
	r.advance(20)
	r.text(fontBold, 20, marginLeft, r.y, winAnsi(title))
	r.y -= 8
	for _, l := range wrap(fontRegular, 10, marginRight-marginLeft, r.lbl.number+": "+r.inv.Number) {
		r.advance(14)
		r.text(fontRegular, 10, marginLeft, r.y, l)
	}
	r.advance(14)
	r.text(fontRegular, 10, marginLeft, r.y, winAnsi(r.lbl.date+": "+r.date()))
	r.y -= 16
}

// styledLine is one line of a party block.
type styledLine struct {
	font pdfFont
	text []byte
}

// partyLines wraps a party's fields into the lines of its block.
func (r *invoiceRenderer) partyLines(label string, p Party, width float64) []styledLine {
	lines := []styledLine{{fontBold, winAnsi(label)}}
	add := func(f pdfFont, s string) {
		if strings.TrimSpace(s) == "" {
			return
		}
		for _, l := range wrap(f, 10, width, s) {
			lines = append(lines, styledLine{f, l})
		}
	}
	add(fontBold, p.Name)
	add(fontRegular, p.Address)
	add(fontRegular, p.Email)
	if strings.TrimSpace(p.TaxID) != "" {
		add(fontRegular, r.lbl.taxID+": "+p.TaxID)
	}
	return lines
}

// parties prints the seller and the buyer side by side.
func (r *invoiceRenderer) parties() {
	width := (marginRight - marginLeft - columnGap) / 2
	left := r.partyLines(r.lbl.seller, r.inv.Seller, width)
	right := r.partyLines(r.lbl.buyer, r.inv.Buyer, width)
	for i := range max(len(left), len(right)) {
		r.advance(13)
		if i < len(left) {
			r.text(left[i].font, 10, marginLeft, r.y, left[i].text)
		}
		if i < len(right) {
			r.text(right[i].font, 10, marginLeft+width+columnGap, r.y, right[i].text)
		}
	}
	r.y -= 20
}

// tableHeader prints the column titles on a light gray band.
func (r *invoiceRenderer) tableHeader() {
	r.y -= 18
	fmt.Fprintf(r.canvas(), "0.9 g %s %s %s 18 re f 0 g\n",
		num(marginLeft-4), num(r.y-5), num(marginRight-marginLeft+8))
	r.text(fontBold, 9, marginLeft, r.y, winAnsi(r.lbl.description))
	r.textRight(fontBold, 9, qtyRight, qtyWidth, r.y, winAnsi(r.lbl.qty))
	r.textRight(fontBold, 9, unitRight, unitWidth, r.y, winAnsi(r.lbl.unitPrice))
	r.textRight(fontBold, 9, amountRight, amountWidth, r.y, winAnsi(r.lbl.amount))
	r.y -= 6
}

// table prints the invoice lines, repeating the header on every page.
func (r *invoiceRenderer) table() {
	r.keep(60)
	r.tableHeader()
	r.onNewPage = r.tableHeader
	defer func() { r.onNewPage = nil }()
	for _, line := range r.inv.Lines {
		desc := wrap(fontRegular, 10, descWidth, line.Description)
		if len(desc) == 0 {
			desc = [][]byte{nil}
		}
		r.keep(float64(len(desc))*12 + 6)
		for i, d := range desc {
			r.advance(12)
			r.text(fontRegular, 10, marginLeft, r.y, d)
			if i == 0 {
				qty := []byte(strconv.FormatInt(line.Quantity, 10))
				r.textRight(fontRegular, 10, qtyRight, qtyWidth, r.y, qty)
				r.textRight(fontRegular, 10, unitRight, unitWidth, r.y, winAnsi(r.money(line.UnitAmount)))
				r.textRight(fontRegular, 10, amountRight, amountWidth, r.y, winAnsi(r.money(line.Amount)))
			}
		}
		r.y -= 5
		r.hline(marginLeft, marginRight, r.y, 0.8)
	}
}

// totals prints subtotal, tax and total, then the notes.
func (r *invoiceRenderer) totals() {
	r.keep(70)
	r.y -= 8
	const labelX = 330.0
	rows := []struct {
		font   pdfFont
		label  string
		amount int64
	}{
		{fontRegular, r.lbl.subtotal, r.inv.Totals.Subtotal},
		{fontRegular, r.lbl.tax + " " + FormatBP(r.inv.TaxRateBP, r.inv.Locale), r.inv.Totals.Tax},
		{fontBold, r.lbl.total, r.inv.Totals.Total},
	}
	for i, row := range rows {
		r.advance(16)
		if i == len(rows)-1 {
			r.hline(labelX, marginRight, r.y+12, 0)
		}
		r.text(row.font, 11, labelX, r.y, winAnsi(row.label))
		r.textRight(row.font, 11, amountRight, 120, r.y, winAnsi(r.money(row.amount)))
	}
	r.y -= 14
	var notes []string
	if r.inv.PricesIncludeTax && r.inv.TaxRateBP > 0 {
		notes = append(notes, r.lbl.pricesIncludeTax)
	}
	if strings.TrimSpace(r.inv.Note) != "" {
		notes = append(notes, r.inv.Note)
	}
	for _, n := range notes {
		for _, l := range wrap(fontRegular, 9, marginRight-marginLeft, n) {
			r.advance(12)
			r.text(fontRegular, 9, marginLeft, r.y, l)
		}
	}
}

// footers prints the invoice number and "page i of n" on every page, now
// that n is known.
func (r *invoiceRenderer) footers() {
	number := truncate(fontRegular, 8, 300, winAnsi(r.inv.Number))
	for i := range r.canvases {
		r.cur = i
		r.text(fontRegular, 8, marginLeft, 30, number)
		page := fmt.Sprintf(r.lbl.page, i+1, len(r.canvases))
		r.textRight(fontRegular, 8, marginRight, 150, 30, winAnsi(page))
	}
}

// pages returns the content streams.
func (r *invoiceRenderer) pages() [][]byte {
	out := make([][]byte, len(r.canvases))
	for i, c := range r.canvases {
		out[i] = c.Bytes()
	}
	return out
}
