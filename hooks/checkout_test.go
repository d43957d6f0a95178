package hooks_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/testkit/debtools"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v76"
)

// rawPost posts body as it is (not JSON-encoded) with a role's token.
func rawPost(t *testing.T, s *shop, path, role string, body []byte) hookstest.Response {
	t.Helper()
	return postRaw(t, s.srv.URL+path, cast.Tokens[role], "application/json", bytes.NewReader(body))
}

// Checkout answers what is wrong with a request before anything is
// written; staff buy for a named student.
func TestCheckoutRules(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	checkout := func(role string, body map[string]any) hookstest.Response {
		return hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[role], body)
	}
	purchases := func() int64 { return countWhere(t, s.app, "purchases", nil) }
	before := purchases()

	res := rawPost(t, s, "/api/purchases/checkout", hookstest.Student, []byte(`{"package": `))
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "Il corpo deve essere JSON") // the cast speaks the school's language (Italian)
	for _, body := range []map[string]any{{}, {"package": s.pkg, "booking": cast.IDs["booking"]}} {
		res := checkout(hookstest.Student, body)
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), `"package":{"code":"validation_required"`)
	}
	res = checkout(hookstest.Student, map[string]any{"package": s.pkg, "student": cast.Users[hookstest.Student2]})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"student":{"code":"server_owned"`)
	res = checkout(hookstest.Admin, map[string]any{"package": s.pkg})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"student":{"code":"validation_required"`)
	require.Equal(t, before, purchases(), "nothing written")

	t.Run("staff buy for a student", func(t *testing.T) {
		res := checkout(hookstest.Admin, map[string]any{"package": s.pkg, "student": cast.Users[hookstest.Student2]})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, cast.Users[hookstest.Student2], res.JSON()["purchase"].(map[string]any)["student"])
		require.Equal(t, cast.Users[hookstest.Student2], res.JSON()["payment"].(map[string]any)["user"])
	})

	t.Run("a lesson with nothing to pay", func(t *testing.T) {
		b, err := s.app.FindRecordById("bookings", cast.IDs["booking"])
		require.NoError(t, err)
		b.Set("payment_status", "paid")
		require.NoError(t, s.app.Save(b))
		res := checkout(hookstest.Student, map[string]any{"booking": b.Id})
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), `"booking":{"code":"not_payable"`)
	})

	t.Run("a tutor who stopped teaching sells no more", func(t *testing.T) {
		setTutorFields(t, s.app, hookstest.Tutor2, map[string]any{"status": "suspended"})
		res := checkout(hookstest.Student, map[string]any{"package": s.pkg})
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), "Questo tutor non accetta studenti.") // the cast speaks the school's language (Italian)
	})
}

// A student may drop a purchase they have not paid; nobody else but staff
// can, and a paid or dropped one stays as it is.
func TestCancelPurchase(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	res := hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"package": s.pkg})
	require.Equal(t, 200, res.Status, string(res.Body))
	id := res.JSON()["purchase"].(map[string]any)["id"].(string)
	pay := res.JSON()["payment"].(map[string]any)["id"].(string)
	cancel := func(role, id string) hookstest.Response {
		return hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/"+id+"/cancel", cast.Tokens[role], nil)
	}

	require.Equal(t, 404, cancel(hookstest.Student2, id).Status, "someone else's purchase does not exist for them")
	require.Equal(t, 404, cancel(hookstest.Student, "nosuchpurchase1").Status)
	res = cancel(hookstest.Student, id)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "cancelled", res.JSON()["status"])
	require.Equal(t, "failed", status(t, s, "payments", pay))
	res = cancel(hookstest.Student, id)
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"status":{"code":"bad_state"`)
	paid := s.buy(t, hookstest.Student)
	require.Equal(t, 400, cancel(hookstest.Admin, paid.Id).Status, "a paid purchase is refunded, not cancelled")
}

// Staff's record of a desk payment is checked before anything is written.
func TestMarkPaidBadRequests(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	res := hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"package": s.pkg})
	require.Equal(t, 200, res.Status, string(res.Body))
	url := "/api/purchases/" + res.JSON()["purchase"].(map[string]any)["id"].(string) + "/mark-paid"
	pay := res.JSON()["payment"].(map[string]any)["id"].(string)

	res = rawPost(t, s, url, hookstest.Admin, []byte(`{"method": cash}`))
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "Il corpo deve essere JSON") // the cast speaks the school's language (Italian)
	res = hookstest.Call(t, s.srv, http.MethodPost, url, cast.Tokens[hookstest.Admin], map[string]any{"method": "cash", "reference": strings.Repeat("x", 201)})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"reference":{"code":"validation_max_text_constraint"`)
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/nosuchpurchase1/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"})
	require.Equal(t, 404, res.Status)
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/nosuchbooking12/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"})
	require.Equal(t, 404, res.Status)
	require.Equal(t, "pending", status(t, s, "payments", pay), "nothing was recorded")
}

