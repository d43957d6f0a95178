package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// TestSubscriptionRefusals (manual mode): bad bodies, a plan in another
// currency or the same plan again, a second subscription, a renewal with
// an unknown method or of a provider's subscription, and another payer's
// subscription are 4xx refusals that change nothing; staff subscribe a
// named student (who pays), and an incomplete subscription cancels at
// once.
func TestSubscriptionRefusals(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	student := cast.Tokens[hookstest.Student]
	call := func(token, path string, body any) hookstest.Response {
		return hookstest.Call(t, s.srv, http.MethodPost, path, token, body)
	}
	res := call(student, "/api/subscriptions", "monthly")
	require.Equal(t, 400, res.Status, string(res.Body))
	refused(t, call(student, "/api/subscriptions", map[string]any{"plan": "nosuchplan0000"}), 400, "plan", "unavailable")
	require.Zero(t, countOf(t, s.app, "subscriptions", dbx.HashExp{"status": "incomplete"}), "nothing opened")

	res = subscribe(t, s, hookstest.Student, cast.IDs["plan"])
	require.Equal(t, 200, res.Status, string(res.Body))
	sub := res.JSON()["subscription"].(map[string]any)["id"].(string)
	other := hookstest.Call(t, s.srv, http.MethodPost, "/api/collections/plans/records", cast.Tokens[hookstest.Admin], map[string]any{
		"title": "Francs", "credits": 4, "minutes": 60, "price": 15000, "currency": "CHF", "interval": "month", "active": true,
	})
	require.Equal(t, 200, other.Status, string(other.Body))
	francs := other.JSON()["id"].(string)
	refused(t, call(student, "/api/subscriptions", map[string]any{"plan": francs}), 400, "plan", "already_subscribed")

	// staff renew the first period; the plan then changes only to a plan of its currency, and only to another plan
	renew := func(body any) hookstest.Response {
		return call(cast.Tokens[hookstest.Admin], "/api/subscriptions/"+sub+"/renew", body)
	}
	require.Equal(t, 400, renew("cash").Status)
	refused(t, renew(map[string]any{"method": "card", "after": ""}), 400, "method", "validation_invalid_value")
	require.Equal(t, 404, call(cast.Tokens[hookstest.Admin], "/api/subscriptions/nosuchsub00000/renew", map[string]any{"method": "cash"}).Status)
	require.Empty(t, periodsOf(t, s.app, sub), "no period recorded")
	require.Equal(t, 200, renew(renewBody(s.app, t, sub)).Status)
	require.Equal(t, 400, call(student, "/api/subscriptions/"+sub+"/plan", "x").Status)
	refused(t, call(student, "/api/subscriptions/"+sub+"/plan", map[string]any{"plan": francs}), 400, "plan", "other_currency")
	refused(t, call(student, "/api/subscriptions/"+sub+"/plan", map[string]any{"plan": cast.IDs["plan"]}), 400, "plan", "unchanged")
	refused(t, call(student, "/api/subscriptions/"+sub+"/plan", map[string]any{"plan": cast.IDs["hidden_plan"]}), 400, "plan", "unavailable")
	require.Equal(t, 404, call(cast.Tokens[hookstest.Student2], "/api/subscriptions/"+sub+"/cancel", nil).Status, "another payer's")
	require.Equal(t, 404, call(cast.Tokens[hookstest.Student2], "/api/subscriptions/"+sub+"/portal", nil).Status, "another payer's")
	got := reloaded(t, s.app, "subscriptions", sub)
	require.Empty(t, got.GetString("next_plan"))
	require.False(t, got.GetBool("cancel_at_period_end"))

	// a subscription the provider renews is not renewed by hand
	got.Set("provider", "stripe")
	require.NoError(t, s.app.Save(got))
	refused(t, renew(renewBody(s.app, t, sub)), 400, "status", "bad_state")
	require.Len(t, periodsOf(t, s.app, sub), 1)

	// staff subscribe the second student, who is the payer; with nothing paid it cancels at once
	res = call(cast.Tokens[hookstest.Admin], "/api/subscriptions", map[string]any{"plan": cast.IDs["plan"], "student": cast.Users[hookstest.Student2]})
	require.Equal(t, 200, res.Status, string(res.Body))
	theirs := res.JSON()["subscription"].(map[string]any)
	require.Equal(t, cast.Users[hookstest.Student2], theirs["user"], "the student pays")
	require.Equal(t, cast.Users[hookstest.Student2], theirs["student"])
	res = call(cast.Tokens[hookstest.Student2], "/api/subscriptions/"+theirs["id"].(string)+"/cancel", nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "cancelled", res.JSON()["status"], "nothing paid: ended at once")
	refused(t, call(cast.Tokens[hookstest.Student2], "/api/subscriptions/"+theirs["id"].(string)+"/cancel", nil), 400, "status", "bad_state")
	refused(t, call(cast.Tokens[hookstest.Admin], "/api/subscriptions/"+theirs["id"].(string)+"/plan", map[string]any{"plan": francs}), 400, "plan", "other_currency")
}

