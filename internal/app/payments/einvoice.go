package payments

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
	"tutorbase/internal/billing/fatturapa"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// FatturaPAZip answers a month's invoices and credit notes as FatturaPA
// files in one zip, for the school's accountant or intermediary
// (GET /api/invoices/fatturapa.zip?month=YYYY-MM, staff): one file per
// document, IT{partita IVA}_{progressive}.xml, the progressive being the
// invoice's year and number. A document that cannot be written (the
// customer gave no codice fiscale, say) is listed with the reason in
// ERRORI.txt inside the zip instead.
func (s *Service) FatturaPAZip(e *core.RequestEvent) error {
	school, err := platform.LoadSchool(e.App)
	if err != nil {
		return err
	}
	month, err := time.ParseInLocation("2006-01", e.Request.URL.Query().Get("month"), school.Location)
	if err != nil {
		return platform.RuleError(http.StatusBadRequest, "month", "validation_invalid_date", "Give the month as YYYY-MM.")
	}
	seller, err := sellerTaxOf(e.App, school)
	if err != nil {
		return platform.RuleError(http.StatusBadRequest, "school", "not_exportable",
			"Fill in the school's tax data (partita IVA, fiscal code, tax regime, legal address) to export e-invoices.")
	}
	invoices, err := e.App.FindRecordsByFilter("invoices", "issued_at >= {:from} && issued_at < {:to}", "year,seq", 0, 0,
		dbx.Params{"from": platform.DBTime(month), "to": platform.DBTime(month.AddDate(0, 1, 0))})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var problems []string
	for _, inv := range invoices {
		doc, err := fatturaPAOf(e.App, inv, seller, school)
		if errors.Is(err, fatturapa.ErrNotExportable) {
			problems = append(problems, inv.GetString("number")+": "+strings.TrimPrefix(err.Error(), "fatturapa: not exportable: "))
			continue
		}
		if err != nil {
			return err
		}
		if err := addToZip(zw, fatturapa.FileName(seller, progressive(inv)), inv.GetDateTime("issued_at").Time(), doc); err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		note := "Documenti non esportati / documents not exported:\n" + strings.Join(problems, "\n") + "\n"
		if err := addToZip(zw, "ERRORI.txt", month, []byte(note)); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	e.Response.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"fatturapa-%s.zip\"", month.Format("2006-01")))
	return e.Blob(http.StatusOK, "application/zip", buf.Bytes())
}

func addToZip(zw *zip.Writer, name string, modified time.Time, data []byte) error {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified.UTC()})
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// progressive is a document's ProgressivoInvio: the last two digits of its
// year and its number in the year's sequence (shared by invoices and
// credit notes), so it follows the invoice numbers and never repeats.
func progressive(inv *core.Record) string {
	return fmt.Sprintf("%02d%06d", inv.GetInt("year")%100, inv.GetInt("seq"))
}

// sellerTaxOf reads the school's tax data for e-invoices.
func sellerTaxOf(app core.App, school *platform.School) (fatturapa.Seller, error) {
	r, err := app.FindRecordById("school", migrations.SchoolId)
	if err != nil {
		return fatturapa.Seller{}, err
	}
	s := fatturapa.Seller{
		Name: school.Name, VATNumber: strings.TrimPrefix(strings.ReplaceAll(school.VATID, " ", ""), "IT"),
		FiscalCode: r.GetString("fiscal_code"), TaxRegime: r.GetString("tax_regime"),
		Address: fatturapa.Address{Street: r.GetString("legal_street"), PostalCode: r.GetString("legal_postcode"),
			City: r.GetString("legal_city"), Province: r.GetString("legal_province")},
	}
	return s, s.Validate()
}

// customerOf is the one place that reads whom an invoice is made out to,
// for e-invoices: the buyer as the invoice recorded it; when the invoice
// was issued before the customer gave their tax data, the customer's data
// now (buyerOf, which reads the student profile).
func customerOf(app core.App, inv *core.Record) (fatturapa.Customer, error) {
	var p billing.Party
	if err := platform.DecodeJSON(inv.Get("buyer"), &p); err != nil {
		return fatturapa.Customer{}, err
	}
	if p.Tax == nil {
		if now, err := buyerOf(app, inv.GetString("user")); err == nil {
			p.Tax = now.Tax
		}
	}
	t := p.Tax
	if t == nil {
		t = &billing.PartyTax{}
	}
	return fatturapa.Customer{
		Name: p.Name, FiscalCode: t.FiscalCode, VATNumber: t.VATNumber, RecipientCode: t.RecipientCode, PEC: t.PEC,
		Address: fatturapa.Address{Street: t.Street, PostalCode: t.PostalCode, City: t.City, Province: t.Province, Country: t.Country},
	}, nil
}

// fatturaPAOf writes one stored invoice or credit note as FatturaPA.
func fatturaPAOf(app core.App, inv *core.Record, seller fatturapa.Seller, school *platform.School) ([]byte, error) {
	customer, err := customerOf(app, inv)
	if err != nil {
		return nil, err
	}
	var lines []billing.Line
	if err := platform.DecodeJSON(inv.Get("lines"), &lines); err != nil {
		return nil, err
	}
	doc := fatturapa.Invoice{
		Progressive: progressive(inv), Type: fatturapa.TypeInvoice, Number: inv.GetString("number"),
		Date: inv.GetDateTime("issued_at").Time(), Location: school.Location, Currency: inv.GetString("currency"),
		Seller: seller, Customer: customer, Lines: lines, Inclusive: inv.GetBool("prices_include_tax"),
		Default: billing.TaxRule{RateBP: int64(inv.GetFloat("tax_rate_percent")*100 + 0.5)},
	}
	if inv.GetString("kind") == billing.KindCreditNote {
		doc.Type = fatturapa.TypeCreditNote
		if orig, err := app.FindRecordById("invoices", inv.GetString("refers_to")); err == nil {
			doc.RefersTo, doc.RefersToDate = orig.GetString("number"), orig.GetDateTime("issued_at").Time()
		}
	}
	return fatturapa.Marshal(doc)
}
