package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/subscriptions"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// subscribe starts role's subscription to plan; it returns the answer.
func subscribe(t *testing.T, s *shop, role, plan string) hookstest.Response {
	t.Helper()
	return hookstest.Call(t, s.srv, http.MethodPost, "/api/subscriptions", cast.Tokens[role], map[string]any{"plan": plan})
}

// periodsOf lists a subscription's period purchases, oldest first.
func periodsOf(t *testing.T, app core.App, sub string) []*core.Record {
	t.Helper()
	rows, err := app.FindRecordsByFilter("purchases", "subscription = {:s}", "period_start", 0, 0, dbx.Params{"s": sub})
	require.NoError(t, err)
	return rows
}

func reloaded(t *testing.T, app core.App, collection, id string) *core.Record {
	t.Helper()
	r, err := app.FindRecordById(collection, id)
	require.NoError(t, err)
	return r
}

// renewBody is what the staff page sends: the period end it shows.
func renewBody(app core.App, t *testing.T, sub string) map[string]any {
	return map[string]any{"method": "transfer", "reference": "bonifico", "after": reloaded(t, app, "subscriptions", sub).GetString("current_period_end")}
}

// In manual mode: eight identical subscribe clicks make one subscription;
// eight renewals by staff of the same period make one period (a purchase
// of the plan's credits, its payment and invoice); a credit books a
// lesson; the next period caps the roll-over; a plan change applies from
// the next period; cancelling ends renewals; each action once under
// eight identical requests.
func TestSubscriptionByHand(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	plan := cast.IDs["plan"] // 4 credits of 60 minutes a month, €140, roll-over 2

	rs := hookstest.Fire(t, s.srv, 8, http.MethodPost, "/api/subscriptions", cast.Tokens[hookstest.Student], map[string]any{"plan": plan})
	require.Equal(t, map[int]int{200: 8}, hookstest.Statuses(rs), string(rs[0].Body))
	sub := rs[0].JSON()["subscription"].(map[string]any)["id"].(string)
	for _, r := range rs {
		require.Equal(t, sub, r.JSON()["subscription"].(map[string]any)["id"], "the same subscription")
		require.Contains(t, r.JSON(), "instructions")
	}
	require.EqualValues(t, 1, countWhere(t, s.app, "subscriptions", dbx.HashExp{"user": cast.Users[hookstest.Student], "status": "incomplete"}))
	res := subscribe(t, s, hookstest.Student, cast.IDs["hidden_plan"])
	require.Equal(t, 400, res.Status, "a plan not on sale")

	t.Run("staff renew the first period once", func(t *testing.T) {
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/subscriptions/"+sub+"/renew", cast.Tokens[hookstest.Student], renewBody(s.app, t, sub))
		require.Equal(t, 403, res.Status, "staff only")
		rs := hookstest.Fire(t, s.srv, 8, http.MethodPost, "/api/subscriptions/"+sub+"/renew", cast.Tokens[hookstest.Admin], renewBody(s.app, t, sub))
		require.Equal(t, map[int]int{200: 1, 409: 7}, hookstest.Statuses(rs))
		periods := periodsOf(t, s.app, sub)
		require.Len(t, periods, 1)
		p := periods[0]
		require.Equal(t, "paid", p.GetString("status"))
		require.Equal(t, 4, p.GetInt("credits_total"))
		require.Equal(t, 14000, p.GetInt("amount"))
		require.True(t, p.GetDateTime("expires_at").After(p.GetDateTime("period_end")), "credits roll over into the next period")
		pay, err := s.app.FindFirstRecordByData("payments", "purchase", p.Id)
		require.NoError(t, err)
		require.Equal(t, "subscription", pay.GetString("kind"))
		require.Equal(t, "paid", pay.GetString("status"))
		lines, inv := invoiceOf(t, s.app, pay.Id)
		require.Len(t, lines, 1)
		require.Contains(t, lines[0].Description, "Four a month, ")
		require.Equal(t, 14000, inv.GetInt("total"))
		got := reloaded(t, s.app, "subscriptions", sub)
		require.Equal(t, "active", got.GetString("status"))
		require.Equal(t, p.GetString("period_end"), got.GetString("current_period_end"))
	})

	first := periodsOf(t, s.app, sub)[0].Id
	t.Run("a credit books a lesson", func(t *testing.T) {
		res := s.book(t, hookstest.Student, first, 3, 10)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, "credit", res.JSON()["payment_status"])
		require.Equal(t, 3, credLeft(t, s.app, first))
	})

	t.Run("the plan changes from the next period", func(t *testing.T) {
		other := hookstest.Call(t, s.srv, http.MethodPost, "/api/collections/plans/records", cast.Tokens[hookstest.Admin], map[string]any{
			"title": "Eight a month", "credits": 8, "minutes": 60, "price": 26000, "currency": "EUR", "interval": "month", "rollover_max": 2, "active": true,
		})
		require.Equal(t, 200, other.Status, string(other.Body))
		id := other.JSON()["id"].(string)
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/subscriptions/"+sub+"/plan", cast.Tokens[hookstest.Student2], map[string]any{"plan": id})
		require.Equal(t, 404, res.Status, "someone else's subscription")
		rs := hookstest.Fire(t, s.srv, 8, http.MethodPost, "/api/subscriptions/"+sub+"/plan", cast.Tokens[hookstest.Student], map[string]any{"plan": id})
		require.Equal(t, map[int]int{200: 1, 400: 7}, hookstest.Statuses(rs))
		got := reloaded(t, s.app, "subscriptions", sub)
		require.Equal(t, plan, got.GetString("plan"), "this period keeps its plan")
		require.Equal(t, id, got.GetString("next_plan"))

		// the next period: the first's 3 unused credits roll over up to 2
		rs = hookstest.Fire(t, s.srv, 8, http.MethodPost, "/api/subscriptions/"+sub+"/renew", cast.Tokens[hookstest.Admin], renewBody(s.app, t, sub))
		require.Equal(t, map[int]int{200: 1, 409: 7}, hookstest.Statuses(rs))
		periods := periodsOf(t, s.app, sub)
		require.Len(t, periods, 2)
		require.Equal(t, periods[0].GetString("period_end"), periods[1].GetString("period_start"), "periods follow each other")
		require.Equal(t, 2, credLeft(t, s.app, first), "one credit over the roll-over limit expired")
		require.Contains(t, ledger(t, s.app, first), "expired -1 2")
		require.Equal(t, 8, periods[1].GetInt("credits_total"), "the new plan's credits")
		require.Equal(t, 26000, periods[1].GetInt("amount"))
		got = reloaded(t, s.app, "subscriptions", sub)
		require.Equal(t, id, got.GetString("plan"))
		require.Empty(t, got.GetString("next_plan"))
	})

	t.Run("cancel at period end, once; renewals stop", func(t *testing.T) {
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/subscriptions/"+sub+"/portal", cast.Tokens[hookstest.Student], nil)
		require.Equal(t, 400, res.Status, "no card in manual mode")
		rs := hookstest.Fire(t, s.srv, 8, http.MethodPost, "/api/subscriptions/"+sub+"/cancel", cast.Tokens[hookstest.Student], nil)
		require.Equal(t, map[int]int{200: 1, 400: 7}, hookstest.Statuses(rs))
		got := reloaded(t, s.app, "subscriptions", sub)
		require.True(t, got.GetBool("cancel_at_period_end"))
		require.Equal(t, "active", got.GetString("status"), "until the period ends")
		res = hookstest.Call(t, s.srv, http.MethodPost, "/api/subscriptions/"+sub+"/renew", cast.Tokens[hookstest.Admin], renewBody(s.app, t, sub))
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), "sta terminando")
		require.Len(t, periodsOf(t, s.app, sub), 2)

		// the daily job ends it once the period paid is over, not before
		end := reloaded(t, s.app, "subscriptions", sub).GetDateTime("current_period_end").Time()
		n, err := subscriptions.EndDue(s.app, end.Add(-time.Second))
		require.NoError(t, err)
		require.Zero(t, n)
		require.Equal(t, "active", reloaded(t, s.app, "subscriptions", sub).GetString("status"))
		n, err = subscriptions.EndDue(s.app, end)
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		require.Equal(t, "cancelled", reloaded(t, s.app, "subscriptions", sub).GetString("status"))
		res = subscribe(t, s, hookstest.Student, plan)
		require.Equal(t, 200, res.Status, "a new subscription once it ended")
	})
}

func credLeft(t *testing.T, app core.App, purchase string) int {
	t.Helper()
	p := reloaded(t, app, "purchases", purchase)
	return p.GetInt("credits_total") - p.GetInt("credits_used")
}
