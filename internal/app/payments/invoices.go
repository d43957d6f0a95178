package payments

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

func (s *Service) registerInvoices(app core.App) {
	// the PDF is rendered once the invoice is committed; a crash in between
	// leaves it missing, and the download route renders it then
	app.OnRecordAfterCreateSuccess("invoices").BindFunc(func(e *core.RecordEvent) error {
		if err := s.renderInvoicePDF(e.App, e.Record); err != nil {
			e.App.Logger().Error("failed to render an invoice PDF", "invoice", e.Record.Id, "error", err)
		}
		return e.Next()
	})
	// invoices and credit notes are never deleted, superusers included
	app.OnRecordDeleteRequest("invoices").BindFunc(func(e *core.RecordRequestEvent) error {
		return apis.NewForbiddenError("Invoices are kept; issue a credit note instead.", nil)
	})
}

// issueInvoice issues, in tx, the invoice of a paid payment, or with refund
// the credit note of that refund. Numbers are {prefix}{year}-{seq}: one
// sequence per year in the school's zone, shared by invoices and credit
// notes, allocated in the caller's transaction from a counter that never
// goes back, so they are gapless and never reused.
func (s *Service) issueInvoice(tx core.App, pay, refund *core.Record) (*core.Record, error) {
	school, err := platform.LoadSchool(tx)
	if err != nil {
		return nil, err
	}
	now := s.env.Now()
	year := billing.InvoiceYear(now, school.Location)
	seq, err := nextInvoiceSeq(tx, year)
	if err != nil {
		return nil, err
	}
	kind, amount, desc := billing.KindInvoice, int64(pay.GetInt("amount")), pay.GetString("description")
	rule := paymentTaxRule(tx, pay, school)
	if refund != nil {
		kind, amount = billing.KindCreditNote, -int64(refund.GetInt("amount"))
		desc = "Refund: " + desc
		rule = creditNoteTaxRule(tx, pay, school)
	}
	lines := []billing.Line{billing.NewLine(desc, 1, amount)}
	if r := liveRedemption(tx, pay.Id); r != nil && refund == nil { // the list price, less the code's discount
		off := int64(r.GetInt("amount"))
		lines = []billing.Line{billing.NewLine(desc, 1, amount+off), billing.NewLine("Promotion code "+r.GetString("code"), 1, -off)}
	}
	for i := range lines {
		lines[i].Tax = &rule
	}
	_, totals := billing.TaxByRate(lines, rule, school.PricesIncludeTax)
	buyer, err := buyerOf(tx, pay.GetString("user"))
	if err != nil {
		return nil, err
	}
	col, err := tx.FindCachedCollectionByNameOrId("invoices")
	if err != nil {
		return nil, err
	}
	inv := core.NewRecord(col)
	inv.Load(map[string]any{
		"number": billing.InvoiceNumber(school.InvoicePrefix, year, int64(seq)), "year": year, "seq": seq, "kind": kind,
		"user": pay.GetString("user"), "payer": pay.GetString("user"), "student": cmp.Or(pay.GetString("student"), pay.GetString("user")),
		"payment": pay.Id, "buyer": buyer, "seller": sellerOf(school),
		"lines": lines, "subtotal": totals.Subtotal, "tax": totals.Tax, "total": totals.Total,
		"currency": pay.GetString("currency"), "issued_at": now,
		"tax_rate_percent": float64(rule.RateBP) / 100, "prices_include_tax": school.PricesIncludeTax,
	})
	if refund != nil {
		inv.Set("refers_to", pay.GetString("invoice"))
	}
	if err := tx.Save(inv); err != nil {
		return nil, err
	}
	if refund == nil {
		pay.Set("invoice", inv.Id)
		return inv, tx.Save(pay)
	}
	refund.Set("credit_note", inv.Id)
	return inv, tx.Save(refund)
}

func nextInvoiceSeq(tx core.App, year int) (int, error) {
	c, err := tx.FindFirstRecordByData("invoice_counters", "year", year)
	if err != nil {
		col, cerr := tx.FindCachedCollectionByNameOrId("invoice_counters")
		if cerr != nil {
			return 0, cerr
		}
		c = core.NewRecord(col)
		c.Set("year", year)
	}
	next := c.GetInt("last") + 1
	c.Set("last", next)
	return next, tx.Save(c)
}

func buyerOf(app core.App, userId string) (billing.Party, error) {
	u, err := app.FindRecordById("users", userId)
	if err != nil {
		return billing.Party{}, err
	}
	p := billing.Party{Name: u.GetString("name"), Email: u.Email()}
	if s, err := app.FindFirstRecordByData("students", "user", userId); err == nil && s.GetString("guardian_name") != "" {
		p.Name = s.GetString("guardian_name") + " (for " + u.GetString("name") + ")"
		if s.GetString("guardian_email") != "" {
			p.Email = s.GetString("guardian_email")
		}
	}
	if d, err := app.FindFirstRecordByData("billing_details", "user", userId); err == nil {
		p.Tax = billingTaxOf(d)
	}
	if p.Tax != nil {
		p.TaxID = cmp.Or(p.Tax.VATNumber, p.Tax.FiscalCode)
	}
	if p.Tax != nil && p.Tax.Street != "" {
		p.Address = strings.TrimSpace(p.Tax.Street + "\n" + strings.TrimSpace(p.Tax.PostalCode+" "+p.Tax.City+" "+p.Tax.Province))
	}
	return p, nil
}

