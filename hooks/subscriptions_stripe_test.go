package hooks_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v76"
)

// eventAt is a Stripe event created at created.
func eventAt(id, typ string, created time.Time, obj map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": stripe.APIVersion, "created": created.Unix(), "type": typ,
		"data": map[string]any{"object": obj}, "livemode": false, "pending_webhooks": 1,
	})
	return b
}

// invoiceObj is a subscription's invoice for the period [start, end).
func invoiceObj(id, sub string, start, end time.Time, amount int) map[string]any {
	return map[string]any{
		"id": id, "object": "invoice", "subscription": "sub_tb_1", "customer": "cus_tb_1", "amount_paid": amount, "currency": "eur",
		"payment_intent": "pi_" + id, "billing_reason": "subscription_cycle",
		"subscription_details": map[string]any{"metadata": map[string]any{"subscription": sub}},
		"lines": map[string]any{"object": "list", "data": []any{map[string]any{"id": "il_" + id, "object": "line_item",
			"period": map[string]any{"start": start.Unix(), "end": end.Unix()}}}},
	}
}

func subObj(cancelAtEnd bool, status string) map[string]any {
	return map[string]any{"id": "sub_tb_1", "object": "subscription", "customer": "cus_tb_1", "status": status,
		"cancel_at_period_end": cancelAtEnd, "metadata": map[string]any{"subscription": ""}}
}

