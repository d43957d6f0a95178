package hookstest

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// Invariants checks the money and credit invariants over the whole data
// of app and returns one line per breach (none when all hold):
//
//   - every purchase's ledger sums to its balance (credits_total −
//     credits_used), and its last line's balance_after is that balance;
//   - a paid purchase's credits_used is the number of lessons holding one
//     of its credits (pending, confirmed, completed, no-show, or cancelled
//     late, which forfeits it) plus the credits refunds took back;
//   - a payment's refunded_amount is what its succeeded refunds add up to,
//     and never more than its amount;
//   - invoice numbers run without a gap within each year;
//   - a paid period of a subscription has exactly one payment, paid
//     (or refunded since) and invoiced.
//
// Clone runs it when a test app is cleaned up, so every scenario on a
// clone is checked; tests may call it at any point too.
func Invariants(app core.App) ([]string, error) {
	var out []string
	for _, q := range invariantQueries {
		var rows []struct {
			ID     string `db:"id"`
			Detail string `db:"detail"`
		}
		if err := app.DB().NewQuery(q.sql).All(&rows); err != nil {
			return nil, fmt.Errorf("invariant %q: %w", q.name, err)
		}
		for _, r := range rows {
			out = append(out, fmt.Sprintf("%s: %s (%s)", q.name, r.ID, r.Detail))
		}
	}
	return out, nil
}

// invariantQueries each select the rows that break one invariant.
var invariantQueries = []struct{ name, sql string }{
	{"ledger sums to the balance", `
		SELECT p.id, 'balance ' || (p.credits_total - p.credits_used) || ', ledger ' || COALESCE(SUM(l.delta), 0) AS detail
		FROM purchases p LEFT JOIN credit_ledger l ON l.purchase = p.id
		GROUP BY p.id HAVING COALESCE(SUM(l.delta), 0) != p.credits_total - p.credits_used`},
	{"last ledger line's balance is the balance", `
		SELECT p.id, 'balance ' || (p.credits_total - p.credits_used) || ', last line ' || l.balance_after AS detail
		FROM purchases p JOIN credit_ledger l ON l.rowid = (SELECT MAX(rowid) FROM credit_ledger WHERE purchase = p.id)
		WHERE l.balance_after != p.credits_total - p.credits_used`},
	{"credits used are the lessons holding one", `
		SELECT p.id, 'credits_used ' || p.credits_used || ', lessons ' ||
			(SELECT COUNT(*) FROM bookings b WHERE b.purchase = p.id AND (b.status IN ('pending', 'confirmed', 'completed', 'no_show') OR (b.status = 'cancelled' AND b.late_cancel)))
			|| ', refunded ' || (SELECT COALESCE(-SUM(delta), 0) FROM credit_ledger WHERE purchase = p.id AND kind = 'refunded') AS detail
		FROM purchases p WHERE p.status = 'paid' AND p.credits_used !=
			(SELECT COUNT(*) FROM bookings b WHERE b.purchase = p.id AND (b.status IN ('pending', 'confirmed', 'completed', 'no_show') OR (b.status = 'cancelled' AND b.late_cancel)))
			+ (SELECT COALESCE(-SUM(delta), 0) FROM credit_ledger WHERE purchase = p.id AND kind = 'refunded')`},
	{"refunded amount is the succeeded refunds", `
		SELECT pay.id, 'refunded_amount ' || pay.refunded_amount || ', refunds ' || COALESCE(SUM(r.amount), 0) || ', amount ' || pay.amount AS detail
		FROM payments pay LEFT JOIN refunds r ON r.payment = pay.id AND r.status = 'succeeded'
		GROUP BY pay.id HAVING pay.refunded_amount != COALESCE(SUM(r.amount), 0) OR pay.refunded_amount > pay.amount`},
	{"invoice numbers have no gap", `
		SELECT year AS id, 'count ' || COUNT(*) || ', highest ' || MAX(seq) AS detail
		FROM invoices GROUP BY year HAVING COUNT(*) != MAX(seq) OR MIN(seq) != 1`},
	{"a paid period has one invoiced payment", `
		SELECT p.id, 'invoiced payments ' || COUNT(pay.id) AS detail
		FROM purchases p LEFT JOIN payments pay ON pay.purchase = p.id AND pay.status IN ('paid', 'refunded', 'partially_refunded') AND pay.invoice != ''
		WHERE p.subscription != '' AND p.status = 'paid' GROUP BY p.id HAVING COUNT(pay.id) != 1`},
}

// checkOnCleanup makes app report invariant breaches to t when it is
// cleaned up (tests.TestApp.Cleanup triggers OnTerminate first).
func checkOnCleanup(t errorReporter, app core.App) {
	app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		if e.App.Store().Has(tamperedKey) {
			return e.Next()
		}
		breaches, err := Invariants(e.App)
		if err != nil {
			t.Errorf("checking the money and credit invariants: %v", err)
		}
		for _, b := range breaches {
			t.Errorf("invariant broken: %s", b)
		}
		return e.Next()
	})
}

const tamperedKey = "hookstest.tampered"

// Tampered exempts app from the invariant check at cleanup: for tests
// that write money records as a superuser would in the dashboard, which
// may set any field.
func Tampered(app core.App) { app.Store().Set(tamperedKey, true) }

type errorReporter interface {
	Errorf(format string, args ...any)
}
