package hooks_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/payouts"
	"tutorbase/internal/config"
	"tutorbase/testkit/stripemock"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/require"
)

// payoutNow is after every period the payout tests pay.
var payoutNow = time.Date(2027, 4, 1, 12, 0, 0, 0, time.UTC)

// payoutWeek is a week of the school's zone (Europe/Rome) as UTC instants.
func payoutWeek(t *testing.T, from, to string) (time.Time, time.Time) {
	t.Helper()
	start, end, err := payouts.PayoutPeriod(from, to, rome)
	require.NoError(t, err)
	return start, end
}

// payoutLesson imports a past lesson of an hour with its payment state.
func payoutLesson(t *testing.T, app core.App, tutor, student string, start time.Time, status string, price int, payment string) *core.Record {
	t.Helper()
	return saveImported(t, app, "bookings", map[string]any{
		"tutor": cast.Tutors[tutor], "student": cast.Users[student], "start": start, "end": start.Add(time.Hour),
		"status": status, "price": price, "currency": "EUR", "payment_status": payment,
	})
}

// payoutRefund records a refund of a lesson (and the payment it refunds).
func payoutRefund(t *testing.T, app core.App, lesson *core.Record, amount int, status string) *core.Record {
	t.Helper()
	pay := saveRecord(t, app, "payments", map[string]any{
		"user": lesson.GetString("student"), "booking": lesson.Id, "amount": lesson.GetInt("price"), "currency": "EUR",
		"status": "partially_refunded", "provider": "manual", "refunded_amount": amount,
	})
	return saveRecord(t, app, "refunds", map[string]any{
		"payment": pay.Id, "user": lesson.GetString("student"), "booking": lesson.Id, "amount": amount,
		"currency": "EUR", "provider": "manual", "status": status,
	})
}

// payoutByTutor indexes a run's payouts by tutor role.
func payoutByTutor(t *testing.T, list []*core.Record) map[string]*core.Record {
	t.Helper()
	out := map[string]*core.Record{}
	for _, p := range list {
		for role, id := range cast.Tutors {
			if p.GetString("tutor") == id {
				require.NotContains(t, out, role, "one payout per tutor")
				out[role] = p
			}
		}
	}
	require.Len(t, out, len(list))
	return out
}

func payoutItems(t *testing.T, p *core.Record) []payouts.PayoutItem {
	t.Helper()
	var items []payouts.PayoutItem
	require.NoError(t, p.UnmarshalJSONField("items", &items))
	return items
}

func requireTotals(t *testing.T, p *core.Record, lessons, gross, commission, net int, status string) {
	t.Helper()
	got := []any{p.GetInt("lessons"), p.GetInt("gross"), p.GetInt("commission"), p.GetInt("net"), p.GetString("status"), p.GetString("currency")}
	require.Equal(t, []any{lessons, gross, commission, net, status, "EUR"}, got, "lessons, gross, commission, net, status, currency")
}

func requireStored(t *testing.T, app core.App, collection, id, field, want string, why ...any) {
	t.Helper()
	r, err := app.FindRecordById(collection, id)
	require.NoError(t, err)
	require.Equal(t, want, r.GetString(field), "%s %s %s %s", collection, id, field, fmt.Sprint(why...))
}