// In Stripe mode: the subscription's Checkout, then its events, each
// delivered twice and some out of order, applied exactly once; a failed
// payment tells the payer once and pauses bookings after the grace
// period; the next paid invoice resumes them; cancel, plan change and the
// card portal go through Stripe (stripe-mock); a cancellation is final.
func TestSubscriptionWithStripe(t *testing.T) {
	t.Parallel()
	s := stripeShop(t)
	plan := hookstest.Call(t, s.srv, http.MethodPost, "/api/collections/plans/records", cast.Tokens[hookstest.Admin], map[string]any{
		"title": "Weekly pair", "credits": 2, "minutes": 60, "price": 7000, "currency": "EUR", "interval": "week", "rollover_max": 1, "active": true,
	}) // no grace: a failed payment pauses bookings at once
	require.Equal(t, 200, plan.Status, string(plan.Body))
	res := subscribe(t, s, hookstest.Student, plan.JSON()["id"].(string))
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Contains(t, res.JSON()["url"], "https://checkout.stripe.com/")
	sub := res.JSON()["subscription"].(map[string]any)["id"].(string)
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/subscriptions/"+sub+"/portal", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 400, res.Status, "no card before the checkout")

	send := func(payload []byte) {
		t.Helper()
		for range 2 {
			code, body := deliver(t, s.srv, payload, time.Now(), webhookSecret)
			require.Equal(t, 200, code, body)
		}
	}
	now := time.Now().UTC().Truncate(time.Second)
	start, end := now.Add(-time.Hour), now.Add(7*24*time.Hour-time.Hour)

	// the invoice arrives before the checkout's completion
	send(eventAt("evt_inv_1", "invoice.paid", now, invoiceObj("in_1", sub, start, end, 7000)))
	send(eventAt("evt_inv_1_again", "invoice.paid", now, invoiceObj("in_1", sub, start, end, 7000))) // another event, the same invoice
	send(eventAt("evt_cs_1", "checkout.session.completed", now, map[string]any{"id": "cs_sub_1", "object": "checkout.session", "mode": "subscription",
		"subscription": "sub_tb_1", "customer": "cus_tb_1", "payment_status": "paid", "metadata": map[string]any{"kind": "subscription", "subscription": sub}}))
	send(eventAt("evt_fail_1", "invoice.payment_failed", now, invoiceObj("in_1", sub, start, end, 0))) // a failure of that period, late
	periods := periodsOf(t, s.app, sub)
	require.Len(t, periods, 1, "one period")
	require.Equal(t, 2, periods[0].GetInt("credits_total"))
	pay, err := s.app.FindFirstRecordByData("payments", "purchase", periods[0].Id)
	require.NoError(t, err)
	require.Equal(t, "pi_in_1", pay.GetString("provider_id"))
	require.EqualValues(t, 1, countWhere(t, s.app, "invoices", dbx.HashExp{"payment": pay.Id}))
	got := reloaded(t, s.app, "subscriptions", sub)
	require.Equal(t, "active", got.GetString("status"))
	require.Equal(t, "sub_tb_1", got.GetString("provider_ref"))
	require.Equal(t, "cus_tb_1", got.GetString("customer"))

	// the next period's payment fails: the payer is told once, bookings pause
	next, after := end, end.Add(7*24*time.Hour)
	send(eventAt("evt_fail_2", "invoice.payment_failed", now, invoiceObj("in_2", sub, next, after, 0)))
	send(eventAt("evt_fail_2_retry", "invoice.payment_failed", now, invoiceObj("in_2", sub, next, after, 0)))
	require.Equal(t, "past_due", reloaded(t, s.app, "subscriptions", sub).GetString("status"))
	require.EqualValues(t, 1, countWhere(t, s.app, "notifications", dbx.HashExp{"user": cast.Users[hookstest.Student], "kind": "subscription_failed"}))
	res = s.book(t, hookstest.Student, periods[0].Id, 3, 11)
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "aggiorna la carta")

	// Stripe's retry succeeds: bookings resume; the first period's 2 unused credits roll over up to 1
	send(eventAt("evt_inv_2", "invoice.paid", now, invoiceObj("in_2", sub, next, after, 7000)))
	require.Equal(t, "active", reloaded(t, s.app, "subscriptions", sub).GetString("status"))
	require.Len(t, periodsOf(t, s.app, sub), 2)
	require.Equal(t, 1, credLeft(t, s.app, periods[0].Id))
	res = s.book(t, hookstest.Student, periods[0].Id, 3, 11)
	require.Equal(t, 200, res.Status, string(res.Body))

	t.Run("the card portal, cancel and plan change go through Stripe", func(t *testing.T) {
		rs := hookstest.Fire(t, s.srv, 8, http.MethodPost, "/api/subscriptions/"+sub+"/portal", cast.Tokens[hookstest.Student], nil)
		require.Equal(t, map[int]int{200: 8}, hookstest.Statuses(rs), string(rs[0].Body))
		require.NotEmpty(t, rs[0].JSON()["url"])
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/subscriptions/"+sub+"/plan", cast.Tokens[hookstest.Student], map[string]any{"plan": cast.IDs["plan"]})
		require.Equal(t, 400, res.Status, "a monthly plan for a weekly subscription")
		require.Contains(t, string(res.Body), `"code":"other_interval"`)
		weekly := hookstest.Call(t, s.srv, http.MethodPost, "/api/collections/plans/records", cast.Tokens[hookstest.Admin], map[string]any{
			"title": "Weekly three", "credits": 3, "minutes": 60, "price": 9900, "currency": "EUR", "interval": "week", "active": true,
		}).JSON()["id"].(string)
		rs = hookstest.Fire(t, s.srv, 8, http.MethodPost, "/api/subscriptions/"+sub+"/plan", cast.Tokens[hookstest.Student], map[string]any{"plan": weekly})
		require.Equal(t, map[int]int{200: 1, 400: 7}, hookstest.Statuses(rs), string(rs[0].Body))
		require.Equal(t, weekly, reloaded(t, s.app, "subscriptions", sub).GetString("next_plan"))
		rs = hookstest.Fire(t, s.srv, 8, http.MethodPost, "/api/subscriptions/"+sub+"/cancel", cast.Tokens[hookstest.Student], nil)
		require.Equal(t, map[int]int{200: 1, 400: 7}, hookstest.Statuses(rs), string(rs[0].Body))
		require.True(t, reloaded(t, s.app, "subscriptions", sub).GetBool("cancel_at_period_end"))
	})

	t.Run("updates apply newest first; a cancellation is final", func(t *testing.T) {
		send(eventAt("evt_upd_new", "customer.subscription.updated", now.Add(time.Minute), subObj(true, "active")))
		send(eventAt("evt_upd_old", "customer.subscription.updated", now.Add(-time.Minute), subObj(false, "active")))
		require.True(t, reloaded(t, s.app, "subscriptions", sub).GetBool("cancel_at_period_end"), "an older update changes nothing")
		send(eventAt("evt_del", "customer.subscription.deleted", now.Add(2*time.Minute), subObj(true, "canceled")))
		send(eventAt("evt_upd_late", "customer.subscription.updated", now.Add(3*time.Minute), subObj(false, "active")))
		require.Equal(t, "cancelled", reloaded(t, s.app, "subscriptions", sub).GetString("status"))
		require.Len(t, periodsOf(t, s.app, sub), 2, "the credits paid stay")
	})
}
