package hooks_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// openFlags are the open flags of rule.
func openFlags(t testing.TB, app core.App, rule string) []*core.Record {
	t.Helper()
	rs, err := app.FindAllRecords("flags", dbxHash("rule", rule, "status", "open"))
	require.NoError(t, err)
	return rs
}

func checkout(t testing.TB, srv *httptest.Server, role string) hookstest.Response {
	t.Helper()
	return hookstest.Call(t, srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[role], map[string]any{"package": cast.IDs["package"]})
}

func TestCardTestingRule(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	student := cast.Users[hookstest.Student]
	fail := func(n int) {
		for i := range n {
			p := saveImported(t, app, "payments", map[string]any{"user": student, "purchase": cast.IDs["purchase"], "amount": 30000,
				"currency": "EUR", "status": "pending", "provider": "stripe", "provider_id": fmt.Sprintf("pi_%d_%d", time.Now().UnixNano(), i)})
			p.Set("status", "failed")
			require.NoError(t, app.Save(p))
		}
	}

	fail(4) // a few declined cards: normal use
	require.Empty(t, openFlags(t, app, "card_testing"))
	require.Equal(t, 200, checkout(t, srv, hookstest.Student).Status)

	fail(1)
	flags := openFlags(t, app, "card_testing")
	require.Len(t, flags, 1)
	require.Equal(t, student, flags[0].GetString("user"))
	require.Equal(t, "checkout", flags[0].GetString("holds"))
	require.Contains(t, flags[0].GetString("evidence"), `"count":5`)

	res := checkout(t, srv, hookstest.Student)
	require.Equal(t, 403, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), "on_hold")
	require.Equal(t, 200, checkout(t, srv, hookstest.Student2).Status, "others are not held")

	res = hookstest.Call(t, srv, http.MethodPost, "/api/flags/"+flags[0].Id+"/review", cast.Tokens[hookstest.Admin], map[string]any{"action": "dismiss"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, 200, checkout(t, srv, hookstest.Student).Status, "a dismissed flag holds nothing")
}

func TestCardTestingRuleIsASchoolSetting(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	setSchool(t, app, map[string]any{"flag_failed_payments": 0})
	for i := range 8 {
		p := saveImported(t, app, "payments", map[string]any{"user": cast.Users[hookstest.Student], "purchase": cast.IDs["purchase"], "amount": 30000,
			"currency": "EUR", "status": "pending", "provider": "stripe", "provider_id": fmt.Sprintf("pi_off_%d", i)})
		p.Set("status", "failed")
		require.NoError(t, app.Save(p))
	}
	require.Empty(t, openFlags(t, app, "card_testing"), "0 turns the rule off")
}

func TestBookingChurnRule(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	noUnpaidCap(t, app)
	day := cast.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 20)
	cancelOne := func(i int) {
		b := saveImported(t, app, "bookings", map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "student": cast.Users[hookstest.Student2],
			"start": day.Add(time.Duration(i) * 2 * time.Hour), "end": day.Add(time.Duration(i)*2*time.Hour + time.Hour),
			"status": "confirmed", "price": 4000, "currency": "EUR"})
		res := hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+b.Id+"/cancel", cast.Tokens[hookstest.Student2], map[string]any{"reason": "changed my mind"})
		require.Equal(t, 200, res.Status, string(res.Body))
	}
	for i := range 4 {
		cancelOne(i)
	}
	require.Empty(t, openFlags(t, app, "booking_churn"), "a few changes of plan")
	cancelOne(4)
	flags := openFlags(t, app, "booking_churn")
	require.Len(t, flags, 1)
	require.Equal(t, cast.Users[hookstest.Student2], flags[0].GetString("user"))
	require.Empty(t, flags[0].GetString("holds"))
}

func TestUnpaidHoardRule(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	noUnpaidCap(t, app)
	day := cast.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 15)
	book := func(i int) {
		saveImported(t, app, "bookings", map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "student": cast.Users[hookstest.Student2],
			"start": day.Add(time.Duration(i) * 2 * time.Hour), "end": day.Add(time.Duration(i)*2*time.Hour + time.Hour),
			"status": "confirmed", "price": 4000, "currency": "EUR", "payment_status": "unpaid"})
	}
	for i := range 4 {
		book(i)
	}
	require.Empty(t, openFlags(t, app, "unpaid_hoard"))
	book(4)
	require.Len(t, openFlags(t, app, "unpaid_hoard"), 1)
}