func TestPayoutsRun(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	at := func(day, hour, min int) time.Time { return time.Date(2027, 3, day, hour, min, 0, 0, time.UTC) }
	w1from, w1to := payoutWeek(t, "2027-03-01", "2027-03-08")
	require.Equal(t, time.Date(2027, 2, 28, 23, 0, 0, 0, time.UTC), w1from, "Monday 00:00 in Rome")

	S, S2, T, T2 := hookstest.Student, hookstest.Student2, hookstest.Tutor, hookstest.Tutor2
	paid := map[string]*core.Record{
		"paid":            payoutLesson(t, app, T, S, at(2, 9, 0), "completed", 4000, "paid"),
		"credit":          payoutLesson(t, app, T, S, at(2, 11, 0), "completed", 3333, "credit"),
		"no_show":         payoutLesson(t, app, T, S, at(3, 9, 0), "no_show", 4000, "paid"),
		"ends at from":    payoutLesson(t, app, T, S, time.Date(2027, 2, 28, 22, 0, 0, 0, time.UTC), "completed", 4000, "paid"),
		"tutor2 paid":     payoutLesson(t, app, T2, S2, at(2, 9, 0), "completed", 5000, "paid"),
		"tutor2 refunded": payoutLesson(t, app, T2, S2, at(3, 9, 0), "completed", 5000, "partially_refunded"),
	}
	unpaid := payoutLesson(t, app, T, S, at(3, 11, 0), "completed", 4000, "unpaid")
	nextWeek := payoutLesson(t, app, T, S, at(8, 9, 0), "completed", 4000, "paid")
	excluded := map[string]*core.Record{
		"unpaid":             unpaid,
		"cancelled":          payoutLesson(t, app, T, S, at(4, 9, 0), "cancelled", 4000, "paid"),
		"confirmed":          payoutLesson(t, app, T, S2, at(4, 13, 0), "confirmed", 4000, "paid"),
		"free":               payoutLesson(t, app, T, S, at(4, 11, 0), "completed", 4000, "free"),
		"fully refunded":     payoutLesson(t, app, T, S, at(5, 9, 0), "completed", 4000, "refunded"),
		"ends at to":         payoutLesson(t, app, T, S, at(7, 22, 0), "completed", 4000, "paid"),
		"after the period":   nextWeek,
		"period never run":   payoutLesson(t, app, T, S, time.Date(2027, 2, 20, 9, 0, 0, 0, time.UTC), "completed", 4000, "paid"),
		"tutor2 next period": payoutLesson(t, app, T2, S2, at(9, 9, 0), "completed", 5000, "paid"),
	}
	before := payoutRefund(t, app, paid["tutor2 refunded"], 1000, "succeeded")
	pendingRefund := saveRecord(t, app, "refunds", map[string]any{
		"payment": before.GetString("payment"), "user": cast.Users[S2], "booking": paid["tutor2 refunded"].Id,
		"amount": 500, "currency": "EUR", "provider": "manual", "status": "pending",
	})

	list, err := hookstest.ServicesOf(app).Payouts.RunPayouts(app, w1from, w1to, payoutNow)
	require.NoError(t, err)
	week1 := payoutByTutor(t, list)
	require.Len(t, week1, 2)
	// 4000 + 3333 + 4000 + 4000 = 15333; 20 % is 3066.6, rounded to 3067
	requireTotals(t, week1[T], 4, 15333, 3067, 12266, "pending")
	// a refund before the payout: that lesson counts 5000 - 1000
	requireTotals(t, week1[T2], 2, 9000, 1800, 7200, "pending")
	require.Equal(t, cast.Users[T], week1[T].GetString("tutor_user"), "the tutor reads it through the records API")
	require.True(t, week1[T].GetDateTime("period_start").Time().Equal(w1from))
	require.True(t, week1[T].GetDateTime("period_end").Time().Equal(w1to))

	items := payoutItems(t, week1[T])
	require.Len(t, items, 4)
	require.Equal(t, payouts.PayoutItem{Kind: "lesson", Booking: paid["ends at from"].Id, Start: "2027-02-28T22:00:00Z",
		Student: "Stella Student", Price: 4000, Amount: 4000}, items[0], "lines in lesson order")
	require.Equal(t, []string{paid["paid"].Id, paid["credit"].Id, paid["no_show"].Id}, []string{items[1].Booking, items[2].Booking, items[3].Booking})
	items2 := payoutItems(t, week1[T2])
	require.Equal(t, payouts.PayoutItem{Kind: "lesson", Booking: paid["tutor2 refunded"].Id, Start: "2027-03-03T09:00:00Z",
		Student: "Otto Other", Price: 5000, Refunded: 1000, Amount: 4000}, items2[1])

	for name, b := range paid {
		want := week1[T].Id
		if strings.HasPrefix(name, "tutor2") {
			want = week1[T2].Id
		}
		requireStored(t, app, "bookings", b.Id, "payout", want)
	}
	for name, b := range excluded {
		t.Run("excluded: "+name, func(t *testing.T) { requireStored(t, app, "bookings", b.Id, "payout", "") })
	}
	requireStored(t, app, "refunds", before.Id, "reversed_in", week1[T2].Id)
	requireStored(t, app, "refunds", pendingRefund.Id, "reversed_in", "")

	t.Run("a second run returns the same payouts", func(t *testing.T) {
		again, err := hookstest.ServicesOf(app).Payouts.RunPayouts(app, w1from, w1to, payoutNow.Add(time.Hour))
		require.NoError(t, err)
		second := payoutByTutor(t, again)
		for _, role := range []string{T, T2} {
			require.Equal(t, week1[role].Id, second[role].Id)
			require.Equal(t, week1[role].GetInt("net"), second[role].GetInt("net"))
			require.Equal(t, week1[role].GetString("updated"), second[role].GetString("updated"), "untouched")
		}
		n, err := app.CountRecords("payouts", dbx.HashExp{"period_start": w1from.Format(types.DefaultDateLayout)})
		require.NoError(t, err)
		require.EqualValues(t, 2, n)
	})

	// Week 2: the unpaid lesson of week 1 is paid late, a week-1 lesson is
	// refunded, and the week has a lesson of its own.
	late, err := app.FindRecordById("bookings", unpaid.Id)
	require.NoError(t, err)
	late.Set("payment_status", "paid")
	require.NoError(t, app.Save(late))
	refundW1 := payoutRefund(t, app, paid["paid"], 4000, "succeeded")

	t.Run("a paid-out period is not reopened", func(t *testing.T) {
		again, err := hookstest.ServicesOf(app).Payouts.RunPayouts(app, w1from, w1to, payoutNow)
		require.NoError(t, err)
		requireTotals(t, payoutByTutor(t, again)[T], 4, 15333, 3067, 12266, "pending")
		requireStored(t, app, "bookings", unpaid.Id, "payout", "")
		requireStored(t, app, "refunds", refundW1.Id, "reversed_in", "")
	})

	w2from, w2to := payoutWeek(t, "2027-03-08", "2027-03-15")
	list, err = hookstest.ServicesOf(app).Payouts.RunPayouts(app, w2from, w2to, payoutNow)
	require.NoError(t, err)
	week2 := payoutByTutor(t, list)
	// the late lesson, the week's own two (one ended at Monday 00:00), less
	// the refunded one
	requireTotals(t, week2[T], 3, 8000, 1600, 6400, "pending")
	items = payoutItems(t, week2[T])
	require.Len(t, items, 4)
	require.Equal(t, []string{unpaid.Id, excluded["ends at to"].Id, nextWeek.Id}, []string{items[0].Booking, items[1].Booking, items[2].Booking})
	require.Equal(t, payouts.PayoutItem{Kind: "reversal", Booking: paid["paid"].Id, Refund: refundW1.Id, Start: "2027-03-02T09:00:00Z",
		Student: "Stella Student", Amount: -4000}, items[3])
	requireStored(t, app, "refunds", refundW1.Id, "reversed_in", week2[T].Id)
	requireStored(t, app, "bookings", unpaid.Id, "payout", week2[T].Id)
	requireStored(t, app, "bookings", paid["paid"].Id, "payout", week1[T].Id, "the refunded lesson stays in the payout that paid it")
	// the refund counted before tutor2's week-1 payout is not reversed again
	requireTotals(t, week2[T2], 1, 5000, 1000, 4000, "pending")

	t.Run("running the refund's period again changes nothing", func(t *testing.T) {
		again, err := hookstest.ServicesOf(app).Payouts.RunPayouts(app, w2from, w2to, payoutNow)
		require.NoError(t, err)
		second := payoutByTutor(t, again)
		require.Equal(t, week2[T].Id, second[T].Id)
		requireTotals(t, second[T], 3, 8000, 1600, 6400, "pending")
		require.Len(t, payoutItems(t, second[T]), 4)
	})

	// Week 3: tutor2 only has a reversal (the refund that was pending when
	// week 1 was paid): a negative payout, a debt; the tutor's new lesson
	// and a reversal of the same size make a payout of zero.
	settled, err := app.FindRecordById("refunds", pendingRefund.Id)
	require.NoError(t, err)
	settled.Set("status", "succeeded")
	require.NoError(t, app.Save(settled))
	pay, err := app.FindRecordById("payments", settled.GetString("payment"))
	require.NoError(t, err)
	pay.Set("refunded_amount", pay.GetInt("refunded_amount")+settled.GetInt("amount")) // as settling it does
	require.NoError(t, app.Save(pay))
	payoutRefund(t, app, nextWeek, 4000, "succeeded")
	payoutLesson(t, app, T, S, at(16, 9, 0), "completed", 4000, "paid")
	w3from, w3to := payoutWeek(t, "2027-03-15", "2027-03-22")
	list, err = hookstest.ServicesOf(app).Payouts.RunPayouts(app, w3from, w3to, payoutNow)
	require.NoError(t, err)
	week3 := payoutByTutor(t, list)
	requireTotals(t, week3[T2], 0, -500, -100, -400, "pending")
	requireTotals(t, week3[T], 1, 0, 0, 0, "paid")
	require.True(t, week3[T].GetDateTime("paid_at").Time().Equal(payoutNow))
	requireNotified(t, app, T, "payout", 0)

	t.Run("a paid payout cannot be deleted; a pending one releases its lines", func(t *testing.T) {
		require.Error(t, app.Delete(week3[T]))
		require.NoError(t, app.Delete(week3[T2]))
		requireStored(t, app, "refunds", pendingRefund.Id, "reversed_in", "")
		again, err := hookstest.ServicesOf(app).Payouts.RunPayouts(app, w3from, w3to, payoutNow)
		require.NoError(t, err)
		redone := payoutByTutor(t, again)[T2]
		require.NotEqual(t, week3[T2].Id, redone.Id)
		requireTotals(t, redone, 0, -500, -100, -400, "pending")
	})

	t.Run("bad periods", func(t *testing.T) {
		_, err := hookstest.ServicesOf(app).Payouts.RunPayouts(app, w1to, w1from, payoutNow)
		require.Error(t, err, "backwards")
		_, err = hookstest.ServicesOf(app).Payouts.RunPayouts(app, w1from, w1from, payoutNow)
		require.Error(t, err, "empty")
		_, err = hookstest.ServicesOf(app).Payouts.RunPayouts(app, w1from, w1to, w1to.Add(-time.Minute))
		require.Error(t, err, "not over yet")
	})
}

