package billing

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"tutorbase/internal/lang"
	"tutorbase/testkit/debtools"
)

// sampleInvoice is an Italian invoice with accents and a € amount, issued
// on New Year's Eve UTC, which is already 2027 in Rome.
func sampleInvoice(t testing.TB, lines int) Invoice {
	t.Helper()
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	inv := Invoice{
		Number:   "INV-2027-000042",
		Kind:     KindInvoice,
		IssuedAt: time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC),
		Location: rome,
		Seller: Party{
			Name: "Scuola Ripetizioni Città", Email: "info@scuola.example",
			Address: "Via Roma 1\n00100 Roma RM", TaxID: "IT01234567890",
		},
		Buyer:            Party{Name: "Niccolò Rossi", Email: "niccolo@example.com", Address: "Piazza Duomo 2\r\nMilano"},
		Lines:            []Line{NewLine("Pacchetto 10 lezioni — matematica (è già più facile)", 1, 25000)},
		Currency:         "EUR",
		TaxRateBP:        2200,
		PricesIncludeTax: true,
		Locale:           "it",
		Note:             "Pagato con carta.",
	}
	for i := 1; i < lines; i++ {
		inv.Lines = append(inv.Lines, NewLine(fmt.Sprintf("Lezione %d di fisica, 60 minuti", i), 1, 3500))
	}
	inv.Totals = InvoiceTotals(inv.Lines, inv.TaxRateBP, inv.PricesIncludeTax)
	return inv
}

func TestRenderPDFText(t *testing.T) {
	exempt := &TaxRule{Nature: "N4", Reference: "art. 10 n. 20 DPR 633/72"}
	tests := []struct {
		name      string
		modify    func(*Invoice)
		wantPages int
		want      []string
	}{
		{"one page Italian invoice", func(*Invoice) {}, 1, []string{"Fattura", "Numero: INV-2027-000042",
			"Data: 01/01/2027", "Scuola Ripetizioni Città", "Niccolò Rossi", "matematica (è", "già più facile)", "€ 250,00",
			"Q.tà", "Imponibile 22%", "€ 204,92", "IVA 22%", "€ 45,08", "Totale", "Prezzi IVA inclusa.", "Pagina 1 di 1"}},
		{"English credit note", func(inv *Invoice) { inv.Locale, inv.Kind = "en", KindCreditNote }, 1,
			[]string{"Credit note", "Date: 1 January 2027", "€250.00", "Subtotal 22%", "Page 1 of 1"}},
		{"names in Latin, Cyrillic, Greek and CJK scripts", func(inv *Invoice) {
			inv.Buyer.Name = "Łukasz Wiśniewski / Дмитрий"
			inv.Buyer.Address = "Ελένη Παπαδοπούλου\n王小明 山田太郎 김민수"
			inv.Lines[0].Description = "Уроки математики — 数学のレッスン"
		}, 1, []string{"Łukasz Wiśniewski / Дмитрий", "Ελένη Παπαδοπούλου", "王小明 山田太郎 김민수",
			"Уроки математики — 数学のレッスン"}},
		{"an exempt line and a taxed one", func(inv *Invoice) {
			inv.Lines = append(inv.Lines, Line{Description: "Lezione privata", Quantity: 2, UnitAmount: 3000, Amount: 6000, Tax: exempt})
			_, inv.Totals = TaxByRate(inv.Lines, TaxRule{RateBP: inv.TaxRateBP}, true)
		}, 1, []string{"Esente N4", "Esente (N4): art. 10 n. 20", "DPR 633/72", "€ 60,00", "Imponibile 22%",
			"€ 204,92", "€ 310,00"}},
		{"many lines continue on more pages", func(inv *Invoice) {
			*inv = sampleInvoice(t, 120)
			inv.Locale = "en"
		}, 4, []string{"Page 2 of 4", "Page 4 of 4", "Lezione 119 di fisica, 60 minuti"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := sampleInvoice(t, 1)
			tt.modify(&inv)
			pdf, err := RenderPDF(inv)
			if err != nil {
				t.Fatalf("RenderPDF() error = %v", err)
			}
			text, pages := debtools.PDFText(t, pdf)
			if pages != tt.wantPages {
				t.Errorf("RenderPDF() has %d pages, want %d", pages, tt.wantPages)
			}
			for _, want := range tt.want {
				if !strings.Contains(text, want) {
					t.Errorf("the PDF's text lacks %q:\n%s", want, text)
				}
			}
		})
	}
}

func TestRenderPDFDeterministic(t *testing.T) {
	inv := sampleInvoice(t, 5)
	inv.Buyer.Name = "王小明"
	first, err := RenderPDF(inv)
	if err != nil {
		t.Fatal(err)
	}
	second, err := RenderPDF(inv)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Error("RenderPDF() gave different bytes for the same invoice")
	}
}

