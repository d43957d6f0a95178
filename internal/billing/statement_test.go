package billing

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"tutorbase/testkit/debtools"
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
		Title: "Estratto conto di marzo 2027", School: "Scuola Demo", For: "Łukasz Wiśniewski", Currency: "EUR", Locale: "it",
		Created: time.Date(2027, 4, 1, 8, 0, 0, 0, time.UTC),
		Sections: []StatementSection{
			{Heading: "Lezioni", Rows: []StatementRow{{Date: "03/03/2027", Text: "Lezione con Дмитрий", Amount: 123456, HasAmount: true}}},
			{Heading: "Crediti", Rows: []StatementRow{{Date: "04/03/2027", Text: "1 credito usato"}}},
			{Heading: "Pagamenti", Empty: "Nessun pagamento."},
		},
		Totals: []StatementTotal{{Label: "Netto", Amount: -2500}},
	}
	pdf, err := RenderStatementPDF(st)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := debtools.PDFText(t, pdf)
	for _, want := range []string{"Łukasz Wiśniewski", "Lezioni", "Lezione con Дмитрий", "1 credito usato", "Nessun pagamento.", "€ 1.234,56", "-€ 25,00"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	if again, _ := RenderStatementPDF(st); !bytes.Equal(pdf, again) {
		t.Error("not deterministic")
	}
	// a long month runs onto more pages
	for i := range 120 {
		st.Sections[0].Rows = append(st.Sections[0].Rows, StatementRow{Date: "05/03/2027", Text: fmt.Sprintf("Lezione %d", i), Amount: 100, HasAmount: true})
	}
	long, err := RenderStatementPDF(st)
	if err != nil {
		t.Fatal(err)
	}
	if _, pages := debtools.PDFText(t, long); pages < 3 {
		t.Errorf("%d pages for 121 rows, want at least 3", pages)
	}
}
