package hooks_test

import (
	"encoding/csv"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"

	"github.com/stretchr/testify/require"
)

// TestPayoutEdges: a tutor whose week mixes currencies is left for staff
// while the others are paid; a Connect account in a manual school waits
// for staff; a payout eaten by reversals, marked paid, tells the tutor of
// no money; the CSV defuses names a spreadsheet would run.
func TestPayoutEdges(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	at := func(day, hour int) time.Time { return time.Date(2027, 3, day, hour, 0, 0, 0, time.UTC) }
	S, T, T2 := hookstest.Student, hookstest.Tutor, hookstest.Tutor2

	w1from, w1to := payoutWeek(t, "2027-03-01", "2027-03-08")
	payoutLesson(t, app, T, S, at(2, 9), "completed", 4000, "paid")
	chf := payoutLesson(t, app, T, S, at(3, 9), "completed", 4000, "paid")
	chf.Set("currency", "CHF")
	require.NoError(t, app.Save(chf))
	lesson := payoutLesson(t, app, T2, S, at(2, 9), "completed", 5000, "paid")
	setTutorFields(t, app, T2, map[string]any{"stripe_account": "acct_t2", "name": "=HYPERLINK(\"http://evil\")"})

	list, err := hookstest.ServicesOf(app).Payouts.RunPayouts(app, w1from, w1to, payoutNow)
	require.ErrorContains(t, err, "currencies: pay this tutor by hand")
	byTutor := payoutByTutor(t, list)
	require.NotContains(t, byTutor, T, "left for staff")
	require.Contains(t, byTutor, T2)
	requireTotals(t, byTutor[T2], 1, 5000, 1000, 4000, "pending") // manual school: no transfer, staff pay
	require.Empty(t, byTutor[T2].GetString("provider_ref"))

	res, body := getCSV(t, srv, "/api/payouts/export.csv?from=2027-03-01&to=2027-03-08", cast.Tokens[hookstest.Admin])
	require.Equal(t, 200, res.StatusCode, body)
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2)
	require.Equal(t, `'=HYPERLINK("http://evil")`, rows[1][1], "a formula is text")

	path := "/api/payouts/" + byTutor[T2].Id + "/mark-paid"
	bad := hookstest.Call(t, srv, http.MethodPost, path, cast.Tokens[hookstest.Admin], map[string]any{"reference": strings.Repeat("r", 201)})
	require.Equal(t, 400, bad.Status)
	require.Contains(t, string(bad.Body), `"reference":{"code":"validation_max_text_constraint"`)
	s := &shop{app: app, srv: srv}
	bad = rawPost(t, s, path, hookstest.Admin, []byte(`{"reference": 7`))
	require.Equal(t, 400, bad.Status)
	require.Contains(t, string(bad.Body), "Il corpo deve essere JSON") // the cast speaks the school's language (Italian)
	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodPost, path, cast.Tokens[hookstest.Admin], map[string]any{"reference": "CRO 1"}).Status)
	requireNotified(t, app, T2, "payout", 1)

	// staff correct the currency; T2's lesson is refunded after it was
	// paid out: next week pays T's lessons late and owes T2's back
	chf.Set("currency", "EUR")
	require.NoError(t, app.Save(chf))
	payoutRefund(t, app, lesson, 5000, "succeeded")
	w2from, w2to := payoutWeek(t, "2027-03-08", "2027-03-15")
	list, err = hookstest.ServicesOf(app).Payouts.RunPayouts(app, w2from, w2to, payoutNow)
	require.NoError(t, err)
	requireTotals(t, payoutByTutor(t, list)[T], 2, 8000, 1600, 6400, "pending")
	owed := payoutByTutor(t, list)[T2]
	require.Equal(t, -4000, owed.GetInt("net"))
	require.Equal(t, "pending", owed.GetString("status"))
	res2 := hookstest.Call(t, srv, http.MethodPost, "/api/payouts/"+owed.Id+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"reference": "tutor paid back"})
	require.Equal(t, 200, res2.Status, string(res2.Body))
	time.Sleep(50 * time.Millisecond)
	requireNotified(t, app, T2, "payout", 1)
	require.EqualValues(t, 1, countWhere(t, app, "notifications", dbxHash("user", cast.Users[T2], "kind", "payout")), "no money is on its way")
}

// TestPayoutWritesAreAllOrNothing: a payout whose payout, lesson or
// reversal write fails is not made (its lines stay open for the next run),
// and staff marking a payout paid that cannot be saved are refused.
func TestPayoutWritesAreAllOrNothing(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	at := func(day, hour int) time.Time { return time.Date(2027, 3, day, hour, 0, 0, 0, time.UTC) }
	paidOut := payoutLesson(t, app, hookstest.Tutor2, hookstest.Student, at(2, 9), "completed", 5000, "paid")
	w1from, w1to := payoutWeek(t, "2027-03-01", "2027-03-08")
	_, err := hookstest.ServicesOf(app).Payouts.RunPayouts(app, w1from, w1to, payoutNow)
	require.NoError(t, err)
	payoutRefund(t, app, paidOut, 1000, "succeeded")
	open := payoutLesson(t, app, hookstest.Tutor2, hookstest.Student, at(9, 9), "completed", 5000, "paid")
	w2from, w2to := payoutWeek(t, "2027-03-08", "2027-03-15")

	var failing string
	for _, c := range []string{"payouts", "bookings", "refunds"} {
		fail := func(e *core.RecordEvent) error {
			if failing == c {
				return errors.New("disk full")
			}
			return e.Next()
		}
		app.OnRecordCreate(c).BindFunc(fail)
		app.OnRecordUpdate(c).BindFunc(fail)
	}
	for _, c := range []string{"payouts", "bookings", "refunds"} {
		failing = c
		_, err := hookstest.ServicesOf(app).Payouts.RunPayouts(app, w2from, w2to, payoutNow)
		require.ErrorContains(t, err, "disk full", c)
		requireStored(t, app, "bookings", open.Id, "payout", "", c)
		require.Zero(t, countWhere(t, app, "payouts", dbxHash("period_start", platform.DBTime(w2from))), c)
	}
	failing = ""
	list, err := hookstest.ServicesOf(app).Payouts.RunPayouts(app, w2from, w2to, payoutNow)
	require.NoError(t, err)
	p := payoutByTutor(t, list)[hookstest.Tutor2]
	requireTotals(t, p, 1, 4000, 800, 3200, "pending")

	failing = "payouts"
	res := hookstest.Call(t, srv, http.MethodPost, "/api/payouts/"+p.Id+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"reference": "CRO 2"})
	refusedSafely(t, res)
	requireStored(t, app, "payouts", p.Id, "status", "pending")
}