// A package's currency is an ISO code, by default the tutor's, else the
// school's.
func TestPackageCurrency(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	create := func(fields map[string]any) hookstest.Response {
		body := map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "title": "Two lessons", "lessons": 2, "minutes": 60,
			"price": 8000, "status": "published", "valid_days": 30}
		for k, v := range fields {
			body[k] = v
		}
		return hookstest.Call(t, s.srv, http.MethodPost, "/api/collections/packages/records", cast.Tokens[hookstest.Tutor2], body)
	}
	res := create(map[string]any{"currency": "XYZ"})
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"currency":{"code":"invalid_currency"`)

	setSchool(t, s.app, map[string]any{"currency": "CHF"})
	setTutorFields(t, s.app, hookstest.Tutor2, map[string]any{"currency": ""})
	res = create(nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "CHF", res.JSON()["currency"], "a tutor without a currency sells in the school's")
}

// An invoice names the guardian who pays for a student, and a PDF a crash
// left unrendered is rendered by the job.
func TestInvoiceBuyerAndMissingPDFs(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	profile, err := s.app.FindRecordById("students", cast.IDs["student_profile"])
	require.NoError(t, err)
	profile.Set("guardian_name", "Maria Student")
	profile.Set("guardian_email", "maria@test.localhost")
	require.NoError(t, s.app.Save(profile))

	p := s.buy(t, hookstest.Student)
	pay, err := s.app.FindFirstRecordByData("payments", "purchase", p.Id)
	require.NoError(t, err)
	inv, err := s.app.FindRecordById("invoices", pay.GetString("invoice"))
	require.NoError(t, err)
	var buyer map[string]any
	require.NoError(t, inv.UnmarshalJSONField("buyer", &buyer))
	require.Equal(t, "Maria Student (for Stella Student)", buyer["Name"])
	require.Equal(t, "maria@test.localhost", buyer["Email"])

	// the process stopped between the invoice's commit and its PDF
	_, err = s.app.DB().NewQuery("UPDATE invoices SET pdf = '' WHERE id = {:id}").Bind(dbx.Params{"id": inv.Id}).Execute()
	require.NoError(t, err)
	jobs := hookstest.ServicesOf(s.app).Payments
	require.NoError(t, jobs.RenderMissingPDFs(s.app, time.Now()))
	inv, err = s.app.FindRecordById("invoices", inv.Id)
	require.NoError(t, err)
	require.Empty(t, inv.GetString("pdf"), "under a minute old: its own request may still render it")
	require.NoError(t, jobs.RenderMissingPDFs(s.app, time.Now().Add(2*time.Minute)))
	inv, err = s.app.FindRecordById("invoices", inv.Id)
	require.NoError(t, err)
	require.NotEmpty(t, inv.GetString("pdf"))
	res := hookstest.Call(t, s.srv, http.MethodGet, "/api/invoices/"+inv.Id+"/pdf", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status)
	require.Equal(t, "%PDF-", string(res.Body[:5]))
	text, _ := debtools.PDFText(t, res.Body)
	require.Contains(t, text, "Maria Student")
}

// Stripe Checkout for a lesson: a second request reuses the open session;
// an expired one leaves the lesson booked and payable again; an outage is
// a 502 that writes no session.
func TestLessonCheckoutWithStripe(t *testing.T) {
	t.Parallel()
	s, stripeFront, _ := flakyShop(t)
	start, end := romeSlot(5, 11, 0, 60)
	res := hookstest.Call(t, s.srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
	require.Equal(t, 200, res.Status, string(res.Body))
	lesson := res.JSON()["id"].(string)
	pay := func() hookstest.Response {
		return hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"booking": lesson})
	}

	first := pay()
	require.Equal(t, 200, first.Status, string(first.Body))
	second := pay()
	require.Equal(t, 200, second.Status)
	require.Equal(t, first.JSON()["url"], second.JSON()["url"], "the open session is reused")
	payment := first.JSON()["payment"].(map[string]any)["id"].(string)
	require.Equal(t, payment, second.JSON()["payment"].(map[string]any)["id"])

	code, body := deliver(t, s.srv, event("evt_lesson_exp", "checkout.session.expired", sessionObj(lesson, payment, "unpaid")), time.Now(), webhookSecret)
	require.Equal(t, 200, code, body)
	require.Equal(t, "failed", status(t, s, "payments", payment))
	b, err := s.app.FindRecordById("bookings", lesson)
	require.NoError(t, err)
	require.Equal(t, "unpaid", b.GetString("payment_status"))
	require.NotEqual(t, "cancelled", b.GetString("status"), "the lesson stays booked")

	stripeFront.set("down")
	res = pay()
	require.Equal(t, http.StatusBadGateway, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), "Il servizio di pagamento non risponde") // the cast speaks the school's language (Italian)
	stripeFront.set("up")
	third := pay()
	require.Equal(t, 200, third.Status, string(third.Body))
	require.NotEqual(t, payment, third.JSON()["payment"].(map[string]any)["id"], "a new payment for the new try")
	require.Contains(t, third.JSON()["url"], "https://checkout.stripe.com/")
}

// The webhook refuses what it cannot trust and acknowledges what is not
// Tutorbase's, changing nothing.
func TestWebhookEdges(t *testing.T) {
	t.Parallel()
	s, _, payment := flakyShop(t)
	events := func() int64 { return countWhere(t, s.app, "stripe_events", nil) }
	before := events()

	res := rawPost(t, s, "/api/stripe/webhook", hookstest.Visitor, bytes.Repeat([]byte("x"), 1<<20+1))
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "Unreadable event.")
	old := []byte(strings.Replace(string(event("evt_old_version", "checkout.session.completed", sessionObj("x", payment, "paid"))),
		`"api_version":"`+stripe.APIVersion+`"`, `"api_version":"2019-02-19"`, 1))
	code, body := deliver(t, s.srv, old, time.Now(), webhookSecret)
	require.Equal(t, 400, code)
	require.Contains(t, body, "Unsupported API version.")
	require.Equal(t, before, events(), "an event refused is not recorded: Stripe retries it once the endpoint is pinned")

	code, body = deliver(t, s.srv, event("evt_not_ours", "checkout.session.completed", sessionObj("nopurchase", "nopayment00000x", "paid")), time.Now(), webhookSecret)
	require.Equal(t, 200, code, body)
	charge := map[string]any{"id": "ch_other", "object": "charge", "payment_intent": "pi_other_account", "amount": 5000, "amount_refunded": 5000, "refunded": true}
	code, body = deliver(t, s.srv, event("evt_ch_other", "charge.refunded", charge), time.Now(), webhookSecret)
	require.Equal(t, 200, code, body)
	require.Zero(t, countWhere(t, s.app, "refunds", nil), "another account's refund is not ours")

	// Stripe also says async_payment_succeeded for a payment already paid
	pay, err := s.app.FindRecordById("payments", payment)
	require.NoError(t, err)
	code, body = deliver(t, s.srv, event("evt_async_late", "checkout.session.async_payment_succeeded", sessionObj(pay.GetString("purchase"), payment, "paid")), time.Now(), webhookSecret)
	require.Equal(t, 200, code, body)
	require.EqualValues(t, 1, countWhere(t, s.app, "invoices", dbx.HashExp{"payment": payment, "kind": "invoice"}), "paid once")
	require.EqualValues(t, 1, countWhere(t, s.app, "credit_ledger", dbx.HashExp{"purchase": pay.GetString("purchase"), "kind": "bought"}))
}