func TestPayoutsStripeConnect(t *testing.T) {
	t.Parallel()
	mock := stripemock.Shared(t, config.RequireTestTools())
	cfg := hookstest.Config
	cfg.Stripe = config.Stripe{SecretKey: "sk_test_123", WebhookSecret: "whsec_test", APIBase: mock}
	app := cast.CloneWith(t, cfg)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	setTutorFields(t, app, hookstest.Tutor, map[string]any{"stripe_account": "acct_123"})
	setTutorFields(t, app, hookstest.Tutor2, map[string]any{"iban": "IT60X0542811101000000123456"})

	at := func(day, hour int) time.Time { return time.Date(2027, 3, day, hour, 0, 0, 0, time.UTC) }
	payoutLesson(t, app, hookstest.Tutor, hookstest.Student, at(2, 9), "completed", 4000, "paid")
	payoutLesson(t, app, hookstest.Tutor2, hookstest.Student2, at(2, 9), "completed", 4999, "paid")
	payoutLesson(t, app, hookstest.Tutor2, hookstest.Student2, at(3, 9), "completed", 2500, "credit")
	w1from, w1to := payoutWeek(t, "2027-03-01", "2027-03-08")

	list, err := hookstest.ServicesOf(app).Payouts.RunPayouts(app, w1from, w1to, payoutNow)
	require.NoError(t, err)
	week1 := payoutByTutor(t, list)
	connect, manual := week1[hookstest.Tutor], week1[hookstest.Tutor2]
	requireTotals(t, connect, 1, 4000, 800, 3200, "paid")
	require.True(t, strings.HasPrefix(connect.GetString("provider_ref"), "tr_"), connect.GetString("provider_ref"))
	require.True(t, connect.GetDateTime("paid_at").Time().Equal(payoutNow))
	requireNotified(t, app, hookstest.Tutor, "payout", 1)
	// 74.99 gross; 20 % is 14.998, rounded to 15.00
	requireTotals(t, manual, 2, 7499, 1500, 5999, "pending")
	require.Empty(t, manual.GetString("provider_ref"))
	requireNotified(t, app, hookstest.Tutor2, "payout", 0)

	srv := hookstest.Serve(t, app)
	exportURL := "/api/payouts/export.csv?from=2027-03-01&to=2027-03-08"

	t.Run("tutors read their own statements", func(t *testing.T) {
		res := hookstest.Call(t, srv, http.MethodGet, "/api/collections/payouts/records/"+manual.Id, cast.Tokens[hookstest.Tutor2], nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Len(t, res.JSON()["items"], 2)
		res = hookstest.Call(t, srv, http.MethodGet, "/api/collections/payouts/records/"+manual.Id, cast.Tokens[hookstest.Tutor], nil)
		require.Equal(t, 404, res.Status)
	})

	t.Run("the CSV export is for staff", func(t *testing.T) {
		for role, want := range map[string]int{hookstest.Visitor: 401, hookstest.Student: 403, hookstest.Tutor2: 403, hookstest.Admin: 200, hookstest.Superuser: 200} {
			res, _ := getCSV(t, srv, exportURL, cast.Tokens[role])
			require.Equal(t, want, res.StatusCode, role)
		}
		for _, bad := range []string{"?from=2027-3-1", "?to=yesterday", "?status=owed"} {
			res, body := getCSV(t, srv, "/api/payouts/export.csv"+bad, cast.Tokens[hookstest.Admin])
			require.Equal(t, 400, res.StatusCode, bad+": "+body)
		}
	})

	t.Run("the CSV lists the pending payouts for the bank run", func(t *testing.T) {
		res, body := getCSV(t, srv, exportURL+"&status=pending", cast.Tokens[hookstest.Admin])
		require.Equal(t, 200, res.StatusCode, body)
		require.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
		require.Equal(t, `attachment; filename="payouts-2027-03-01-2027-03-08.csv"`, res.Header.Get("Content-Disposition"))
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		require.NoError(t, err)
		require.Equal(t, [][]string{
			{"payout_id", "tutor_name", "tutor_email", "iban", "period_start", "period_end", "lessons", "gross", "commission", "net", "currency", "status", "reference"},
			{manual.Id, "Theo Tutor", cast.Emails[hookstest.Tutor2], "IT60X0542811101000000123456", "2027-03-01", "2027-03-08", "2", "74.99", "15.00", "59.99", "EUR", "pending", ""},
		}, rows)

		_, body = getCSV(t, srv, exportURL, cast.Tokens[hookstest.Admin])
		rows, err = csv.NewReader(strings.NewReader(body)).ReadAll()
		require.NoError(t, err)
		require.Len(t, rows, 3, "both payouts without a status filter")
		require.Equal(t, []string{connect.Id, "Tina Tutor", "32.00", "paid", connect.GetString("provider_ref")},
			[]string{rows[2][0], rows[2][1], rows[2][9], rows[2][11], rows[2][12]})
	})

	t.Run("staff mark a manual payout paid, once", func(t *testing.T) {
		path := "/api/payouts/" + manual.Id + "/mark-paid"
		body := map[string]any{"reference": "CRO 0001"}
		require.Equal(t, 401, hookstest.Call(t, srv, http.MethodPost, path, "", body).Status)
		require.Equal(t, 403, hookstest.Call(t, srv, http.MethodPost, path, cast.Tokens[hookstest.Tutor2], body).Status, "not the tutor")
		require.Equal(t, 404, hookstest.Call(t, srv, http.MethodPost, "/api/payouts/nosuchpayout123/mark-paid", cast.Tokens[hookstest.Admin], body).Status)
		res := hookstest.Call(t, srv, http.MethodPost, path, cast.Tokens[hookstest.Admin], body)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, "paid", res.JSON()["status"])
		require.Equal(t, "CRO 0001", res.JSON()["provider_ref"])
		require.NotEmpty(t, res.JSON()["paid_at"])
		requireAudit(t, app, "payout.mark_paid", cast.Users[hookstest.Admin], manual.Id)
		requireNotified(t, app, hookstest.Tutor2, "payout", 1)

		again := hookstest.Call(t, srv, http.MethodPost, path, cast.Tokens[hookstest.Admin], body)
		require.Equal(t, 400, again.Status)
		require.Contains(t, string(again.Body), "bad_state")
		requireNotified(t, app, hookstest.Tutor2, "payout", 1)

		_, csvBody := getCSV(t, srv, exportURL+"&status=pending", cast.Tokens[hookstest.Admin])
		require.Equal(t, 1, strings.Count(csvBody, "\n"), "only the header is left: %s", csvBody)
	})

	t.Run("a pending Connect transfer is retried within Stripe's idempotency window", func(t *testing.T) {
		payoutLesson(t, app, hookstest.Tutor2, hookstest.Student2, at(9, 9), "completed", 5000, "paid")
		w2from, w2to := payoutWeek(t, "2027-03-08", "2027-03-15")
		list, err := hookstest.ServicesOf(app).Payouts.RunPayouts(app, w2from, w2to, payoutNow)
		require.NoError(t, err)
		p := payoutByTutor(t, list)[hookstest.Tutor2]
		require.Equal(t, "pending", p.GetString("status"), "no connected account yet")
		setTutorFields(t, app, hookstest.Tutor2, map[string]any{"stripe_account": "acct_456"})

		setCreated := func(at time.Time) {
			_, err := app.DB().Update("payouts", dbx.Params{"created": at.UTC().Format(types.DefaultDateLayout)}, dbx.HashExp{"id": p.Id}).Execute()
			require.NoError(t, err)
		}
		now := time.Now().UTC()
		setCreated(now.Add(-48 * time.Hour))
		require.NoError(t, hookstest.ServicesOf(app).Payouts.RetryPayoutTransfers(app, now))
		requireStored(t, app, "payouts", p.Id, "status", "pending", "too old for an automatic retry: staff settle it")

		setCreated(now.Add(-time.Hour))
		require.NoError(t, hookstest.ServicesOf(app).Payouts.RetryPayoutTransfers(app, now))
		requireStored(t, app, "payouts", p.Id, "status", "paid")
		fresh, err := app.FindRecordById("payouts", p.Id)
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(fresh.GetString("provider_ref"), "tr_"))
	})
}