// TestSubscriptionWhileStripeIsDown: while the provider does not answer,
// subscribing, cancelling, changing the plan and opening the card portal
// answer 502 with a clear message and change nothing the provider was not
// told of; once it answers, a new click opens the same subscription's
// checkout.
func TestSubscriptionWhileStripeIsDown(t *testing.T) {
	t.Parallel()
	s, stripe, _ := flakyShop(t)
	down := "Il servizio di pagamento non risponde: riprova tra un minuto."
	stripe.set("down")
	res := subscribe(t, s, hookstest.Student, cast.IDs["plan"])
	require.Equal(t, http.StatusBadGateway, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), down)
	stripe.set("up")
	res = subscribe(t, s, hookstest.Student, cast.IDs["plan"])
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Contains(t, res.JSON()["url"], "https://checkout.stripe.com/")
	require.EqualValues(t, 1, countOf(t, s.app, "subscriptions", dbx.HashExp{"user": cast.Users[hookstest.Student], "status": "incomplete"}), "the same subscription")
	sub := res.JSON()["subscription"].(map[string]any)["id"].(string)
	res = subscribe(t, s, hookstest.Student, cast.IDs["plan"])
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, sub, res.JSON()["subscription"].(map[string]any)["id"])

	// as after the checkout's events: running at Stripe, with a card
	r := reloaded(t, s.app, "subscriptions", sub)
	r.Load(map[string]any{"status": "active", "provider_ref": "sub_tb_down", "customer": "cus_tb_down"})
	require.NoError(t, s.app.Save(r))
	other := hookstest.Call(t, s.srv, http.MethodPost, "/api/collections/plans/records", cast.Tokens[hookstest.Admin], map[string]any{
		"title": "Eight a month", "credits": 8, "minutes": 60, "price": 26000, "currency": "EUR", "interval": "month", "active": true,
	})
	require.Equal(t, 200, other.Status, string(other.Body))
	stripe.set("down")
	for _, c := range []struct {
		path string
		body any
	}{
		{"/cancel", nil}, {"/plan", map[string]any{"plan": other.JSON()["id"]}}, {"/portal", nil},
	} {
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/subscriptions/"+sub+c.path, cast.Tokens[hookstest.Student], c.body)
		require.Equal(t, http.StatusBadGateway, res.Status, "%s: %s", c.path, res.Body)
		require.Contains(t, string(res.Body), down, c.path)
	}
	got := reloaded(t, s.app, "subscriptions", sub)
	require.False(t, got.GetBool("cancel_at_period_end"), "not cancelled behind Stripe's back")
	require.Empty(t, got.GetString("next_plan"))
	stripe.set("up")
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/subscriptions/"+sub+"/cancel", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, true, res.JSON()["cancel_at_period_end"])
}

// TestSubscriptionEventsEdges (Stripe mode): an event of a subscription
// that is not the school's is acknowledged and changes nothing; an
// invoice paid with nothing records no period; an unconfirmed email
// subscribes to nothing; a subscription that is not running changes no
// plan; a school taking payments itself has no card portal.
func TestSubscriptionEventsEdges(t *testing.T) {
	t.Parallel()
	s := stripeShop(t)
	res := subscribe(t, s, hookstest.Student, cast.IDs["plan"])
	require.Equal(t, 200, res.Status, string(res.Body))
	sub := res.JSON()["subscription"].(map[string]any)["id"].(string)
	now := time.Now().UTC().Truncate(time.Second)
	start, end := now.Add(-time.Hour), now.AddDate(0, 1, 0)

	strangers := invoiceObj("in_other", "", start, end, 14000)
	strangers["subscription"] = "sub_not_ours"
	strangers["subscription_details"] = map[string]any{"metadata": map[string]any{}}
	code, body := deliver(t, s.srv, eventAt("evt_other", "invoice.paid", now, strangers), time.Now(), webhookSecret)
	require.Equal(t, 200, code, "acknowledged, so Stripe stops sending it: %s", body)
	require.Zero(t, countOf(t, s.app, "purchases", dbx.NewExp("subscription != ''")))

	code, body = deliver(t, s.srv, eventAt("evt_zero", "invoice.paid", now, invoiceObj("in_zero", sub, start, end, 0)), time.Now(), webhookSecret)
	require.Equal(t, 200, code, body)
	require.Empty(t, periodsOf(t, s.app, sub), "nothing paid: no period, no credits")
	got := reloaded(t, s.app, "subscriptions", sub)
	require.Equal(t, "sub_tb_1", got.GetString("provider_ref"), "the event still names the provider's subscription")
	require.Equal(t, "incomplete", got.GetString("status"))
	refused(t, hookstest.Call(t, s.srv, http.MethodPost, "/api/subscriptions/"+sub+"/plan", cast.Tokens[hookstest.Student], map[string]any{"plan": cast.IDs["plan"]}),
		400, "status", "bad_state")

	u := reloaded(t, s.app, "users", cast.Users[hookstest.Student2])
	u.SetVerified(false)
	require.NoError(t, s.app.Save(u))
	res = subscribe(t, s, hookstest.Student2, cast.IDs["plan"])
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), "email_unverified")
	require.Zero(t, countOf(t, s.app, "subscriptions", dbx.HashExp{"user": cast.Users[hookstest.Student2], "status": "incomplete"}))
}

// TestSubscriptionPortalByHand: in manual mode a subscription with a
// customer on file (made under Stripe before the school switched) has no
// card portal to open: a clear 400.
func TestSubscriptionPortalByHand(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	res := subscribe(t, s, hookstest.Student, cast.IDs["plan"])
	require.Equal(t, 200, res.Status, string(res.Body))
	sub := reloaded(t, s.app, "subscriptions", res.JSON()["subscription"].(map[string]any)["id"].(string))
	sub.Set("customer", "cus_from_before")
	require.NoError(t, s.app.Save(sub))
	refused(t, hookstest.Call(t, s.srv, http.MethodPost, "/api/subscriptions/"+sub.Id+"/portal", cast.Tokens[hookstest.Student], nil), 400, "subscription", "by_hand")
}
