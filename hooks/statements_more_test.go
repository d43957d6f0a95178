package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// speaks sets a person's language.
func speaks(t *testing.T, s *shop, role, locale string) {
	t.Helper()
	u := reloaded(t, s.app, "users", cast.Users[role])
	u.Set("locale", locale)
	require.NoError(t, s.app.Save(u))
}

// An English-speaking payer's statement is in English: the month's
// payment and the refund they received (with its reason, taken off the
// net), and their credits; an English-speaking tutor's lists a no-show
// as such.
func TestStatementsInEnglish(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	month, mid := lastMonth(t)
	speaks(t, s, hookstest.Student2, "en")
	speaks(t, s, hookstest.Tutor2, "en")
	p := s.buy(t, hookstest.Student2) // 180.00 for four lessons
	pay, err := s.app.FindFirstRecordByData("payments", "purchase", p.Id)
	require.NoError(t, err)
	res := hookstest.Call(t, s.srv, http.MethodPost, "/api/payments/"+pay.Id+"/refund", cast.Tokens[hookstest.Admin], map[string]any{"amount": 4500, "reason": "One lesson back"})
	require.Equal(t, 200, res.Status, string(res.Body))
	at := dbx.Params{"at": platform.DBTime(mid), "p": p.Id, "pay": pay.Id}
	for _, q := range []string{
		"UPDATE payments SET paid_at = {:at} WHERE purchase = {:p}",
		"UPDATE credit_ledger SET created = {:at} WHERE purchase = {:p}",
		"UPDATE refunds SET updated = {:at} WHERE payment = {:pay}",
	} {
		_, err := s.app.DB().NewQuery(q).Bind(at).Execute()
		require.NoError(t, err)
	}
	first, err := time.Parse("2006-01", month)
	require.NoError(t, err)
	code, pdf := statement(t, s, hookstest.Student2, "/api/statements/"+month)
	require.Equal(t, 200, code, pdf)
	for _, want := range []string{"Statement for " + first.Format("January 2006"), "Payments", "Four lessons", "Refunds", "One lesson back",
		"Lesson credits", "bought: +4, left 4", "Net", mid.In(romeZone(t)).Format("2 Jan 2006")} {
		require.Contains(t, pdf, want)
	}
	require.NotContains(t, pdf, "No refunds.")

	saveImported(t, s.app, "bookings", map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "student": cast.Users[hookstest.Student2],
		"start": mid, "end": mid.Add(time.Hour), "status": "no_show", "price": 4000, "currency": "EUR"})
	code, pdf = statement(t, s, hookstest.Tutor2, "/api/statements/"+month)
	require.Equal(t, 200, code, pdf)
	for _, want := range []string{"Lessons taught", "(no-show)", "No payouts.", "School commission", "Paid out"} {
		require.Contains(t, pdf, want)
	}
}

// Staff naming a tutor or a payer that does not exist get a 404, not an
// empty statement.
func TestStatementOfNobody(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	month, _ := lastMonth(t)
	for _, q := range []string{"?tutor=nosuchtutor000", "?user=nosuchuser0000"} {
		code, body := statement(t, s, hookstest.Admin, "/api/statements/"+month+q)
		require.Equal(t, 404, code, "%s: %s", q, body)
	}
	code, body := statement(t, s, hookstest.Student, "/api/statements/"+month+"?user="+cast.Users[hookstest.Student2])
	require.Equal(t, 200, code, body)
	require.NotContains(t, body, "Otto Other", "a payer reads their own statement whatever they name")
	require.Contains(t, body, "Stella Student")
}

func romeZone(t *testing.T) *time.Location {
	t.Helper()
	rome, err := time.LoadLocation("Europe/Rome")
	require.NoError(t, err)
	return rome
}