func TestPayoutsStripeUnreachable(t *testing.T) {
	t.Parallel()
	cfg := hookstest.Config
	cfg.Stripe = config.Stripe{SecretKey: "sk_test_123", WebhookSecret: "whsec_test", APIBase: unreachableURL(t)}
	app := cast.CloneWith(t, cfg)
	defer app.Cleanup()
	setTutorFields(t, app, hookstest.Tutor, map[string]any{"stripe_account": "acct_123"})
	payoutLesson(t, app, hookstest.Tutor, hookstest.Student, time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC), "completed", 4000, "paid")
	from, to := payoutWeek(t, "2027-03-01", "2027-03-08")

	list, err := hookstest.ServicesOf(app).Payouts.RunPayouts(app, from, to, payoutNow)
	require.NoError(t, err, "the payout is made; the transfer waits")
	p := payoutByTutor(t, list)[hookstest.Tutor]
	requireTotals(t, p, 1, 4000, 800, 3200, "pending")
	require.Empty(t, p.GetString("provider_ref"))
	require.Error(t, hookstest.ServicesOf(app).Payouts.RetryPayoutTransfers(app, time.Now()), "the retry job reports the failure")
	requireStored(t, app, "payouts", p.Id, "status", "pending")
}

func TestPayoutPeriod(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, from, to string
		wantFrom       time.Time
		wantTo         time.Time
		wantErr        string
	}{
		{"a week", "2027-03-01", "2027-03-08", time.Date(2027, 2, 28, 23, 0, 0, 0, time.UTC), time.Date(2027, 3, 7, 23, 0, 0, 0, time.UTC), ""},
		{"over the spring DST change", "2027-03-22", "2027-03-29", time.Date(2027, 3, 21, 23, 0, 0, 0, time.UTC), time.Date(2027, 3, 28, 22, 0, 0, 0, time.UTC), ""},
		{"62 days", "2027-01-01", "2027-03-04", time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), time.Date(2027, 3, 3, 23, 0, 0, 0, time.UTC), ""},
		{"63 days", "2027-01-01", "2027-03-05", time.Time{}, time.Time{}, "at most 62 days"},
		{"empty", "2027-03-08", "2027-03-08", time.Time{}, time.Time{}, "end after it starts"},
		{"backwards", "2027-03-08", "2027-03-01", time.Time{}, time.Time{}, "end after it starts"},
		{"bad from", "1 March", "2027-03-08", time.Time{}, time.Time{}, "--from"},
		{"bad to", "2027-03-01", "2027-02-30", time.Time{}, time.Time{}, "--to"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			from, to, err := payouts.PayoutPeriod(c.from, c.to, rome)
			if c.wantErr != "" {
				require.ErrorContains(t, err, c.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.wantFrom, from)
			require.Equal(t, c.wantTo, to)
		})
	}
}

