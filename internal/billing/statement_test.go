package billing

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestMonthRange(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	start, end := MonthRange(2027, time.March, rome) // DST starts on 28 March
	if got, want := start.UTC().Format(time.RFC3339), "2027-02-28T23:00:00Z"; got != want {
		t.Errorf("start = %s, want %s", got, want)
	}
	if got, want := end.UTC().Format(time.RFC3339), "2027-03-31T22:00:00Z"; got != want {
		t.Errorf("end = %s, want %s", got, want)
	}
	if _, end := MonthRange(2027, time.December, time.UTC); end.Year() != 2028 || end.Month() != time.January {
		t.Errorf("December ends at %v", end)
	}
}

func TestRenderStatementPDF(t *testing.T) {
	st := Statement{
		Title: "Estratto conto di marzo 2027", School: "Scuola Demo", For: "Giulia Rossi", Currency: "EUR", Locale: "it",
		Created: time.Date(2027, 4, 1, 8, 0, 0, 0, time.UTC),
		Sections: []StatementSection{
			{Heading: "Lezioni", Rows: []StatementRow{{Date: "03/03/2027", Text: "Lezione con Stella", Amount: 123456, HasAmount: true}}},
			{Heading: "Crediti", Rows: []StatementRow{{Date: "04/03/2027", Text: "1 credito usato"}}},
			{Heading: "Pagamenti", Empty: "Nessun pagamento."},
		},
		Totals: []StatementTotal{{Label: "Netto", Amount: -2500}},
	}
	pdf := RenderStatementPDF(st)
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatalf("not a PDF: %q", pdf[:20])
	}
	for _, want := range []string{"(Lezioni)", "(Lezione con Stella)", "(1 credito usato)", "(Nessun pagamento.)", `(\200 1.234,56)`, `(-\200 25,00)`} {
		if !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if !bytes.Equal(pdf, RenderStatementPDF(st)) {
		t.Error("not deterministic")
	}
	// a long month runs onto more pages
	for i := range 120 {
		st.Sections[0].Rows = append(st.Sections[0].Rows, StatementRow{Date: "05/03/2027", Text: fmt.Sprintf("Lezione %d", i), Amount: 100, HasAmount: true})
	}
	if n := strings.Count(string(RenderStatementPDF(st)), "/Type /Page "); n < 3 {
		t.Errorf("%d pages for 121 rows, want at least 3", n)
	}
}