// TestRenderPDFEmbedsSubsets checks the fonts are subset: a Latin-only
// invoice carries neither the 4 MB CJK font nor all of DejaVu, and a CJK
// name adds only its glyphs.
func TestRenderPDFEmbedsSubsets(t *testing.T) {
	latin, err := RenderPDF(sampleInvoice(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	inv := sampleInvoice(t, 1)
	inv.Buyer.Name = "王小明"
	cjk, err := RenderPDF(inv)
	if err != nil {
		t.Fatal(err)
	}
	if len(latin) > 100_000 || len(cjk) > 150_000 {
		t.Errorf("PDFs of %d and %d bytes: the fonts are not subset", len(latin), len(cjk))
	}
	if len(cjk) <= len(latin) {
		t.Errorf("the CJK invoice (%d bytes) embeds no more than the Latin one (%d)", len(cjk), len(latin))
	}
}

func TestRenderPDFErrors(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Invoice)
	}{
		{"empty number", func(inv *Invoice) { inv.Number = "" }},
		{"blank number", func(inv *Invoice) { inv.Number = " \n" }},
		{"empty kind", func(inv *Invoice) { inv.Kind = "" }},
		{"unknown kind", func(inv *Invoice) { inv.Kind = "receipt" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := sampleInvoice(t, 1)
			tt.modify(&inv)
			got, err := RenderPDF(inv)
			if got != nil || !errors.Is(err, ErrInvalidInvoice) {
				t.Errorf("RenderPDF() = %d bytes, %v; want nil, ErrInvalidInvoice", len(got), err)
			}
		})
	}
}

func TestDocumentRejectsRowsWiderThanColumns(t *testing.T) {
	d := Document{Title: "x", Columns: []Column{{Title: "a", Width: ContentWidth}}, Rows: [][]string{{"1", "2"}}}
	if _, err := d.Render(); !errors.Is(err, ErrInvalidDocument) {
		t.Errorf("Render() error = %v, want ErrInvalidDocument", err)
	}
}

func TestWrap(t *testing.T) {
	r, err := newDocRenderer(Document{Title: "数学"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		in    string
		width float64
		want  []string
	}{
		{"fits on one line", "Lesson", 100, []string{"Lesson"}},
		{"breaks between words", "aaa bbb ccc", 45, []string{"aaa bbb", "ccc"}},
		{"keeps line breaks", "Via Roma 1\n00100 Roma", 500, []string{"Via Roma 1", "00100 Roma"}},
		{"CRLF and CR are line breaks", "a\r\nb\rc", 500, []string{"a", "b", "c"}},
		{"collapses repeated spaces and tabs", "a  \t b", 500, []string{"a b"}},
		{"breaks a word too wide alone", "mmmmmmmmmm", 30, []string{"mmm", "mmm", "mmm", "m"}},
		{"breaks CJK between characters", "数学数学数学", 25, []string{"数学", "数学", "数学"}},
		{"blank gives no lines", " \n ", 100, nil},
		{"narrower than one glyph still progresses", "ab", 1, []string{"a", "b"}},
		{"blank line inside kept", "a\n\nb", 500, []string{"a", "", "b"}},
		{"invalid UTF-8 is replaced", "a\xffb", 500, []string{"a\uFFFDb"}},
		{"emoji is replaced", "a😀", 500, []string{"a\uFFFD"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.wrap(false, 10, tt.width, tt.in)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || len(got) != len(tt.want) {
				t.Errorf("wrap(%q, %v) = %q, want %q", tt.in, tt.width, got, tt.want)
			}
		})
	}
}

func TestRuns(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"Rossi", "[{false Rossi}]"},
		{"王小明", "[{true 王小明}]"},
		{"Li 王 (Wang)", "[{false Li } {true 王} {false  (Wang)}]"},
		{"", "[]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(runs(tt.in)); got != tt.want {
			t.Errorf("runs(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func FuzzRenderPDF(f *testing.F) {
	f.Add("INV-2027-000001", "Scuola Città", "Via Roma 1\nRoma", "Lezione (60') \\ €", "Nota", "it", "EUR", int64(2500), int64(1), int64(2200), true)
	f.Add("CN-2027-000002", "", "", "", "", "en", "JPY", int64(-1), int64(-3), int64(0), false)
	f.Add("(", "\xff\xfe", "\r\r\n\t", strings.Repeat("W", 2000), "日本語 😀", "zz", "₹", int64(-1<<63), int64(1<<63-1), int64(1<<62), true)
	f.Add("x", strings.Repeat("long name ", 300), strings.Repeat("line\n", 200), strings.Repeat("d ", 2000), "%%EOF endobj )", "", "KWD", int64(123456789), int64(0), int64(450), false)
	f.Fuzz(func(t *testing.T, number, name, address, desc, note, locale, currency string,
		amount, qty, rate int64, inclusive bool) {
		inv := Invoice{
			Number: number, Kind: KindCreditNote, IssuedAt: time.Unix(amount%(1<<40), 0),
			Seller: Party{Name: name, Address: address, Email: note, TaxID: desc},
			Buyer:  Party{Name: desc, Address: name, Email: address},
			Lines: []Line{
				{Description: desc, Quantity: qty, UnitAmount: amount, Amount: amount % (1 << 50)},
				{Description: name + address, Quantity: -qty, UnitAmount: -amount, Amount: rate % (1 << 50),
					Tax: &TaxRule{Nature: "N4", Reference: note}},
			},
			Totals:   Totals{Subtotal: amount, Tax: rate, Total: qty},
			Currency: currency, TaxRateBP: min(max(rate, 0), bpPerWhole), PricesIncludeTax: inclusive, Locale: locale, Note: note,
		}
		pdf, err := RenderPDF(inv)
		if err != nil {
			if !errors.Is(err, ErrInvalidInvoice) || strings.TrimSpace(number) != "" {
				t.Fatalf("RenderPDF() error = %v", err)
			}
			return
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")) {
			t.Fatalf("RenderPDF() output is not a PDF: %q", pdf[:min(len(pdf), 20)])
		}
	})
}

func TestInvoiceLabelsInEveryLanguage(t *testing.T) {
	for _, l := range lang.Supported {
		if lbl, ok := invoiceLabels[l]; !ok || lbl.invoice == "" || lbl.total == "" {
			t.Errorf("no invoice labels in %q", l)
		}
	}
}
