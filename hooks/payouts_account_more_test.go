package hooks_test

import (
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// TestPayoutAccountWhileStripeIsDown: a tutor asking for their payout
// account's status or for its set-up page while Stripe does not answer
// gets a 502 with a clear message, and the account kept on the tutor is
// unchanged.
func TestPayoutAccountWhileStripeIsDown(t *testing.T) {
	t.Parallel()
	s, stripe, _ := flakyShop(t)
	tutor := reloaded(t, s.app, "tutors", cast.Tutors[hookstest.Tutor2])
	tutor.Set("stripe_account", "acct_TbDown1")
	tutor.Set("payout_status", "pending")
	require.NoError(t, s.app.Save(tutor))
	stripe.set("down")
	for _, c := range []struct{ method, path string }{
		{http.MethodGet, "/api/payouts/account"}, {http.MethodPost, "/api/payouts/account/link"},
	} {
		res := hookstest.Call(t, s.srv, c.method, c.path, cast.Tokens[hookstest.Tutor2], nil)
		require.Equal(t, http.StatusBadGateway, res.Status, "%s: %s", c.path, res.Body)
		require.Contains(t, string(res.Body), "Il servizio di pagamento non risponde: riprova tra un minuto.")
	}
	got := reloaded(t, s.app, "tutors", tutor.Id)
	require.Equal(t, "acct_TbDown1", got.GetString("stripe_account"))
	require.Equal(t, "pending", got.GetString("payout_status"))
}

// TestPayoutAccountByHand: a school paying tutors itself shows an account
// staff typed in as connected, with the status staff keep, and offers no
// set-up page.
func TestPayoutAccountByHand(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	tutor := reloaded(t, s.app, "tutors", cast.Tutors[hookstest.Tutor2])
	tutor.Set("stripe_account", "acct_TypedByStaff")
	tutor.Set("payout_status", "enabled")
	require.NoError(t, s.app.Save(tutor))
	res := hookstest.Call(t, s.srv, http.MethodGet, "/api/payouts/account?tutor="+tutor.Id, cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, map[string]any{"by_hand": true, "connected": true, "status": "enabled"}, res.JSON())
	refused(t, hookstest.Call(t, s.srv, http.MethodPost, "/api/payouts/account/link", cast.Tokens[hookstest.Tutor2], nil), 400, "tutor", "by_hand")
	refused(t, hookstest.Call(t, s.srv, http.MethodGet, "/api/payouts/account", cast.Tokens[hookstest.Admin], nil), 400, "tutor", "validation_required")
}