func TestLastPayoutWeek(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		now      time.Time
		from, to string // local dates
	}{
		{"Monday 03:30 UTC", time.Date(2027, 3, 8, 3, 30, 0, 0, time.UTC), "2027-03-01", "2027-03-08"},
		{"Sunday night in Rome", time.Date(2027, 3, 7, 22, 59, 0, 0, time.UTC), "2027-02-22", "2027-03-01"},
		{"Monday 00:00 in Rome", time.Date(2027, 3, 7, 23, 0, 0, 0, time.UTC), "2027-03-01", "2027-03-08"},
		{"after the DST change", time.Date(2027, 3, 29, 3, 30, 0, 0, time.UTC), "2027-03-22", "2027-03-29"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			from, to := payouts.LastPayoutWeek(c.now, rome)
			wantFrom, wantTo, err := payouts.PayoutPeriod(c.from, c.to, rome)
			require.NoError(t, err)
			require.Equal(t, wantFrom, from)
			require.Equal(t, wantTo, to)
		})
	}
}

func TestPayoutDecimalAmount(t *testing.T) {
	t.Parallel()
	cases := []struct {
		amount   int64
		currency string
		want     string
	}{
		{12345, "EUR", "123.45"}, {5, "EUR", "0.05"}, {-5, "EUR", "-0.05"}, {0, "EUR", "0.00"},
		{-123456, "USD", "-1234.56"}, {500, "JPY", "500"}, {1234, "KWD", "1.234"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, payouts.DecimalAmount(c.amount, c.currency), "%d %s", c.amount, c.currency)
	}
}

func setTutorFields(t *testing.T, app core.App, role string, fields map[string]any) {
	t.Helper()
	r, err := app.FindRecordById("tutors", cast.Tutors[role])
	require.NoError(t, err)
	for k, v := range fields {
		r.Set(k, v)
	}
	require.NoError(t, app.Save(r))
}

func getCSV(t *testing.T, srv *httptest.Server, path, token string) (*http.Response, string) {
	t.Helper()
	res, body := download(t, srv, path, token)
	return res, string(body)
}

// unreachableURL is a loopback address nothing listens on.
func unreachableURL(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	return url
}
