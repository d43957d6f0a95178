package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
	"tutorbase/jobs"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// newCoupon has an admin create a coupon through the records API.
func newCoupon(t *testing.T, s *shop, fields map[string]any) string {
	t.Helper()
	body := map[string]any{"active": true}
	for k, v := range fields {
		body[k] = v
	}
	res := hookstest.Call(t, s.srv, http.MethodPost, "/api/collections/coupons/records", cast.Tokens[hookstest.Admin], body)
	require.Equal(t, 200, res.Status, string(res.Body))
	return res.JSON()["id"].(string)
}

func checkoutWith(t *testing.T, s *shop, role string, body map[string]any) hookstest.Response {
	t.Helper()
	return hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[role], body)
}

func invoiceOf(t *testing.T, app core.App, payment string) ([]billing.Line, *core.Record) {
	t.Helper()
	inv, err := app.FindFirstRecordByData("invoices", "payment", payment)
	require.NoError(t, err)
	var lines []billing.Line
	require.NoError(t, platform.DecodeJSON(inv.Get("lines"), &lines))
	return lines, inv
}

// Staff write coupons whose terms hang together; the code is kept in
// upper case, so a student may type it in any case.
func TestCouponTerms(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	call := func(body map[string]any) hookstest.Response {
		return hookstest.Call(t, s.srv, http.MethodPost, "/api/collections/coupons/records", cast.Tokens[hookstest.Admin], body)
	}
	res := call(map[string]any{"code": "BOTH", "percent": 10, "amount_off": 500, "currency": "EUR"})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"percent":{"code":"percent_or_amount"`)
	res = call(map[string]any{"code": "NONE"})
	require.Contains(t, string(res.Body), `"percent":{"code":"percent_or_amount"`)
	res = call(map[string]any{"code": "NOCUR", "amount_off": 500})
	require.Contains(t, string(res.Body), `"currency":{"code":"validation_required"`)
	now := cast.Now()
	res = call(map[string]any{"code": "BACKWARDS", "percent": 5, "valid_from": now, "valid_until": now.Add(-time.Hour)})
	require.Contains(t, string(res.Body), `"valid_until":{"code":"bad_window"`)
	res = call(map[string]any{"code": "no spaces", "percent": 5})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"code":{"code":"validation_invalid_format"`)
	require.EqualValues(t, 1, countWhere(t, s.app, "coupons", nil), "only the fixture's")

	id := newCoupon(t, s, map[string]any{"code": " spring-5 ", "percent": 5})
	c, err := s.app.FindRecordById("coupons", id)
	require.NoError(t, err)
	require.Equal(t, "SPRING-5", c.GetString("code"))
	res = call(map[string]any{"code": "Spring-5", "percent": 5})
	require.Equal(t, 400, res.Status, "one code, one coupon")
}

// A promotion code takes its discount off the payment, shows on the
// invoice as a line of its own, and counts as used once paid; a checkout
// dropped gives the use back.
func TestCouponAtCheckout(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	newCoupon(t, s, map[string]any{"code": "SPRING", "percent": 10, "max_uses": 2, "kinds": []string{"package"}})

	res := checkoutWith(t, s, hookstest.Student2, map[string]any{"package": s.pkg, "code": "spring "})
	require.Equal(t, 200, res.Status, string(res.Body))
	out := res.JSON()
	require.Equal(t, map[string]any{"code": "SPRING", "amount": float64(1800)}, out["discount"]) // 10% of 180.00
	require.EqualValues(t, 16200, out["payment"].(map[string]any)["amount"])
	require.EqualValues(t, 16200, out["purchase"].(map[string]any)["amount"])
	purchase, payment := out["purchase"].(map[string]any)["id"].(string), out["payment"].(map[string]any)["id"].(string)
	red, err := s.app.FindFirstRecordByData("coupon_redemptions", "payment", payment)
	require.NoError(t, err)
	require.Equal(t, "held", red.GetString("status"))

	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/"+purchase+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"})
	require.Equal(t, 200, res.Status, string(res.Body))
	red, err = s.app.FindRecordById("coupon_redemptions", red.Id)
	require.NoError(t, err)
	require.Equal(t, "redeemed", red.GetString("status"))
	lines, inv := invoiceOf(t, s.app, payment)
	require.Len(t, lines, 2)
	require.EqualValues(t, 18000, lines[0].Amount)
	require.Equal(t, "Promotion code SPRING", lines[1].Description)
	require.EqualValues(t, -1800, lines[1].Amount)
	require.Equal(t, 16200, inv.GetInt("total"))

	t.Run("a refund gives back the share of what was paid", func(t *testing.T) {
		res := s.book(t, hookstest.Student2, purchase, 3, 10)
		require.Equal(t, 200, res.Status, string(res.Body))
		res = hookstest.Call(t, s.srv, http.MethodPost, "/api/payments/"+payment+"/refund", cast.Tokens[hookstest.Admin], map[string]any{"reason": "moving away"})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.EqualValues(t, 12150, res.JSON()["amount"], "three unused credits of four: 3/4 of 162.00, not of the price before the code")
	})

	t.Run("a dropped checkout gives its use back", func(t *testing.T) {
		res := checkoutWith(t, s, hookstest.Student2, map[string]any{"package": s.pkg, "code": "SPRING"})
		require.Equal(t, 200, res.Status, string(res.Body))
		res = checkoutWith(t, s, hookstest.Student2, map[string]any{"package": s.pkg, "code": "SPRING"})
		require.Equal(t, 400, res.Status, "two uses: one paid, one held")
		require.Contains(t, string(res.Body), "Questo codice è esaurito.") // the cast speaks Italian
		first := checkoutWith(t, s, hookstest.Student2, map[string]any{"package": s.pkg})
		require.Equal(t, 200, first.Status)
		held, err := s.app.FindFirstRecordByFilter("coupon_redemptions", "status = 'held'")
		require.NoError(t, err)
		res = hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/"+held.GetString("purchase")+"/cancel", cast.Tokens[hookstest.Student2], nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		held, err = s.app.FindRecordById("coupon_redemptions", held.Id)
		require.NoError(t, err)
		require.Equal(t, "released", held.GetString("status"))
		res = checkoutWith(t, s, hookstest.Student2, map[string]any{"package": s.pkg, "code": "SPRING"})
		require.Equal(t, 200, res.Status, string(res.Body))
	})
}

// Every term of a coupon is checked at checkout, and a refused code
// writes nothing: no purchase, no payment, no redemption.
func TestCouponRefusals(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	now := cast.Now()
	newCoupon(t, s, map[string]any{"code": "LATER", "percent": 10, "valid_from": now.Add(24 * time.Hour)})
	newCoupon(t, s, map[string]any{"code": "GONE", "percent": 10, "valid_until": now.Add(-time.Minute), "valid_from": now.Add(-48 * time.Hour)})
	newCoupon(t, s, map[string]any{"code": "LESSONS", "percent": 10, "kinds": []string{"lesson"}})
	newCoupon(t, s, map[string]any{"code": "TINA", "percent": 10, "tutors": []string{cast.Tutors[hookstest.Tutor]}})
	newCoupon(t, s, map[string]any{"code": "NEWCOMER", "percent": 10, "first_purchase_only": true})
	newCoupon(t, s, map[string]any{"code": "DOLLARS", "amount_off": 500, "currency": "USD"})
	newCoupon(t, s, map[string]any{"code": "FREE", "amount_off": 18000, "currency": "EUR"})
	newCoupon(t, s, map[string]any{"code": "OFF", "percent": 10, "active": false})
	newCoupon(t, s, map[string]any{"code": "GIVEN", "percent": 10, "people": []string{cast.Users[hookstest.Student2]}})
	once := newCoupon(t, s, map[string]any{"code": "ONCE", "amount_off": 1000, "currency": "EUR", "max_per_person": 1})
	counts := func() [3]int64 {
		return [3]int64{countWhere(t, s.app, "purchases", nil), countWhere(t, s.app, "payments", nil), countWhere(t, s.app, "coupon_redemptions", nil)}
	}
	before := counts()
	for code, want := range map[string]string{
		"NOSUCH":   `"code":{"code":"coupon_unknown","message":"Questo codice non è valido."`,
		"OFF":      `"code":{"code":"coupon_unknown"`,
		"LATER":    `"code":{"code":"coupon_not_yet","message":"Questo codice non è ancora valido."`,
		"GONE":     `"code":{"code":"coupon_expired","message":"Questo codice è scaduto."`,
		"LESSONS":  `"code":{"code":"coupon_not_here","message":"Questo codice non vale per questo acquisto."`,
		"TINA":     `"code":{"code":"coupon_not_here"`,
		"NEWCOMER": `"code":{"code":"coupon_first_only","message":"Questo codice vale solo per il primo acquisto."`, // the fixture's package was paid
		"DOLLARS":  `"code":{"code":"coupon_not_here","message":"Questo codice è in un'altra valuta."`,
		"FREE":     `"code":{"code":"coupon_not_here","message":"Questo codice vale l'intero prezzo: chiedi alla scuola."`,
		"GIVEN":    `"code":{"code":"coupon_not_yours","message":"Questo codice è stato dato a un'altra persona."`,
	} {
		res := checkoutWith(t, s, hookstest.Student, map[string]any{"package": s.pkg, "code": code})
		require.Equal(t, 400, res.Status, code)
		require.Contains(t, string(res.Body), want, code)
	}
	require.Equal(t, before, counts(), "nothing written")

	res := checkoutWith(t, s, hookstest.Student2, map[string]any{"package": s.pkg, "code": "NEWCOMER"})
	require.Equal(t, 200, res.Status, "a first purchase: "+string(res.Body))
	res = checkoutWith(t, s, hookstest.Student, map[string]any{"package": s.pkg, "code": "once"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.EqualValues(t, 17000, res.JSON()["payment"].(map[string]any)["amount"])
	res = checkoutWith(t, s, hookstest.Student, map[string]any{"package": s.pkg, "code": "ONCE"})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "Hai già usato questo codice.")
	res = checkoutWith(t, s, hookstest.Student2, map[string]any{"package": s.pkg, "code": "ONCE"})
	require.Equal(t, 200, res.Status, "another person: "+string(res.Body))
	require.EqualValues(t, 2, countWhere(t, s.app, "coupon_redemptions", dbx.HashExp{"coupon": once}))
	res = checkoutWith(t, s, hookstest.Student2, map[string]any{"package": s.pkg, "code": "GIVEN"})
	require.Equal(t, 200, res.Status, "the person it was given to: "+string(res.Body))
}

// A code for lessons is used on an unpaid lesson's payment; a payment
// whose checkout has started takes no code any more.
func TestCouponOnALesson(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	newCoupon(t, s, map[string]any{"code": "LESSON5", "amount_off": 500, "currency": "EUR", "kinds": []string{"lesson"}})
	newCoupon(t, s, map[string]any{"code": "OTHER", "amount_off": 300, "currency": "EUR"})
	b, err := s.app.FindRecordById("bookings", cast.IDs["booking"])
	require.NoError(t, err)
	b.Set("payment_status", "unpaid")
	require.NoError(t, s.app.Save(b))
	res := checkoutWith(t, s, hookstest.Student, map[string]any{"booking": b.Id, "code": "LESSON5"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.EqualValues(t, 3500, res.JSON()["payment"].(map[string]any)["amount"])
	payment := res.JSON()["payment"].(map[string]any)["id"].(string)
	res = checkoutWith(t, s, hookstest.Student, map[string]any{"booking": b.Id, "code": "LESSON5"})
	require.Equal(t, 200, res.Status, "the same code again: the same payment")
	require.EqualValues(t, 3500, res.JSON()["payment"].(map[string]any)["amount"], "not discounted twice")
	res = checkoutWith(t, s, hookstest.Student, map[string]any{"booking": b.Id, "code": "OTHER"})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"code":{"code":"coupon_taken"`)
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+b.Id+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "transfer"})
	require.Equal(t, 200, res.Status, string(res.Body))
	lines, inv := invoiceOf(t, s.app, payment)
	require.Len(t, lines, 2)
	require.EqualValues(t, []int64{4000, -500}, []int64{lines[0].Amount, lines[1].Amount})
	require.Equal(t, 3500, inv.GetInt("total"))
}

// Twenty checkouts at once with a code of ten uses: exactly ten get the
// discount, the other ten are refused and write nothing.
func TestCouponLimitUnderConcurrency(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	id := newCoupon(t, s, map[string]any{"code": "TEN", "percent": 20, "max_uses": 10})
	purchases := countWhere(t, s.app, "purchases", nil)
	rs := hookstest.Fire(t, s.srv, 20, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student2], map[string]any{"package": s.pkg, "code": "TEN"})
	require.Equal(t, map[int]int{200: 10, 400: 10}, hookstest.Statuses(rs))
	for _, r := range rs {
		if r.Status == 400 {
			require.Contains(t, string(r.Body), `"code":{"code":"coupon_used_up"`)
		}
	}
	require.EqualValues(t, 10, countWhere(t, s.app, "coupon_redemptions", dbx.HashExp{"coupon": id, "status": "held"}))
	require.EqualValues(t, purchases+10, countWhere(t, s.app, "purchases", nil))
	require.EqualValues(t, 10, countWhere(t, s.app, "payments", dbx.HashExp{"amount": 14400, "status": "pending"}))
}

// In Stripe mode the Checkout charges the discounted amount; the paid
// event (delivered twice) redeems the code once and invoices the discount;
// an expiry arriving after the payment gives nothing back, and an expired
// checkout that was never paid releases its use.
func TestCouponWithStripe(t *testing.T) {
	t.Parallel()
	s := stripeShop(t)
	newCoupon(t, s, map[string]any{"code": "CARD", "amount_off": 2000, "currency": "EUR", "max_uses": 1})
	res := checkoutWith(t, s, hookstest.Student, map[string]any{"package": s.pkg, "code": "CARD"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Contains(t, res.JSON()["url"], "https://checkout.stripe.com/")
	purchase, payment := res.JSON()["purchase"].(map[string]any)["id"].(string), res.JSON()["payment"].(map[string]any)["id"].(string)
	pay, err := s.app.FindRecordById("payments", payment)
	require.NoError(t, err)
	require.Equal(t, 16000, pay.GetInt("amount"))
	require.NotEmpty(t, pay.GetString("checkout_session"))

	res = checkoutWith(t, s, hookstest.Student, map[string]any{"package": s.pkg, "code": "CARD"})
	require.Equal(t, 400, res.Status, "held by the open checkout")

	obj := sessionObj(purchase, payment, "paid")
	obj["amount_total"] = 16000
	paid := event("evt_coupon_paid", "checkout.session.completed", obj)
	for range 2 {
		code, body := deliver(t, s.srv, paid, time.Now(), webhookSecret)
		require.Equal(t, 200, code, body)
	}
	code, _ := deliver(t, s.srv, event("evt_coupon_late_expiry", "checkout.session.expired", sessionObj(purchase, payment, "unpaid")), time.Now(), webhookSecret)
	require.Equal(t, 200, code)
	require.Equal(t, "paid", status(t, s, "payments", payment))
	require.EqualValues(t, 1, countWhere(t, s.app, "coupon_redemptions", dbx.HashExp{"payment": payment, "status": "redeemed"}))
	require.EqualValues(t, 1, countWhere(t, s.app, "invoices", dbx.HashExp{"payment": payment}))
	lines, inv := invoiceOf(t, s.app, payment)
	require.EqualValues(t, []int64{18000, -2000}, []int64{lines[0].Amount, lines[1].Amount})
	require.Equal(t, 16000, inv.GetInt("total"))

	t.Run("an expired checkout gives its use back", func(t *testing.T) {
		newCoupon(t, s, map[string]any{"code": "ONEOFF", "percent": 5, "max_uses": 1})
		res := checkoutWith(t, s, hookstest.Student, map[string]any{"package": s.pkg, "code": "ONEOFF"})
		require.Equal(t, 200, res.Status, string(res.Body))
		purchase, payment := res.JSON()["purchase"].(map[string]any)["id"].(string), res.JSON()["payment"].(map[string]any)["id"].(string)
		expired := event("evt_coupon_expired", "checkout.session.expired", sessionObj(purchase, payment, "unpaid"))
		for range 2 {
			code, _ := deliver(t, s.srv, expired, time.Now(), webhookSecret)
			require.Equal(t, 200, code)
		}
		require.EqualValues(t, 1, countWhere(t, s.app, "coupon_redemptions", dbx.HashExp{"payment": payment, "status": "released"}))
		res = checkoutWith(t, s, hookstest.Student2, map[string]any{"package": s.pkg, "code": "ONEOFF"})
		require.Equal(t, 200, res.Status, string(res.Body))
	})
}

// A checkout left unpaid holds its use until the daily job drops the
// purchase a week on; then the use is given back.
func TestCouponReleasedWhenUnpaidExpires(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	newCoupon(t, s, map[string]any{"code": "WEEK", "percent": 10, "max_uses": 1})
	res := checkoutWith(t, s, hookstest.Student2, map[string]any{"package": s.pkg, "code": "WEEK"})
	require.Equal(t, 200, res.Status, string(res.Body))
	payment := res.JSON()["payment"].(map[string]any)["id"].(string)
	svc := hookstest.ServicesOf(s.app)
	require.NoError(t, jobs.ExpireUnpaid(svc, s.app, cast.Now()))
	require.EqualValues(t, 1, countWhere(t, s.app, "coupon_redemptions", dbx.HashExp{"payment": payment, "status": "held"}), "a day on: still held")
	require.NoError(t, jobs.ExpireUnpaid(svc, s.app, cast.Now().Add(8*24*time.Hour)))
	require.EqualValues(t, 1, countWhere(t, s.app, "coupon_redemptions", dbx.HashExp{"payment": payment, "status": "released"}))
	res = checkoutWith(t, s, hookstest.Student, map[string]any{"package": s.pkg, "code": "WEEK"})
	require.Equal(t, 200, res.Status, string(res.Body))
}
