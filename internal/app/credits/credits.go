// Package credits is the lesson credits of paid packages: spent when a
// lesson is booked with one, returned or forfeited when it is cancelled,
// moved when it is rescheduled, expired with the package, taken back by a
// refund. Every movement is a line of the purchase's ledger, written in the
// transaction of the change, so the ledger always sums to the balance.
package credits

import (
	"net/http"
	"strconv"
	"time"

	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// Credit ledger kinds: every movement of a purchase's credits.
const (
	LedgerBought    = "bought"    // a paid purchase grants its lessons
	LedgerSpent     = "spent"     // a lesson was booked with a credit
	LedgerReturned  = "returned"  // the lesson was cancelled in time, or by the tutor or school
	LedgerForfeited = "forfeited" // the student cancelled late: the credit stays spent
	LedgerExpired   = "expired"   // the purchase ran out with credits unused
	LedgerRefunded  = "refunded"  // unused credits were refunded
	LedgerMoved     = "moved"     // a rescheduled lesson took its credit along
)

// CodeNoCredit is rule 6's code, on the purchase field.
const CodeNoCredit = "no_credit"

func NoCredit(msg string) *router.ApiError {
	return platform.RuleError(http.StatusBadRequest, "purchase", CodeNoCredit, msg)
}

// Left is what a purchase still holds.
func Left(p *core.Record) int { return p.GetInt("credits_total") - p.GetInt("credits_used") }

// addLedger writes one ledger entry for p, in the caller's transaction.
func addLedger(tx core.App, p *core.Record, booking, kind string, delta int, note string) error {
	col, err := tx.FindCachedCollectionByNameOrId("credit_ledger")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	student := p.GetString("student")
	if booking != "" { // a family's package: the line is the child's
		var row struct {
			Student string `db:"student"`
		}
		if err := tx.DB().Select("student").From("bookings").Where(dbx.HashExp{"id": booking}).One(&row); err == nil {
			student = row.Student
		}
	}
	r.Load(map[string]any{
		"student": student, "purchase": p.Id, "booking": booking, "kind": kind,
		"delta": delta, "balance_after": Left(p), "note": note,
	})
	return tx.Save(r)
}

// Usable checks that p can pay for booking b at now: the student's
// own (or their guardian's, a family's package), paid, unexpired, for this
// tutor and lesson length. It does not look at the credits left
// (spendCredit does, under the write lock).
func Usable(app core.App, p, b *core.Record, now time.Time) *router.ApiError {
	switch {
	case p.GetString("student") != b.GetString("student") && !isFamilyOf(app, p, b):
		return NoCredit("This package was bought by someone else.")
	case p.GetString("status") != "paid":
		return NoCredit("This package is not paid yet.")
	case !p.GetDateTime("expires_at").IsZero() && !now.Before(p.GetDateTime("expires_at").Time()):
		return NoCredit("This package has expired.")
	case p.GetString("tutor") != "" && p.GetString("tutor") != b.GetString("tutor"):
		return NoCredit("This package is for lessons with another tutor.")
	case paused(app, p, now):
		return NoCredit("The payment of this subscription failed: update your card to book with its credits.")
	}
	return fitsPackage(p, b)
}

// paused reports whether p is a period of a subscription whose payment
// failed longer ago than its plan's grace period: its credits book
// nothing until a payment goes through.
func paused(app core.App, p *core.Record, now time.Time) bool {
	id := p.GetString("subscription")
	if id == "" {
		return false
	}
	sub, err := app.FindRecordById("subscriptions", id)
	if err != nil || sub.GetString("status") != "past_due" {
		return false
	}
	grace := sub.GetDateTime("grace_until")
	return !grace.IsZero() && !now.Before(grace.Time())
}

// fitsPackage checks that booking b lasts as long as p's lessons: a credit
// pays for one lesson of the package's length, when it has one.
func fitsPackage(p, b *core.Record) *router.ApiError {
	lesson := int(b.GetDateTime("end").Time().Sub(b.GetDateTime("start").Time()) / time.Minute)
	if p.GetInt("minutes") > 0 && p.GetInt("minutes") != lesson {
		return NoCredit("This package's lessons last " + strconv.Itoa(p.GetInt("minutes")) + " minutes.")
	}
	return nil
}

// Spend is rule 6, inside the booking's write transaction (after its
// insert, so the ledger can name it): one credit of the purchase is used.
// Two bookings racing for the last credit are serialised by the
// transaction: the second sees none left and rolls back. moved: a
// reschedule carries the old lesson's credit, nothing is spent.
func (s *Service) Spend(tx core.App, b *core.Record, now time.Time, moved bool) error {
	p, err := tx.FindRecordById("purchases", b.GetString("purchase"))
	if err != nil {
		return NoCredit("Unknown purchase.")
	}
	if moved { // the credit was spent when the lesson was first booked
		if err := fitsPackage(p, b); err != nil {
			return err
		}
		return addLedger(tx, p, b.Id, LedgerMoved, 0, "")
	}
	if err := Usable(tx, p, b, now); err != nil {
		return err
	}
	if Left(p) <= 0 {
		return NoCredit("No lessons left on this package.")
	}
	p.Set("credits_used", p.GetInt("credits_used")+1)
	if err := tx.Save(p); err != nil {
		return err
	}
	if err := addLedger(tx, p, b.Id, LedgerSpent, -1, ""); err != nil {
		return err
	}
	if school, err := platform.LoadSchool(tx); err == nil && Left(p) <= school.LowCreditThreshold {
		s.notes.Notify(tx, []string{p.GetString("student")}, notify.Event{Kind: notify.KindCreditsLow, Credits: Left(p),
			ExpiresAt: p.GetDateTime("expires_at").Time(), Link: tx.Settings().Meta.AppURL + "/credits"},
			map[string]any{"purchase": p.Id})
	}
	return nil
}

// Release settles the credit of a cancelled lesson paid from a
// package: a late cancel by the student forfeits it; anything else returns
// it.
func Release(tx core.App, b *core.Record, late bool) error {
	p, err := tx.FindRecordById("purchases", b.GetString("purchase"))
	if err != nil {
		return err
	}
	if late {
		return addLedger(tx, p, b.Id, LedgerForfeited, 0, "")
	}
	if p.GetString("status") != "paid" { // expired or refunded meanwhile: nothing to give back
		return addLedger(tx, p, b.Id, LedgerReturned, 0, "The package is "+p.GetString("status")+": no credit returned.")
	}
	if p.GetInt("credits_used") > 0 {
		p.Set("credits_used", p.GetInt("credits_used")-1)
		if err := tx.Save(p); err != nil {
			return err
		}
	}
	return addLedger(tx, p, b.Id, LedgerReturned, 1, "")
}

// Price is what one lesson of a purchase is worth: the amount paid
// over the lessons bought (DESIGN.md's rounding), the value a tutor's
// payout counts.
func Price(p *core.Record) int64 {
	if n := int64(p.GetInt("lessons")); n > 0 {
		return billing.MulDivRound(int64(p.GetInt("amount")), 1, n)
	}
	return 0
}

// Fulfil marks a purchase paid (an admin's manual payment or a
// verified Stripe event) and grants its credits, valid for the package's
// valid_days from paidAt (a subscription's period keeps the expiry it was
// given). Call it inside a transaction.
func Fulfil(tx core.App, p *core.Record, provider, ref string, paidAt time.Time) error {
	lessons := p.GetInt("lessons")
	if p.GetString("package") != "" {
		pkg, err := tx.FindRecordById("packages", p.GetString("package"))
		if err != nil {
			return err
		}
		if lessons == 0 {
			lessons = pkg.GetInt("lessons")
		}
		p.Set("expires_at", paidAt.Add(time.Duration(pkg.GetInt("valid_days"))*24*time.Hour))
	}
	p.Set("status", "paid")
	p.Set("provider", provider)
	p.Set("provider_ref", ref)
	p.Set("paid_at", paidAt)
	p.Set("credits_total", lessons)
	if err := tx.Save(p); err != nil {
		return err
	}
	return addLedger(tx, p, "", LedgerBought, lessons, "")
}

// Expire ends paid purchases past their expiry date; their unused
// credits are recorded as expired.
func Expire(app core.App, now time.Time) error {
	for {
		batch, err := app.FindRecordsByFilter("purchases", "status = 'paid' && expires_at != '' && expires_at <= {:now}", "expires_at", 100, 0,
			dbx.Params{"now": platform.DBTime(now)})
		if err != nil {
			return err
		}
		for _, p := range batch {
			err := app.RunInTransaction(func(tx core.App) error {
				left := Left(p)
				p.Set("status", "expired")
				p.Set("credits_used", p.GetInt("credits_total"))
				if err := tx.Save(p); err != nil {
					return err
				}
				return addLedger(tx, p, "", LedgerExpired, -left, "")
			})
			if err != nil {
				return err
			}
		}
		if len(batch) < 100 {
			return nil
		}
	}
}

// ExpireSome expires n unused credits of a paid purchase that stays paid
// (a subscription's period whose credits roll over only up to the plan's
// limit): its total goes down, so the credits used keep counting the
// lessons that hold one.
func ExpireSome(tx core.App, p *core.Record, n int, note string) error {
	n = min(n, Left(p))
	if n <= 0 {
		return nil
	}
	p.Set("credits_total", p.GetInt("credits_total")-n)
	if err := tx.Save(p); err != nil {
		return err
	}
	return addLedger(tx, p, "", LedgerExpired, -n, note)
}

// TakeBack takes back up to n unused credits of a refunded purchase.
func TakeBack(tx core.App, purchaseId string, n int, refundId string, whole bool) error {
	p, err := tx.FindRecordById("purchases", purchaseId)
	if err != nil {
		return err
	}
	n = min(n, Left(p))
	p.Set("credits_used", p.GetInt("credits_used")+n)
	if whole || Left(p) == 0 {
		p.Set("status", "refunded")
	}
	if err := tx.Save(p); err != nil {
		return err
	}
	return addLedger(tx, p, "", LedgerRefunded, -n, "refund "+refundId)
}

// Service spends credits and tells students when few are left.
type Service struct {
	notes *notifications.Service
}

// New returns the credits of an app that notifies through notes.
func New(notes *notifications.Service) *Service { return &Service{notes: notes} }

// isFamilyOf reports whether p is a family's package (bought by a
// guardian for themselves) and b's student is one of that guardian's.
func isFamilyOf(app core.App, p, b *core.Record) bool {
	ok, err := platform.IsGuardianOf(app, p.GetString("student"), b.GetString("student"))
	return err == nil && ok
}
