package hooks_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/credits"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// TestCreditsEdges: a package past its expiry pays for nothing even before
// the expiry job has run; a credit whose ledger line cannot be written is
// not spent, and an expiry that cannot be written leaves the package as it
// was.
func TestCreditsEdges(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	p := s.buy(t, hookstest.Student)

	t.Run("expired, the job not run yet", func(t *testing.T) {
		old := s.buy(t, hookstest.Student)
		old.Set("expires_at", cast.Now().Add(-time.Hour))
		require.NoError(t, s.app.Save(old))
		res := s.book(t, hookstest.Student, old.Id, 3, 10)
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), "Questo pacchetto è scaduto.") // the cast speaks the school's language (Italian)
	})

	failLedger := s.app.OnRecordCreate("credit_ledger").BindFunc(func(*core.RecordEvent) error { return errors.New("disk full") })
	before := countWhere(t, s.app, "bookings", nil)
	res := s.book(t, hookstest.Student, p.Id, 3, 11)
	refusedSafely(t, res)
	require.Equal(t, before, countWhere(t, s.app, "bookings", nil), "no lesson without its ledger line")
	require.Equal(t, []string{"bought 4 4"}, ledger(t, s.app, p.Id))

	require.Error(t, credits.Expire(s.app, cast.Now().Add(60*24*time.Hour)))
	fresh, err := s.app.FindRecordById("purchases", p.Id)
	require.NoError(t, err)
	require.Equal(t, "paid", fresh.GetString("status"), "rolled back whole")
	require.Zero(t, fresh.GetInt("credits_used"))
	s.app.OnRecordCreate("credit_ledger").Unbind(failLedger)

	s.app.OnRecordUpdate("purchases").BindFunc(func(*core.RecordEvent) error { return errors.New("disk full") })
	require.Error(t, credits.Expire(s.app, cast.Now().Add(60*24*time.Hour)))
	require.Equal(t, []string{"bought 4 4"}, ledger(t, s.app, p.Id))
}

// TestCreditOfAnEndedPackage: a lesson of a package that has since expired,
// cancelled in time, gives no credit back (the ledger says why); a
// purchase staff record without a lesson count gets the package's.
func TestCreditOfAnEndedPackage(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	p := s.buy(t, hookstest.Student)
	res := s.book(t, hookstest.Student, p.Id, 5, 10)
	require.Equal(t, 200, res.Status, string(res.Body))
	lesson := res.JSON()["id"].(string)
	fresh, err := s.app.FindRecordById("purchases", p.Id)
	require.NoError(t, err)
	require.NoError(t, credits.Expire(s.app, fresh.GetDateTime("expires_at").Time()))
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+lesson+"/cancel", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	lines := ledger(t, s.app, p.Id)
	require.Equal(t, "returned 0 0", lines[len(lines)-1])
	fresh, err = s.app.FindRecordById("purchases", p.Id)
	require.NoError(t, err)
	require.Equal(t, "expired", fresh.GetString("status"))

	staff := saveImported(t, s.app, "purchases", map[string]any{"student": cast.Users[hookstest.Student2], "package": s.pkg,
		"tutor": cast.Tutors[hookstest.Tutor2], "amount": 18000, "currency": "EUR", "status": "pending", "provider": "manual"})
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/"+staff.Id+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"})
	require.Equal(t, 200, res.Status, string(res.Body))
	require.EqualValues(t, 4, res.JSON()["credits_total"], "the package's four lessons")
}
