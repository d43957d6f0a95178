package billing

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"tutorbase/internal/lang"
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

func TestRenderPDFStructure(t *testing.T) {
	tests := []struct {
		name      string
		lines     int
		locale    string
		kind      string
		wantPages int
		wantText  []string // literal strings as they appear in the content streams
	}{
		{
			"one page Italian invoice", 1, "it", KindInvoice, 1,
			[]string{`(Fattura)`, `(INV-2027-000042)`, `(Data: 01/01/2027)`, `(Scuola Ripetizioni Citt\340)`,
				`(Niccol\362 Rossi)`, `(\200 250,00)`, `(Totale)`, `(Q.t\340)`, `(IVA 22%)`, `(Pagina 1 di 1)`},
		},
		{
			"English credit note", 1, "en", KindCreditNote, 1,
			[]string{`(Credit note)`, `(Date: 1 January 2027)`, `(\200250.00)`, `(Subtotal)`, `(Page 1 of 1)`},
		},
		{
			"many lines continue on more pages", 120, "en", KindInvoice, 4,
			[]string{`(Page 2 of 4)`, `(Page 4 of 4)`, `(Lezione 119 di fisica, 60 minuti)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := sampleInvoice(t, tt.lines)
			inv.Locale, inv.Kind = tt.locale, tt.kind
			pdf, err := RenderPDF(inv)
			if err != nil {
				t.Fatalf("RenderPDF() error = %v", err)
			}
			if got := checkPDF(t, pdf); got != tt.wantPages {
				t.Errorf("RenderPDF() has %d pages, want %d", got, tt.wantPages)
			}
			for _, want := range tt.wantText {
				if !bytes.Contains(pdf, []byte(want)) {
					t.Errorf("RenderPDF() output lacks %s", want)
				}
			}
		})
	}
}

func TestRenderPDFDeterministic(t *testing.T) {
	inv := sampleInvoice(t, 5)
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

// TestRenderPDFWithPoppler opens the PDF with a real reader when Debian's
// poppler-utils is installed, and checks the € sign and accents come out.
func TestRenderPDFWithPoppler(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	pdf, err := RenderPDF(sampleInvoice(t, 60))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "invoice.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	for _, want := range []string{"Fattura", "INV-2027-000042", "Scuola Ripetizioni Città", "Niccolò Rossi",
		"è già più facile", "€ 250,00", "Q.tà", "Pagina 2 di 2"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("pdftotext output lacks %q:\n%s", want, out)
		}
	}
}

// TestCheckPDFCatchesCorruption makes sure the structure check used above
// and in the fuzz test can fail: a shifted object or a wrong offset is
// reported.
func TestCheckPDFCatchesCorruption(t *testing.T) {
	good, err := RenderPDF(sampleInvoice(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		corrupt func([]byte) []byte
	}{
		{"object shifted by a byte", func(b []byte) []byte {
			return bytes.Replace(b, []byte("3 0 obj"), []byte(" 3 0 obj"), 1)
		}},
		{"offset of object 1 changed", func(b []byte) []byte {
			return bytes.Replace(b, []byte("0000000015 00000 n"), []byte("0000000016 00000 n"), 1)
		}},
		{"stream length wrong", func(b []byte) []byte {
			return regexp.MustCompile(`/Length \d+`).ReplaceAll(b, []byte("/Length 3"))
		}},
		{"missing end marker", func(b []byte) []byte { return bytes.TrimSuffix(b, []byte("%%EOF\n")) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := tt.corrupt(bytes.Clone(good))
			if bytes.Equal(bad, good) {
				t.Fatal("the corruption changed nothing")
			}
			rec := &failureRecorder{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				checkPDF(rec, bad)
			}()
			<-done
			if !rec.failed {
				t.Error("checkPDF accepted a corrupted PDF")
			}
		})
	}
}

// failureRecorder is a testing.TB whose failures are recorded instead of
// failing the test.
type failureRecorder struct {
	testing.TB
	failed bool
}

func (r *failureRecorder) Helper()               {}
func (r *failureRecorder) Errorf(string, ...any) { r.failed = true }
func (r *failureRecorder) Fatal(...any)          { r.failed = true; runtime.Goexit() }
func (r *failureRecorder) Fatalf(string, ...any) { r.failed = true; runtime.Goexit() }

func TestWinAnsi(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"ascii", "Invoice 42", "Invoice 42"},
		{"euro sign", "€", "\x80"},
		{"italian accents", "àèéìòù", "\xe0\xe8\xe9\xec\xf2\xf9"},
		{"upper-case accents", "ÀÈÉ", "\xc0\xc8\xc9"},
		{"German and Spanish", "ßñç", "\xdf\xf1\xe7"},
		{"typographic quotes and dashes", "‘’“”–—…", "\x91\x92\x93\x94\x96\x97\x85"},
		{"no-break space", "\u00a0", "\xa0"},
		{"tab becomes space", "a\tb", "a b"},
		{"other spaces become space", "a\u2009b", "a b"},
		{"CJK is unmappable", "日本", "??"},
		{"emoji is unmappable", "😀", "?"},
		{"C1 control is unmappable", "\u0080", "?"},
		{"NUL is unmappable", "\x00", "?"},
		{"invalid UTF-8", "a\xffb", "a?b"},
		{"PDF delimiters kept for escaping", `(\)`, `(\)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(winAnsi(tt.in)); got != tt.want {
				t.Errorf("winAnsi(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPDFString(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain", "Total", `(Total)`},
		{"parentheses", "a(b)c", `(a\(b\)c)`},
		{"backslash", `a\b`, `(a\\b)`},
		{"high byte as octal", "\x80 5", `(\200 5)`},
		{"control byte as octal", "a\nb", `(a\012b)`},
		{"empty", "", `()`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			pdfString(&b, []byte(tt.in))
			if got := b.String(); got != tt.want {
				t.Errorf("pdfString(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width float64
		want  []string
	}{
		{"fits on one line", "Lesson", 100, []string{"Lesson"}},
		{"breaks between words", "aaa bbb ccc", 40, []string{"aaa bbb", "ccc"}}, // "aaa bbb" is 38.92pt at 10pt
		{"keeps line breaks", "Via Roma 1\n00100 Roma", 500, []string{"Via Roma 1", "00100 Roma"}},
		{"CRLF and CR are line breaks", "a\r\nb\rc", 500, []string{"a", "b", "c"}},
		{"collapses repeated spaces", "a   b", 500, []string{"a b"}},
		{"breaks a word too wide alone", "mmmmmmmmmm", 30, []string{"mmm", "mmm", "mmm", "m"}}, // m is 8.33pt
		{"blank gives no lines", " \n ", 100, nil},
		{"narrower than one glyph still progresses", "ab", 1, []string{"a", "b"}},
		{"blank line inside kept", "a\n\nb", 500, []string{"a", "", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, l := range wrap(fontRegular, 10, tt.width, tt.in) {
				got = append(got, string(l))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) || len(got) != len(tt.want) {
				t.Errorf("wrap(%q, %v) = %q, want %q", tt.in, tt.width, got, tt.want)
			}
		})
	}
}

func TestTextWidth(t *testing.T) {
	tests := []struct {
		name string
		font pdfFont
		text string
		want float64
	}{
		{"digits are 556", fontRegular, "10", 11.12},
		{"euro sign regular", fontRegular, "\x80", 5.56},
		{"regular", fontRegular, "Total", 22.23},
		{"bold is wider", fontBold, "Total", 23.89},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := textWidth(tt.font, 10, []byte(tt.text))
			if diff := got - tt.want; diff > 0.01 || diff < -0.01 {
				t.Errorf("textWidth(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func FuzzRenderPDF(f *testing.F) {
	f.Add("INV-2027-000001", "Scuola Città", "Via Roma 1\nRoma", "Lezione (60') \\ €", "Nota", "it", "EUR", int64(2500), int64(1), int64(2200), true)
	f.Add("CN-2027-000002", "", "", "", "", "en", "JPY", int64(-1), int64(-3), int64(0), false)
	f.Add("(", "\xff\xfe", "\r\r\n\t", strings.Repeat("W", 5000), "日本語 😀", "zz", "₹", int64(-1<<63), int64(1<<63-1), int64(1<<62), true)
	f.Add("x", strings.Repeat("long name ", 300), strings.Repeat("line\n", 200), strings.Repeat("d ", 2000), "%%EOF endobj )", "", "KWD", int64(123456789), int64(0), int64(450), false)
	f.Fuzz(func(t *testing.T, number, name, address, desc, note, locale, currency string,
		amount, qty, rate int64, inclusive bool) {
		inv := Invoice{
			Number: number, Kind: KindCreditNote, IssuedAt: time.Unix(amount%(1<<40), 0),
			Seller: Party{Name: name, Address: address, Email: note, TaxID: desc},
			Buyer:  Party{Name: desc, Address: name, Email: address},
			Lines: []Line{
				{Description: desc, Quantity: qty, UnitAmount: amount, Amount: amount},
				{Description: name + address, Quantity: -qty, UnitAmount: -amount, Amount: rate},
			},
			Totals:   Totals{Subtotal: amount, Tax: rate, Total: qty},
			Currency: currency, TaxRateBP: rate, PricesIncludeTax: inclusive, Locale: locale, Note: note,
		}
		pdf, err := RenderPDF(inv)
		if err != nil {
			if !errors.Is(err, ErrInvalidInvoice) || strings.TrimSpace(number) != "" {
				t.Fatalf("RenderPDF() error = %v", err)
			}
			return
		}
		checkPDF(t, pdf)
	})
}

var (
	startxrefRE = regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`)
	xrefHeadRE  = regexp.MustCompile(`^xref\n0 (\d+)\n`)
	trailerRE   = regexp.MustCompile(`trailer\n<< /Size (\d+) /Root 1 0 R /Info 5 0 R >>\n`)
	countRE     = regexp.MustCompile(`/Type /Pages /Kids \[[^\]]*\] /Count (\d+)`)
	streamRE    = regexp.MustCompile(`<< /Length (\d+) >>\nstream\n`)
)

// checkPDF verifies the file structure a reader relies on and returns the
// page count: header and end marker, every xref offset pointing at its
// "N 0 obj", the trailer's size, and each stream's declared length.
func checkPDF(t testing.TB, pdf []byte) int {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4\n")) {
		t.Fatalf("PDF starts with %q, want %%PDF-1.4", pdf[:min(len(pdf), 10)])
	}
	if !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatalf("PDF does not end with %%%%EOF")
	}
	size := checkXref(t, pdf)
	for _, loc := range streamRE.FindAllSubmatchIndex(pdf, -1) {
		length, _ := strconv.Atoi(string(pdf[loc[2]:loc[3]]))
		end := loc[1] + length
		if end > len(pdf) || !bytes.HasPrefix(pdf[end:], []byte("\nendstream\n")) {
			t.Fatalf("stream at %d does not end after its /Length %d", loc[0], length)
		}
	}
	count := countRE.FindSubmatch(pdf)
	if count == nil {
		t.Fatal("PDF has no page tree")
	}
	pages, _ := strconv.Atoi(string(count[1]))
	if want := 5 + 2*pages + 1; size != want {
		t.Errorf("xref has %d entries, want %d for %d pages", size, want, pages)
	}
	return pages
}

// checkXref parses the cross-reference table back, checks that each
// entry's offset points at "N 0 obj" and that the trailer agrees, and
// returns the table's size.
func checkXref(t testing.TB, pdf []byte) int {
	t.Helper()
	m := startxrefRE.FindSubmatch(pdf)
	if m == nil {
		t.Fatal("PDF has no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if xref <= 0 || xref >= len(pdf) {
		t.Fatalf("startxref %d is outside the file", xref)
	}
	head := xrefHeadRE.FindSubmatch(pdf[xref:])
	if head == nil {
		t.Fatalf("startxref %d does not point at an xref table: %q", xref, pdf[xref:min(len(pdf), xref+20)])
	}
	size, _ := strconv.Atoi(string(head[1]))
	entries := pdf[xref+len(head[0]):]
	if len(entries) < 20*size {
		t.Fatalf("xref table declares %d entries but is truncated", size)
	}
	if got := string(entries[:20]); got != "0000000000 65535 f \n" {
		t.Errorf("xref entry 0 = %q, want the free-list head", got)
	}
	for n := 1; n < size; n++ {
		entry := string(entries[20*n : 20*n+20])
		if !strings.HasSuffix(entry, " 00000 n \n") {
			t.Fatalf("xref entry %d = %q, want a 20-byte in-use entry", n, entry)
		}
		off, err := strconv.Atoi(entry[:10])
		if err != nil || off >= len(pdf) {
			t.Fatalf("xref entry %d has a bad offset %q", n, entry[:10])
		}
		if want := fmt.Sprintf("%d 0 obj\n", n); !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Fatalf("xref offset %d of object %d points at %q, want %q", off, n, pdf[off:min(len(pdf), off+12)], want)
		}
	}
	tr := trailerRE.FindSubmatch(pdf[xref:])
	if tr == nil || string(tr[1]) != strconv.Itoa(size) {
		t.Fatalf("trailer missing or /Size differs from the xref's %d", size)
	}
	return size
}

func TestInvoiceLabelsInEveryLanguage(t *testing.T) {
	for _, l := range lang.Supported {
		if lbl, ok := invoiceLabels[l]; !ok || lbl.invoice == "" || lbl.total == "" {
			t.Errorf("no invoice labels in %q", l)
		}
	}
}
