package hooks_test

import (
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/billing"
	"tutorbase/testkit/debtools"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// invoiceLines decodes an invoice's stored lines.
func invoiceLines(t *testing.T, inv *core.Record) []billing.Line {
	t.Helper()
	var lines []billing.Line
	require.NoError(t, inv.UnmarshalJSONField("lines", &lines))
	return lines
}

// Tax rules: staff set a rate or an exemption on a subject or a package;
// an invoice's line carries the rule (the package's, else its subject's,
// else the school's rate), its totals are computed per rule, its PDF names
// the exemption, and the refund's credit note reverses the same rule.
func TestTaxRulesOnInvoices(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	pkgURL := "/api/collections/packages/records/" + s.pkg

	t.Run("only staff set a tax rule, and an exemption needs its reason", func(t *testing.T) {
		res := hookstest.Call(t, s.srv, http.MethodPatch, pkgURL, cast.Tokens[hookstest.Tutor2], map[string]any{"tax_mode": "exempt"})
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), `"tax_mode":{"code":"staff_only"`)
		res = hookstest.Call(t, s.srv, http.MethodPatch, pkgURL, cast.Tokens[hookstest.Admin], map[string]any{"tax_mode": "exempt", "tax_nature": "N4"})
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), "Indica la norma dell'esenzione") // the cast speaks Italian
		res = hookstest.Call(t, s.srv, http.MethodPatch, pkgURL, cast.Tokens[hookstest.Admin], map[string]any{"tax_mode": "rate", "tax_rate_percent": 4.125})
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), `"tax_rate_percent":{"code":"invalid_percent"`)
		pkg, err := s.app.FindRecordById("packages", s.pkg)
		require.NoError(t, err)
		require.Empty(t, pkg.GetString("tax_mode"), "a refused change changes nothing")
	})

	res := hookstest.Call(t, s.srv, http.MethodPatch, pkgURL, cast.Tokens[hookstest.Admin],
		map[string]any{"tax_mode": "exempt", "tax_nature": "N4", "tax_reference": "art. 10 n. 20 DPR 633/72"})
	require.Equal(t, 200, res.Status, string(res.Body))
	p := s.buy(t, hookstest.Student)
	pay, err := s.app.FindFirstRecordByData("payments", "purchase", p.Id)
	require.NoError(t, err)
	inv, err := s.app.FindRecordById("invoices", pay.GetString("invoice"))
	require.NoError(t, err)
	lines := invoiceLines(t, inv)
	require.Len(t, lines, 1)
	require.Equal(t, &billing.TaxRule{Nature: "N4", Reference: "art. 10 n. 20 DPR 633/72"}, lines[0].Tax)
	require.Equal(t, []int{18000, 0, 18000}, []int{inv.GetInt("subtotal"), inv.GetInt("tax"), inv.GetInt("total")})
	pdf := hookstest.Call(t, s.srv, http.MethodGet, "/api/invoices/"+inv.Id+"/pdf", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, pdf.Status)
	text, _ := debtools.PDFText(t, pdf.Body)
	require.Contains(t, text, "Esente N4")
	require.Contains(t, text, "Esente (N4): art. 10 n. 20")

	t.Run("the credit note reverses the rule the invoice had", func(t *testing.T) {
		// the rule changes after the sale: the refund still reverses an exempt line
		res := hookstest.Call(t, s.srv, http.MethodPatch, pkgURL, cast.Tokens[hookstest.Admin], map[string]any{"tax_mode": "rate", "tax_rate_percent": 22})
		require.Equal(t, 200, res.Status, string(res.Body))
		res = refund(t, s, pay.Id, map[string]any{"amount": 4500, "reason": "two lessons back"})
		require.Equal(t, 200, res.Status, string(res.Body))
		r, err := s.app.FindFirstRecordByData("refunds", "payment", pay.Id)
		require.NoError(t, err)
		cn, err := s.app.FindRecordById("invoices", r.GetString("credit_note"))
		require.NoError(t, err)
		require.Equal(t, "credit_note", cn.GetString("kind"))
		require.Equal(t, "N4", invoiceLines(t, cn)[0].Tax.Nature)
		require.Equal(t, []int{-4500, 0, -4500}, []int{cn.GetInt("subtotal"), cn.GetInt("tax"), cn.GetInt("total")})
	})

	t.Run("a package without a rule takes its subject's", func(t *testing.T) {
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/collections/subjects/records", cast.Tokens[hookstest.Admin],
			map[string]any{"name": "Corso di lingua", "slug": "corso-lingua", "tax_mode": "rate", "tax_rate_percent": 10})
		require.Equal(t, 200, res.Status, string(res.Body))
		subject := res.JSON()["id"].(string)
		res = hookstest.Call(t, s.srv, http.MethodPatch, pkgURL, cast.Tokens[hookstest.Admin], map[string]any{"tax_mode": "", "subject": subject})
		require.Equal(t, 200, res.Status, string(res.Body))
		p := s.buy(t, hookstest.Student2)
		pay, err := s.app.FindFirstRecordByData("payments", "purchase", p.Id)
		require.NoError(t, err)
		inv, err := s.app.FindRecordById("invoices", pay.GetString("invoice"))
		require.NoError(t, err)
		require.Equal(t, int64(1000), invoiceLines(t, inv)[0].Tax.RateBP)
		// 18000 including 10%: 16364 + 1636
		require.Equal(t, []int{16364, 1636, 18000}, []int{inv.GetInt("subtotal"), inv.GetInt("tax"), inv.GetInt("total")})
	})
}
