package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// A tutor connects their own Stripe Express account from the web app: the
// first link creates the account and keeps its id on the tutor; the
// status is read from Stripe and kept; only its tutor and staff see it.
func TestPayoutOnboardingWithStripe(t *testing.T) {
	t.Parallel()
	s := stripeShop(t)
	call := func(method, path, role string) hookstest.Response {
		return hookstest.Call(t, s.srv, method, path, cast.Tokens[role], nil)
	}
	res := call(http.MethodGet, "/api/payouts/account", hookstest.Tutor2)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, map[string]any{"by_hand": false, "connected": false, "status": ""}, res.JSON())

	res = call(http.MethodPost, "/api/payouts/account/link", hookstest.Tutor2)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.True(t, strings.HasPrefix(res.JSON()["url"].(string), "https://"), res.JSON()["url"])
	tutor, err := s.app.FindRecordById("tutors", cast.Tutors[hookstest.Tutor2])
	require.NoError(t, err)
	account := tutor.GetString("stripe_account")
	require.True(t, strings.HasPrefix(account, "acct_"), account)
	require.Equal(t, "details_needed", tutor.GetString("payout_status"))

	res = call(http.MethodGet, "/api/payouts/account", hookstest.Tutor2)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, true, res.JSON()["connected"])
	st := res.JSON()["status"].(string)
	require.Contains(t, []string{"details_needed", "pending", "enabled"}, st)
	tutor, err = s.app.FindRecordById("tutors", tutor.Id)
	require.NoError(t, err)
	require.Equal(t, st, tutor.GetString("payout_status"), "kept as Stripe said")
	require.Equal(t, account, tutor.GetString("stripe_account"), "a second look keeps the account")

	res = call(http.MethodPost, "/api/payouts/account/link", hookstest.Tutor2)
	require.Equal(t, 200, res.Status, "a new link for the same account")
	tutor, err = s.app.FindRecordById("tutors", tutor.Id)
	require.NoError(t, err)
	require.Equal(t, account, tutor.GetString("stripe_account"))

	t.Run("who may ask", func(t *testing.T) {
		require.Equal(t, 403, call(http.MethodGet, "/api/payouts/account", hookstest.Student).Status)
		require.Equal(t, 403, call(http.MethodPost, "/api/payouts/account/link", hookstest.Student).Status)
		require.Equal(t, 401, call(http.MethodGet, "/api/payouts/account", hookstest.Visitor).Status)
		res := call(http.MethodGet, "/api/payouts/account", hookstest.Admin)
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), `"tutor":{"code":"validation_required"`)
		res = call(http.MethodGet, "/api/payouts/account?tutor="+cast.Tutors[hookstest.Tutor2], hookstest.Admin)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, true, res.JSON()["connected"])
		require.Equal(t, 404, call(http.MethodGet, "/api/payouts/account?tutor=nosuchtutor1234", hookstest.Admin).Status)
	})

	t.Run("the status is the server's", func(t *testing.T) {
		tutor, err := s.app.FindRecordById("tutors", cast.Tutors[hookstest.Tutor2])
		require.NoError(t, err)
		tutor.Set("payout_status", "pending")
		require.NoError(t, s.app.Save(tutor))
		res := hookstest.Call(t, s.srv, http.MethodPatch, "/api/collections/tutors/records/"+cast.Tutors[hookstest.Tutor2], cast.Tokens[hookstest.Tutor2],
			map[string]any{"payout_status": "enabled"})
		tutor, err = s.app.FindRecordById("tutors", tutor.Id)
		require.NoError(t, err)
		require.Equal(t, "pending", tutor.GetString("payout_status"), "PocketBase drops a hidden field a client sends, or the guard refuses it: "+string(res.Body))
		res = hookstest.Call(t, s.srv, http.MethodGet, "/api/collections/tutors/records/"+cast.Tutors[hookstest.Tutor2], "", nil)
		require.Equal(t, 200, res.Status)
		require.NotContains(t, string(res.Body), "payout_status", "hidden from visitors")
	})

	t.Run("eight first links at once keep one account", func(t *testing.T) {
		rs := hookstest.Fire(t, s.srv, 8, http.MethodPost, "/api/payouts/account/link", cast.Tokens[hookstest.Tutor], nil)
		require.Equal(t, map[int]int{200: 8}, hookstest.Statuses(rs))
		tutor, err := s.app.FindRecordById("tutors", cast.Tutors[hookstest.Tutor])
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(tutor.GetString("stripe_account"), "acct_"))
		require.Equal(t, "details_needed", tutor.GetString("payout_status"))
	})
}

// In manual mode the school pays tutors itself: there is nothing to
// connect, and the web app says so.
func TestPayoutOnboardingByHand(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	res := hookstest.Call(t, s.srv, http.MethodGet, "/api/payouts/account", cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, map[string]any{"by_hand": true, "connected": false, "status": ""}, res.JSON())
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/payouts/account/link", cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), "La scuola paga i tutor direttamente") // the cast speaks Italian
	tutor, err := s.app.FindRecordById("tutors", cast.Tutors[hookstest.Tutor2])
	require.NoError(t, err)
	require.Empty(t, tutor.GetString("stripe_account"))
}
