package hooks_test

import (
	"io"
	"net/http"
	"regexp"
	"sort"
	"sync"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

var invoiceNumber = regexp.MustCompile(`^INV-\d{4}-\d{6}$`)

func invoicesOf(t *testing.T, app core.App, where dbx.Expression) []*core.Record {
	t.Helper()
	list, err := app.FindAllRecords("invoices", where)
	require.NoError(t, err)
	return list
}

func TestManualPayments(t *testing.T) {
	t.Parallel()
	s := newShop(t)

	// a package: checkout, then the desk takes cash
	p := s.buy(t, hookstest.Student)
	pay, err := s.app.FindFirstRecordByData("payments", "purchase", p.Id)
	require.NoError(t, err)
	require.Equal(t, "paid", pay.GetString("status"))
	require.Equal(t, "manual", pay.GetString("provider"))
	require.Equal(t, "cash", pay.GetString("method"))
	inv, err := s.app.FindRecordById("invoices", pay.GetString("invoice"))
	require.NoError(t, err)
	require.Regexp(t, invoiceNumber, inv.GetString("number"))
	require.Equal(t, "invoice", inv.GetString("kind"))
	require.Equal(t, 18000, inv.GetInt("total"))
	require.Equal(t, 18000, inv.GetInt("subtotal")+inv.GetInt("tax"))
	require.NotEmpty(t, inv.GetString("pdf"), "the PDF is rendered after the commit")

	t.Run("a pay-per-lesson lesson paid at the desk", func(t *testing.T) {
		start, end := romeSlot(3, 15, 0, 60)
		res := hookstest.Call(t, s.srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
		require.Equal(t, 200, res.Status, string(res.Body))
		id := res.JSON()["id"].(string)
		res = hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"booking": id})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, "pending", res.JSON()["payment"].(map[string]any)["status"])
		require.Contains(t, res.JSON(), "instructions")
		require.Equal(t, 400, hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student2], map[string]any{"booking": id}).Status, "not someone else's lesson")
		res = hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+id+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "transfer", "reference": "CRO 123"})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, "paid", res.JSON()["payment_status"])
		again := hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+id+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"})
		require.Equal(t, 400, again.Status)

		t.Run("the tutor cancels: a full refund and a credit note", func(t *testing.T) {
			res := hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+id+"/cancel", cast.Tokens[hookstest.Tutor2], map[string]any{"reason": "ill"})
			require.Equal(t, 200, res.Status, string(res.Body))
			lessonPay, err := s.app.FindFirstRecordByData("payments", "booking", id)
			require.NoError(t, err)
			require.Equal(t, "refunded", lessonPay.GetString("status"))
			require.Equal(t, 4000, lessonPay.GetInt("refunded_amount"))
			b, err := s.app.FindRecordById("bookings", id)
			require.NoError(t, err)
			require.Equal(t, "refunded", b.GetString("payment_status"))
			notes := invoicesOf(t, s.app, dbx.HashExp{"kind": "credit_note", "payment": lessonPay.Id})
			require.Len(t, notes, 1)
			require.Equal(t, -4000, notes[0].GetInt("total"))
			require.Equal(t, lessonPay.GetString("invoice"), notes[0].GetString("refers_to"))
		})
	})

	t.Run("a late student cancel refunds the school's late percentage", func(t *testing.T) {
		school, err := s.app.FindRecordById("school", "tutorbaseschool")
		require.NoError(t, err)
		school.Set("late_cancel_refund_percent", 50)
		require.NoError(t, s.app.Save(school))
		allDay(t, s.app, hookstest.Tutor2)
		setTutor(hookstest.Tutor2, map[string]any{"min_notice_minutes": 0})(t, s.app, nil)
		res := hookstest.Call(t, s.srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student2],
			map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": soon(3 * time.Hour), "end": soon(4 * time.Hour)})
		require.Equal(t, 200, res.Status, string(res.Body))
		id := res.JSON()["id"].(string)
		require.Equal(t, 200, hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+id+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"}).Status)
		require.Equal(t, 200, hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+id+"/cancel", cast.Tokens[hookstest.Student2], nil).Status)
		lessonPay, err := s.app.FindFirstRecordByData("payments", "booking", id)
		require.NoError(t, err)
		require.Equal(t, "partially_refunded", lessonPay.GetString("status"))
		require.Equal(t, 2000, lessonPay.GetInt("refunded_amount"))
	})

	t.Run("refunding a package's unused credits", func(t *testing.T) {
		url := "/api/payments/" + pay.Id + "/refund"
		require.Equal(t, 403, hookstest.Call(t, s.srv, http.MethodPost, url, cast.Tokens[hookstest.Student], map[string]any{}).Status)
		for _, bad := range []map[string]any{{"amount": -5}, {"amount": 0}, {"amount": 18001}} {
			res := hookstest.Call(t, s.srv, http.MethodPost, url, cast.Tokens[hookstest.Admin], bad)
			require.Equal(t, 400, res.Status, string(res.Body))
		}
		// one lesson booked with the package first: 3 of 4 credits are unused
		// (15:00, clear of the fixture's lesson at 09:00 UTC ten UTC days on,
		// which is Rome's day 9 at 10:00 in the last hour of a UTC day)
		res := s.book(t, hookstest.Student, p.Id, 9, 15)
		require.Equal(t, 200, res.Status, string(res.Body))
		res = hookstest.Call(t, s.srv, http.MethodPost, url, cast.Tokens[hookstest.Admin], map[string]any{"reason": "moving abroad"})
		require.Equal(t, 200, res.Status, string(res.Body))
		r := res.JSON()
		require.EqualValues(t, 13500, r["amount"], "3 unused × 18000/4")
		require.Equal(t, "succeeded", r["status"])
		fresh, err := s.app.FindRecordById("payments", pay.Id)
		require.NoError(t, err)
		require.Equal(t, "partially_refunded", fresh.GetString("status"))
		pr, err := s.app.FindRecordById("purchases", p.Id)
		require.NoError(t, err)
		require.Equal(t, "refunded", pr.GetString("status"))
		lines := ledger(t, s.app, p.Id)
		require.Equal(t, "refunded -3 0", lines[len(lines)-1])
		require.Len(t, invoicesOf(t, s.app, dbx.HashExp{"kind": "credit_note", "payment": pay.Id}), 1)
		over := hookstest.Call(t, s.srv, http.MethodPost, url, cast.Tokens[hookstest.Admin], map[string]any{"amount": 4501})
		require.Equal(t, 400, over.Status, "only 4500 is left")
		require.Contains(t, string(over.Body), `"amount":{"code":"too_much"`)
	})

	t.Run("invoice PDFs: the buyer and staff only", func(t *testing.T) {
		url := "/api/invoices/" + inv.Id + "/pdf"
		for role, want := range map[string]int{hookstest.Student: 200, hookstest.Admin: 200, hookstest.Student2: 404, hookstest.Tutor2: 404, hookstest.Visitor: 401} {
			req, _ := http.NewRequest(http.MethodGet, s.srv.URL+url, nil)
			if tok := cast.Tokens[role]; tok != "" {
				req.Header.Set("Authorization", tok)
			}
			res, err := s.srv.Client().Do(req)
			require.NoError(t, err)
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			require.Equal(t, want, res.StatusCode, role)
			if want == 200 {
				require.Equal(t, "application/pdf", res.Header.Get("Content-Type"))
				require.Equal(t, "%PDF-", string(body[:5]))
			}
		}
		// a PDF lost in a crash is rendered again on the next download
		inv.Set("pdf", nil)
		require.NoError(t, s.app.Save(inv))
		res := hookstest.Call(t, s.srv, http.MethodGet, url, cast.Tokens[hookstest.Student], nil)
		require.Equal(t, 200, res.Status)
		require.Equal(t, "%PDF-", string(res.Body[:5]))
	})

	t.Run("payment history: each user sees their own", func(t *testing.T) {
		res := hookstest.Call(t, s.srv, http.MethodGet, "/api/collections/payments/records?perPage=100", cast.Tokens[hookstest.Student2], nil)
		require.Equal(t, 200, res.Status)
		for _, it := range res.JSON()["items"].([]any) {
			require.Equal(t, cast.Users[hookstest.Student2], it.(map[string]any)["user"])
		}
		all := hookstest.Call(t, s.srv, http.MethodGet, "/api/collections/payments/records?perPage=100", cast.Tokens[hookstest.Admin], nil)
		require.Greater(t, all.JSON()["totalItems"], res.JSON()["totalItems"])
	})
}

// Twenty payments at once get twenty consecutive invoice numbers.
func TestInvoiceNumbersAreGapless(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	ids := make([]string, 20)
	for i := range ids {
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"package": s.pkg})
		require.Equal(t, 200, res.Status)
		ids[i] = res.JSON()["purchase"].(map[string]any)["id"].(string)
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/"+id+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"})
			if res.Status != 200 {
				t.Errorf("%d %s", res.Status, res.Body)
			}
		}()
	}
	wg.Wait()
	var seqs []int
	for _, inv := range invoicesOf(t, s.app, dbx.NewExp("year > 0")) {
		seqs = append(seqs, inv.GetInt("seq"))
		require.Regexp(t, invoiceNumber, inv.GetString("number"))
	}
	sort.Ints(seqs)
	require.Len(t, seqs, 21, "the fixture's invoice and twenty new ones")
	for i, n := range seqs {
		require.Equal(t, i+1, n, "gapless from 1")
	}
}
