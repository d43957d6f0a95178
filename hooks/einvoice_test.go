package hooks_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/migrations"
	"tutorbase/testkit/debtools"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// validFatturaPA checks a file against the shipped schema, offline.
func validFatturaPA(t *testing.T, doc []byte) {
	t.Helper()
	dir, err := filepath.Abs("../internal/billing/fatturapa/schema")
	require.NoError(t, err)
	out, err := debtools.ValidateXML(t, filepath.Join(dir, "Schema_VFPR12_1.2.1.xsd"), filepath.Join(dir, "catalog.xml"), doc)
	require.NoError(t, err, "%s\n%s", out, doc)
}

// unzip reads a zip's files by name.
func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		files[f.Name], err = io.ReadAll(rc)
		require.NoError(t, err)
		rc.Close()
	}
	return files
}

// A month's FatturaPA zip: staff only; the school's tax data first; one
// schema-valid file per invoice and credit note (TD04 for the refund),
// named after the school and the invoice numbers; an invoice whose
// customer gave no tax code listed in ERRORI.txt instead.
func TestFatturaPAMonthlyZip(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	p := s.buy(t, hookstest.Student)
	s.buy(t, hookstest.Student2) // no tax data on this profile
	pay, err := s.app.FindFirstRecordByData("payments", "purchase", p.Id)
	require.NoError(t, err)
	require.Equal(t, 200, refund(t, s, pay.Id, map[string]any{"amount": 4500, "reason": "two lessons back"}).Status)
	inv, err := s.app.FindRecordById("invoices", pay.GetString("invoice"))
	require.NoError(t, err)
	rome, _ := time.LoadLocation("Europe/Rome")
	month := inv.GetDateTime("issued_at").Time().In(rome).Format("2006-01")
	url := "/api/invoices/fatturapa.zip?month=" + month

	res := hookstest.Call(t, s.srv, http.MethodGet, url, cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "Completa i dati fiscali della scuola")
	res = hookstest.Call(t, s.srv, http.MethodPatch, "/api/collections/school/records/"+migrations.SchoolId, cast.Tokens[hookstest.Admin], map[string]any{
		"vat_id": "IT01234567890", "fiscal_code": "01234567890", "tax_regime": "RF01",
		"legal_street": "Via Roma 1", "legal_postcode": "00100", "legal_city": "Roma", "legal_province": "RM",
	})
	require.Equal(t, 200, res.Status, string(res.Body))
	// the customer gives their tax data after buying: the export reads it
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/collections/billing_details/records", cast.Tokens[hookstest.Student], map[string]any{
		"user": cast.Users[hookstest.Student], "billing_fiscal_code": "rss ncl 80a01 h501u", "billing_street": "Piazza Duomo 2", "billing_postcode": "20121",
		"billing_city": "Milano", "billing_province": "MI",
	})
	require.Equal(t, 200, res.Status, string(res.Body))

	for _, role := range []string{hookstest.Tutor, hookstest.Student} {
		require.Contains(t, []int{403, 404}, hookstest.Call(t, s.srv, http.MethodGet, url, cast.Tokens[role], nil).Status, role)
	}
	res = hookstest.Call(t, s.srv, http.MethodGet, "/api/invoices/fatturapa.zip?month=2027-13", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "Indica il mese come AAAA-MM")

	res = hookstest.Call(t, s.srv, http.MethodGet, url, cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	files := unzip(t, res.Body)
	var names []string
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	// every document of the month is there, the one without tax data as an error
	var all []*core.Record // in the school's month, not UTC's
	for _, doc := range invoicesOf(t, s.app, nil) {
		if doc.GetDateTime("issued_at").Time().In(rome).Format("2006-01") == month {
			all = append(all, doc)
		}
	}
	require.Len(t, names, len(all), names)
	require.Equal(t, "ERRORI.txt", names[0])
	kinds := map[string]int{}
	for _, doc := range all {
		if doc.GetString("user") == cast.Users[hookstest.Student2] {
			require.Contains(t, string(files["ERRORI.txt"]), doc.GetString("number")+": the customer has neither codice fiscale nor partita IVA")
			continue
		}
		name := fmt.Sprintf("IT01234567890_%02d%06d.xml", doc.GetInt("year")%100, doc.GetInt("seq"))
		require.Contains(t, files, name)
		validFatturaPA(t, files[name])
		for _, k := range []string{"TD01", "TD04"} {
			if bytes.Contains(files[name], []byte("<TipoDocumento>"+k+"</TipoDocumento>")) {
				kinds[k]++
			}
		}
		require.Contains(t, string(files[name]), "<Numero>"+doc.GetString("number")+"</Numero>")
	}
	require.Equal(t, 1, kinds["TD04"], "the refund's credit note")
	require.Contains(t, string(files[fmt.Sprintf("IT01234567890_%02d%06d.xml", inv.GetInt("year")%100, inv.GetInt("seq"))]),
		"<CodiceFiscale>RSSNCL80A01H501U</CodiceFiscale>")
}
