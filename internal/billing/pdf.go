package billing

import (
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
	// Tax is the party's data for e-invoices (FatturaPA), kept on the
	// invoice as it was when issued; not printed beyond TaxID.
	Tax *PartyTax `json:",omitempty"`
}

// PartyTax is a customer's tax data for e-invoices: a codice fiscale, or a
// VAT number with a recipient code or a PEC address, and a structured
// address.
type PartyTax struct {
	FiscalCode, VATNumber, RecipientCode, PEC string `json:",omitempty"`
	Street, PostalCode, City, Province        string `json:",omitempty"`
	Country                                   string `json:",omitempty"`
}

// Invoice is everything printed on an invoice or credit note. It is filled
// from the stored invoices record: RenderPDF prints Totals as given and
// does not recompute them from Lines, so the PDF always agrees with the
// record (compute them once with [TaxByRate] when creating it); the tax
// summary per rate is computed from the lines.
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
	TaxRateBP        int64 // the rate of lines without a tax rule
	PricesIncludeTax bool
	// Locale selects the labels' language: "it" (or "it-IT") is Italian,
	// anything else English.
	Locale string
	// Note is printed under the totals, e.g. "Refers to invoice
	// INV-2027-000001" on a credit note.
	Note string
}

// labels are the words printed on an invoice, in one language.
type labels struct {
	invoice, creditNote, number, date, seller, buyer, taxID string
	description, qty, unitPrice, taxRate, amount            string
	taxable, tax, total, pricesIncludeTax, page, exempt     string
}

// invoiceLabels are the labels in every language (internal/lang).
var invoiceLabels = map[string]labels{
	lang.Italian: {
		invoice: "Fattura", creditNote: "Nota di credito", number: "Numero", date: "Data",
		seller: "Fornitore", buyer: "Cliente", taxID: "P.IVA/C.F.",
		description: "Descrizione", qty: "Q.tà", unitPrice: "Prezzo unitario", taxRate: "IVA", amount: "Importo",
		taxable: "Imponibile", tax: "IVA", total: "Totale", exempt: "Esente",
		pricesIncludeTax: "Prezzi IVA inclusa.", page: "Pagina %d di %d",
	},
	lang.English: {
		invoice: "Invoice", creditNote: "Credit note", number: "Number", date: "Date",
		seller: "From", buyer: "Bill to", taxID: "Tax ID",
		description: "Description", qty: "Qty", unitPrice: "Unit price", taxRate: "Tax", amount: "Amount",
		taxable: "Subtotal", tax: "Tax", total: "Total", exempt: "Exempt",
		pricesIncludeTax: "Prices include tax.", page: "Page %d of %d",
	},
}

// RenderPDF renders an invoice or credit note as a PDF ([Document]): A4
// pages (the line table continues on further pages when needed) in the
// embedded Unicode fonts, so names in any of the Latin, Greek, Cyrillic
// and CJK scripts print as written. Under the lines: per tax rule the
// taxable amount and its tax (an exemption with its legal reference), then
// the total. The output is deterministic: the same Invoice always gives
// the same bytes.
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
	return InvoiceDocument(inv).Render()
}

// InvoiceDocument lays an invoice out as a [Document].
func InvoiceDocument(inv Invoice) Document {
	l := lang.Of(inv.Locale)
	lbl, italian := invoiceLabels[l], l == lang.Italian
	f := invoiceFormatter{inv: inv, lbl: lbl, italian: italian}
	title := lbl.invoice
	if inv.Kind == KindCreditNote {
		title = lbl.creditNote
	}
	d := Document{
		Title: title,
		Meta:  []string{lbl.number + ": " + inv.Number, lbl.date + ": " + f.date()},
		Blocks: []Block{
			f.block(lbl.seller, inv.Seller), f.block(lbl.buyer, inv.Buyer),
		},
		Columns: []Column{
			{Title: lbl.description, Width: 215}, {Title: lbl.qty, Width: 45, Right: true},
			{Title: lbl.unitPrice, Width: 85, Right: true}, {Title: lbl.taxRate, Width: 60, Right: true},
			{Title: lbl.amount, Width: ContentWidth - 405, Right: true},
		},
		Footer: inv.Number, PageOf: lbl.page, Created: inv.IssuedAt,
	}
	def := TaxRule{RateBP: inv.TaxRateBP}
	for _, line := range inv.Lines {
		d.Rows = append(d.Rows, []string{line.Description, strconv.FormatInt(line.Quantity, 10),
			f.money(line.UnitAmount), f.rate(RuleOf(line, def)), f.money(line.Amount)})
	}
	taxes, _ := TaxByRate(inv.Lines, def, inv.PricesIncludeTax)
	anyTax := false
	for _, t := range taxes {
		anyTax = anyTax || t.Rule.RateBP > 0
		if t.Rule.Exempt() {
			d.Summary = append(d.Summary, SummaryRow{Label: f.exemption(t.Rule), Value: f.money(t.Taxable)})
			continue
		}
		rate := FormatBP(t.Rule.RateBP, inv.Locale)
		d.Summary = append(d.Summary, SummaryRow{Label: lbl.taxable + " " + rate, Value: f.money(t.Taxable)},
			SummaryRow{Label: lbl.tax + " " + rate, Value: f.money(t.Tax)})
	}
	d.Summary = append(d.Summary, SummaryRow{Label: lbl.total, Value: f.money(inv.Totals.Total), Bold: true})
	if inv.PricesIncludeTax && anyTax {
		d.Notes = append(d.Notes, lbl.pricesIncludeTax)
	}
	if strings.TrimSpace(inv.Note) != "" {
		d.Notes = append(d.Notes, inv.Note)
	}
	return d
}

// invoiceFormatter formats an invoice's values in its language.
type invoiceFormatter struct {
	inv     Invoice
	lbl     labels
	italian bool
}

// money formats an amount as [Format] does.
func (f invoiceFormatter) money(amount int64) string {
	info, ok := currencies[f.inv.Currency]
	if !ok {
		info = currencyInfo{exp: CurrencyExponent(f.inv.Currency), symbol: f.inv.Currency}
	}
	return formatAmount(amount, info.exp, info.symbol, f.italian)
}

// rate is a line's tax column: its rate, or its exemption's nature.
func (f invoiceFormatter) rate(r TaxRule) string {
	if r.Exempt() {
		return f.lbl.exempt + " " + r.Nature
	}
	return FormatBP(r.RateBP, f.inv.Locale)
}

// exemption is the summary label of an exemption: its legal reference.
func (f invoiceFormatter) exemption(r TaxRule) string {
	return f.lbl.exempt + " (" + r.Nature + "): " + r.Reference
}

// date formats the issue date in the school's zone.
func (f invoiceFormatter) date() string {
	loc := f.inv.Location
	if loc == nil {
		loc = time.UTC
	}
	if f.italian {
		return f.inv.IssuedAt.In(loc).Format("02/01/2006")
	}
	return f.inv.IssuedAt.In(loc).Format("2 January 2006")
}

// block is a party's block: name, address lines, email, tax id.
func (f invoiceFormatter) block(heading string, p Party) Block {
	b := Block{Heading: heading, Name: p.Name}
	b.Lines = append(b.Lines, strings.Split(strings.ReplaceAll(p.Address, "\r\n", "\n"), "\n")...)
	b.Lines = append(b.Lines, p.Email)
	if strings.TrimSpace(p.TaxID) != "" {
		b.Lines = append(b.Lines, f.lbl.taxID+": "+p.TaxID)
	}
	return b
}
