package hooks_test

import (
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"
	"tutorbase/testkit/debtools"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// lastMonth is the month before the cast's now in Rome ("2026-11") and an
// instant in its middle.
func lastMonth(t *testing.T) (string, time.Time) {
	rome, err := time.LoadLocation("Europe/Rome")
	require.NoError(t, err)
	now := cast.Now().In(rome)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, rome).AddDate(0, -1, 0)
	return first.Format("2006-01"), first.AddDate(0, 0, 14).Add(12 * time.Hour)
}

// statement downloads a statement as role: its status and body.
func statement(t *testing.T, s *shop, role, path string) (int, string) {
	t.Helper()
	res, body := download(t, s.srv, path, cast.Tokens[role])
	if res.StatusCode == 200 { // the PDF's text
		require.Equal(t, "application/pdf", res.Header.Get("Content-Type"))
		require.Contains(t, res.Header.Get("Content-Disposition"), "statement-")
		require.True(t, strings.HasPrefix(string(body), "%PDF-"))
		text, _ := debtools.PDFText(t, body)
		return res.StatusCode, text
	}
	return res.StatusCode, string(body)
}

// A payer's statement of a past month lists that month's payments, refunds
// and credits, in their language, and nobody else's.
func TestPayerStatement(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	month, mid := lastMonth(t)
	p := s.buy(t, hookstest.Student2) // 180.00 for four lessons, paid now
	_, err := s.app.DB().NewQuery("UPDATE payments SET paid_at = {:at} WHERE purchase = {:p}").Bind(dbx.Params{"at": platform.DBTime(mid), "p": p.Id}).Execute()
	require.NoError(t, err)
	_, err = s.app.DB().NewQuery("UPDATE credit_ledger SET created = {:at} WHERE purchase = {:p}").Bind(dbx.Params{"at": platform.DBTime(mid), "p": p.Id}).Execute()
	require.NoError(t, err)

	code, pdf := statement(t, s, hookstest.Student2, "/api/statements/"+month)
	require.Equal(t, 200, code, pdf)
	for _, want := range []string{"Estratto conto di ", "Four lessons", "€ 180,00", "acquistati: +4, restanti 4", "Nessun rimborso.", "Netto"} {
		require.Contains(t, pdf, want)
	}
	code, pdf = statement(t, s, hookstest.Student, "/api/statements/"+month)
	require.Equal(t, 200, code, pdf)
	require.NotContains(t, pdf, "Four lessons", "someone else's payment")
	require.Contains(t, pdf, "Nessun pagamento.")

	code, pdf = statement(t, s, hookstest.Admin, "/api/statements/"+month+"?user="+cast.Users[hookstest.Student2])
	require.Equal(t, 200, code, pdf)
	require.Contains(t, pdf, "Four lessons")

	for path, want := range map[string]string{
		"/api/statements/" + cast.Now().Format("2006-01"): `"month":{"code":"month_not_over","message":"Gli estratti conto sono per i mesi già finiti."`,
		"/api/statements/2026-13":                         `"month":{"code":"invalid_month"`,
		"/api/statements/march":                           `"month":{"code":"invalid_month"`,
	} {
		code, body := statement(t, s, hookstest.Student2, path)
		require.Equal(t, 400, code, path)
		require.Contains(t, body, want, path)
	}
	code, body := statement(t, s, hookstest.Admin, "/api/statements/"+month)
	require.Equal(t, 400, code)
	require.Contains(t, body, `"user":{"code":"validation_required"`)
	code, _ = statement(t, s, hookstest.Visitor, "/api/statements/"+month)
	require.Equal(t, 401, code)
}

// A tutor's statement lists the lessons taught in the month, the payouts
// of its weeks with the school's commission, and what was paid out.
func TestTutorStatement(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	month, mid := lastMonth(t)
	tutor := cast.Tutors[hookstest.Tutor2]
	saveImported(t, s.app, "bookings", map[string]any{"tutor": tutor, "student": cast.Users[hookstest.Student2],
		"start": mid, "end": mid.Add(time.Hour), "status": "completed", "price": 4000, "currency": "EUR"})
	saveImported(t, s.app, "payouts", map[string]any{"tutor": tutor, "period_start": mid, "period_end": mid.AddDate(0, 0, 7), "lessons": 1,
		"gross": 4000, "commission": 800, "net": 3200, "currency": "EUR", "status": "paid"})

	code, pdf := statement(t, s, hookstest.Tutor2, "/api/statements/"+month)
	require.Equal(t, 200, code, pdf)
	for _, want := range []string{"Lezioni svolte", "Lezione con ", "€ 40,00", "commissione € 8,00 (pagato)", "€ 32,00", "Commissione della", "Pagato"} { // a long summary label wraps
		require.Contains(t, pdf, want)
	}
	code, other := statement(t, s, hookstest.Tutor, "/api/statements/"+month)
	require.Equal(t, 200, code)
	require.Contains(t, other, "Nessuna lezione.", "another tutor's month is empty")
	code, asPayer := statement(t, s, hookstest.Tutor2, "/api/statements/"+month+"?as=payer")
	require.Equal(t, 200, code)
	require.Contains(t, asPayer, "Pagamenti")
	code, staff := statement(t, s, hookstest.Admin, "/api/statements/"+month+"?tutor="+tutor)
	require.Equal(t, 200, code)
	require.Contains(t, staff, "€ 32,00")
}
