package subscriptions

import (
	"cmp"
	"fmt"
	"time"

	"tutorbase/internal/app/credits"
	"tutorbase/internal/app/payments"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// period is one paid period of a subscription.
type period struct {
	start, end time.Time
	amount     int64  // what was paid
	currency   string // "": the plan's
	paid       payments.Paid
}

// addPeriod records, in tx, a paid period of sub: the earlier periods'
// unused credits beyond the plan's roll-over limit expire, then a purchase
// of the plan's credits (usable until the end of the following period),
// its payment, paid, and its invoice. A period already recorded adds
// nothing (false). From its second period on, a plan chosen for the next
// period takes over.
func (s *Service) addPeriod(tx core.App, sub *core.Record, p period) (bool, error) {
	if n, err := tx.CountRecords("purchases", dbx.HashExp{"subscription": sub.Id, "period_start": platform.DBTime(p.start)}); err != nil || n > 0 {
		return false, err
	}
	if next := sub.GetString("next_plan"); next != "" && !sub.GetDateTime("current_period_end").IsZero() {
		sub.Set("plan", next)
		sub.Set("next_plan", "")
	}
	plan, err := tx.FindRecordById("plans", sub.GetString("plan"))
	if err != nil {
		return false, err
	}
	school, err := platform.LoadSchool(tx)
	if err != nil {
		return false, err
	}
	if err := capRollover(tx, sub.Id, plan.GetInt("rollover_max")); err != nil {
		return false, err
	}
	purchase, err := newPeriodPurchase(tx, sub, plan, p, school.Location)
	if err != nil {
		return false, err
	}
	pay, err := newPeriodPayment(tx, sub, purchase, plan, p, school.Location)
	if err != nil {
		return false, err
	}
	if err := s.payments.RecordPayment(tx, pay, p.paid); err != nil {
		return false, err
	}
	if p.end.After(sub.GetDateTime("current_period_end").Time()) {
		sub.Set("current_period_start", p.start)
		sub.Set("current_period_end", p.end)
		if sub.GetString("status") != StatusCancelled { // the latest period is paid: bookings go on
			sub.Set("status", StatusActive)
			sub.Set("grace_until", "")
		}
	}
	return true, tx.Save(sub)
}

// capRollover expires the unused credits of sub's earlier periods beyond
// limit, oldest first.
func capRollover(tx core.App, subID string, limit int) error {
	earlier, err := tx.FindRecordsByFilter("purchases", "subscription = {:s} && status = 'paid'", "period_start", 0, 0, dbx.Params{"s": subID})
	if err != nil {
		return err
	}
	left := make([]int, len(earlier))
	for i, p := range earlier {
		left[i] = credits.Left(p)
	}
	for i, n := range billing.RolloverExcess(left, limit) {
		if err := credits.ExpireSome(tx, earlier[i], n, fmt.Sprintf("over the plan's roll-over limit of %d", limit)); err != nil {
			return err
		}
	}
	return nil
}

func newPeriodPurchase(tx core.App, sub, plan *core.Record, p period, loc *time.Location) (*core.Record, error) {
	col, err := tx.FindCachedCollectionByNameOrId("purchases")
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{
		"student": sub.GetString("student"), "payer": sub.GetString("user"), "subscription": sub.Id, "tutor": plan.GetString("tutor"),
		"lessons": plan.GetInt("credits"), "minutes": plan.GetInt("minutes"), "list_price": p.amount, "amount": p.amount,
		"currency": cmp.Or(p.currency, plan.GetString("currency")), "status": "pending", "provider": p.paid.Provider,
		"credits_total": 0, "credits_used": 0, "period_start": p.start, "period_end": p.end,
		// the credits roll over into the next period, and no further
		"expires_at": billing.NextPeriod(p.end, plan.GetString("interval"), loc),
	})
	return r, tx.Save(r)
}

func newPeriodPayment(tx core.App, sub, purchase, plan *core.Record, p period, loc *time.Location) (*core.Record, error) {
	col, err := tx.FindCachedCollectionByNameOrId("payments")
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{
		"user": sub.GetString("user"), "payer": sub.GetString("user"), "student": sub.GetString("student"), "purchase": purchase.Id,
		"kind": "subscription", "amount": p.amount, "currency": purchase.GetString("currency"), "status": payments.PaymentPending,
		"provider": p.paid.Provider, "description": PeriodLine(plan.GetString("title"), p.start, p.end, loc),
	})
	return r, tx.Save(r)
}

// PeriodLine is a period's line on its payment and invoice: the plan and
// its days in the school's zone (the end day is the last one paid).
func PeriodLine(title string, start, end time.Time, loc *time.Location) string {
	return fmt.Sprintf("%s, %s – %s", title, start.In(loc).Format(time.DateOnly), end.In(loc).Add(-time.Second).Format(time.DateOnly))
}
