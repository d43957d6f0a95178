package hooks_test

import (
	"errors"
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
	s := newShop(t)
	p := s.buy(t, hookstest.Student)

	t.Run("expired, the job not run yet", func(t *testing.T) {
		old := s.buy(t, hookstest.Student)
		old.Set("expires_at", cast.Now().Add(-time.Hour))
		require.NoError(t, s.app.Save(old))
		res := s.book(t, hookstest.Student, old.Id, 3, 10)
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), "This package has expired.")
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