func TestSignupBurstRule(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	app.Settings().TrustedProxy.Headers = []string{"X-Forwarded-For"}
	signUp := func(ip string, i int) {
		res := hookstest.CallWith(t, srv, http.MethodPost, "/api/collections/users/records", "", map[string]any{
			"email": fmt.Sprintf("burst-%s-%d@test.localhost", ip, i), "password": goodPassword, "passwordConfirm": goodPassword,
		}, map[string]string{"X-Forwarded-For": ip})
		require.Equal(t, 200, res.Status, string(res.Body))
	}
	for i := range 9 {
		signUp("198.51.100.20", i)
	}
	for i := range 3 {
		signUp("198.51.100.21", i)
	}
	require.Empty(t, openFlags(t, app, "signup_burst"), "a family, a class: below the threshold")
	signUp("198.51.100.20", 9)
	flags := openFlags(t, app, "signup_burst")
	require.Len(t, flags, 1)
	require.Equal(t, "198.51.100.20", flags[0].GetString("subject"))
	require.Contains(t, flags[0].GetString("evidence"), `"count":10`)
	signUp("198.51.100.20", 10)
	require.Len(t, openFlags(t, app, "signup_burst"), 1, "one open flag per subject")
}

func TestLargeRefundRule(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	hookstest.Tampered(app) // refunds written without their payment's total
	refund := func(amount int) {
		saveImported(t, app, "refunds", map[string]any{"payment": cast.IDs["payment"], "user": cast.Users[hookstest.Student],
			"amount": amount, "currency": "EUR", "provider": "manual", "status": "succeeded"})
	}
	refund(4000)
	require.Empty(t, openFlags(t, app, "large_refund"), "a lesson's refund")
	refund(25000)
	flags := openFlags(t, app, "large_refund")
	require.Len(t, flags, 1)
	require.Contains(t, flags[0].GetString("evidence"), `"amount":25000`)
}

func TestFlagReview(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	raise := func(user, subject string) string {
		return saveRecord(t, app, "flags", map[string]any{"rule": "booking_churn", "user": user, "subject": subject, "status": "open"}).Id
	}
	review := func(id, role string, body any) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/flags/"+id+"/review", cast.Tokens[role], body)
	}

	t.Run("only staff review, with a known action", func(t *testing.T) {
		id := raise(cast.Users[hookstest.Tutor2], "x1")
		require.Equal(t, 403, review(id, hookstest.Student, map[string]any{"action": "dismiss"}).Status)
		require.Equal(t, 401, review(id, hookstest.Visitor, map[string]any{"action": "dismiss"}).Status)
		require.Equal(t, 400, review(id, hookstest.Admin, map[string]any{"action": "ban"}).Status)
		require.Equal(t, 404, review("nosuchflag00000", hookstest.Admin, map[string]any{"action": "dismiss"}).Status)
		res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/users/records/"+cast.Users[hookstest.Student], cast.Tokens[hookstest.Student], map[string]any{"suspended": true})
		require.Equal(t, 400, res.Status, "only staff suspend")
	})

	t.Run("a warning reaches the person", func(t *testing.T) {
		id := raise(cast.Users[hookstest.Tutor2], "x2")
		res := review(id, hookstest.Admin, map[string]any{"action": "warn", "note": "Told them on the phone"})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, "warned", res.JSON()["status"])
		require.Equal(t, cast.Users[hookstest.Admin], res.JSON()["reviewed_by"])
		n, err := app.CountRecords("notifications", dbxHash("user", cast.Users[hookstest.Tutor2], "kind", "account_warning"))
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
	})

	t.Run("eight staff suspending at once suspend once", func(t *testing.T) {
		victim := signInFrom(t, srv, cast.Emails[hookstest.Student2], hookstest.Password, uaWindowsChrome)
		id := raise(cast.Users[hookstest.Student2], "x3")
		rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/flags/"+id+"/review", cast.Tokens[hookstest.Superuser], map[string]any{"action": "suspend"})
		require.Equal(t, map[int]int{200: 1, 400: 7}, hookstest.Statuses(rs))
		n, err := app.CountRecords("audit_log", dbxHash("action", "flag.suspend"))
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
		require.Equal(t, 401, hookstest.Call(t, srv, http.MethodGet, "/api/me/sessions", victim, nil).Status, "signed out everywhere")
		res := signInPlain(t, srv, cast.Emails[hookstest.Student2])
		require.Equal(t, 403, res.Status, "a suspended account cannot sign in: %s", res.Body)
		u, err := app.FindRecordById("users", cast.Users[hookstest.Student2])
		require.NoError(t, err)
		require.True(t, u.GetBool("suspended"))
	})
}