// billingTaxOf reads a payer's billing_details (nil when they hold
// nothing).
func billingTaxOf(s *core.Record) *billing.PartyTax {
	t := billing.PartyTax{
		FiscalCode: s.GetString("billing_fiscal_code"), VATNumber: s.GetString("billing_vat_id"),
		RecipientCode: s.GetString("billing_recipient_code"), PEC: s.GetString("billing_pec"),
		Street: s.GetString("billing_street"), PostalCode: s.GetString("billing_postcode"), City: s.GetString("billing_city"),
		Province: s.GetString("billing_province"), Country: s.GetString("billing_country"),
	}
	if t == (billing.PartyTax{}) {
		return nil
	}
	return &t
}

func sellerOf(s *platform.School) billing.Party {
	return billing.Party{Name: s.Name, Email: s.Email, Address: s.Address, TaxID: s.VATID}
}

// invoiceOf reads a stored invoice back into billing's form.
func invoiceOf(app core.App, inv *core.Record) (billing.Invoice, error) {
	school, err := platform.LoadSchool(app)
	if err != nil {
		return billing.Invoice{}, err
	}
	out := billing.Invoice{
		Number: inv.GetString("number"), Kind: inv.GetString("kind"), IssuedAt: inv.GetDateTime("issued_at").Time(),
		Location: school.Location, Currency: inv.GetString("currency"),
		Totals:           billing.Totals{Subtotal: int64(inv.GetInt("subtotal")), Tax: int64(inv.GetInt("tax")), Total: int64(inv.GetInt("total"))},
		TaxRateBP:        int64(inv.GetFloat("tax_rate_percent")*100 + 0.5),
		PricesIncludeTax: inv.GetBool("prices_include_tax"),
	}
	if err := platform.DecodeJSON(inv.Get("buyer"), &out.Buyer); err != nil {
		return out, err
	}
	if err := platform.DecodeJSON(inv.Get("seller"), &out.Seller); err != nil {
		return out, err
	}
	if err := platform.DecodeJSON(inv.Get("lines"), &out.Lines); err != nil {
		return out, err
	}
	if u, err := app.FindRecordById("users", inv.GetString("user")); err == nil {
		out.Locale = u.GetString("locale")
	}
	if ref := inv.GetString("refers_to"); ref != "" {
		if orig, err := app.FindRecordById("invoices", ref); err == nil {
			out.Note = "Refers to invoice " + orig.GetString("number")
		}
	}
	return out, nil
}

// renderInvoicePDF renders and attaches an invoice's PDF.
func (s *Service) renderInvoicePDF(app core.App, inv *core.Record) error {
	data, err := invoiceOf(app, inv)
	if err != nil {
		return err
	}
	pdf, err := billing.RenderPDF(data)
	if err != nil {
		return err
	}
	f, err := filesystem.NewFileFromBytes(pdf, inv.GetString("number")+".pdf")
	if err != nil {
		return err
	}
	inv.Set("pdf", f)
	return app.Save(inv)
}

// InvoicePDF downloads an invoice's PDF (its buyer and staff),
// rendering it first if it is missing.
func (s *Service) InvoicePDF(e *core.RequestEvent) error {
	inv, err := e.App.FindRecordById("invoices", e.Request.PathValue("id"))
	if err != nil || (!platform.IsStaff(e) && inv.GetString("user") != e.Auth.Id) {
		return e.NotFoundError("", nil)
	}
	if inv.GetString("pdf") == "" {
		if err := s.renderInvoicePDF(e.App, inv); err != nil {
			return e.InternalServerError("The invoice could not be rendered.", err)
		}
	}
	fsys, err := e.App.NewFilesystem()
	if err != nil {
		return err
	}
	defer fsys.Close()
	key := inv.BaseFilesPath() + "/" + inv.GetString("pdf")
	e.Response.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", inv.GetString("number")+".pdf"))
	return fsys.Serve(e.Response, e.Request, key, inv.GetString("number")+".pdf")
}

// RenderMissingPDFs renders the PDFs a crash left missing (a job).
func (s *Service) RenderMissingPDFs(app core.App, now time.Time) error {
	missing, err := app.FindRecordsByFilter("invoices", "pdf = '' && created <= {:before}", "created", 100, 0,
		dbx.Params{"before": platform.DBTime(now.Add(-time.Minute))})
	if err != nil {
		return err
	}
	for _, inv := range missing {
		if err := s.renderInvoicePDF(app, inv); err != nil {
			return err
		}
	}
	return nil
}
