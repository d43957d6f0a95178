package payments

import (
	"cmp"
	"errors"
	"net/http"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// Redemption statuses: held while the payment is pending, redeemed once it
// is paid, released when it fails (the use is given back).
const (
	RedemptionHeld     = "held"
	RedemptionRedeemed = "redeemed"
	RedemptionReleased = "released"
)

// redemptionFor is what a payment's status makes of its redemption.
var redemptionFor = map[string]string{
	PaymentPending: RedemptionHeld, PaymentFailed: RedemptionReleased,
	PaymentPaid: RedemptionRedeemed, PaymentRefunded: RedemptionRedeemed, PaymentPartiallyRefunded: RedemptionRedeemed,
}

func (s *Service) registerCoupons(app core.App) {
	platform.OneLine(app, "coupons", "description")
	app.OnRecordValidate("coupons").BindFunc(validateCoupon)
	// a redemption follows its payment, in the payment's transaction
	app.OnRecordUpdate("payments").BindFunc(func(e *core.RecordEvent) error {
		to := redemptionFor[e.Record.GetString("status")]
		if to == "" || e.Record.Original().GetString("status") == e.Record.GetString("status") {
			return e.Next()
		}
		outer := e.App
		defer func() { e.App = outer }()
		return outer.RunInTransaction(func(tx core.App) error {
			e.App = tx
			if err := e.Next(); err != nil {
				return err
			}
			_, err := tx.DB().NewQuery("UPDATE coupon_redemptions SET status = {:to}, updated = {:now} WHERE payment = {:payment} AND status != {:to}").
				Bind(dbx.Params{"to": to, "now": platform.DBTime(s.env.Now()), "payment": e.Record.Id}).Execute()
			return err
		})
	})
}

// validateCoupon normalises a coupon's code and checks its terms hang
// together: a percentage or an amount (in a currency), a window that ends
// after it starts.
func validateCoupon(e *core.RecordEvent) error {
	r := e.Record
	r.Set("code", billing.NormalizeCode(r.GetString("code")))
	errs := validation.Errors{}
	if (r.GetInt("percent") > 0) == (r.GetInt("amount_off") > 0) {
		errs["percent"] = validation.NewError("percent_or_amount", "A coupon takes off either a percentage or an amount.")
	}
	if r.GetInt("amount_off") > 0 && r.GetString("currency") == "" {
		errs["currency"] = validation.NewError("validation_required", "A coupon of a fixed amount needs its currency.")
	}
	from, until := r.GetDateTime("valid_from"), r.GetDateTime("valid_until")
	if !until.IsZero() && !until.Time().After(from.Time()) {
		errs["valid_until"] = validation.NewError("bad_window", "The coupon must end after it starts.")
	}
	return platform.MergeErrors(e.Next(), errs)
}

// couponOf reads a coupon record into billing's terms.
func couponOf(r *core.Record) billing.Coupon {
	return billing.Coupon{
		Percent: int64(r.GetInt("percent")), AmountOff: int64(r.GetInt("amount_off")), Currency: r.GetString("currency"),
		Kinds: r.GetStringSlice("kinds"), Subjects: r.GetStringSlice("subjects"), Tutors: r.GetStringSlice("tutors"),
		ValidFrom: r.GetDateTime("valid_from").Time(), ValidUntil: r.GetDateTime("valid_until").Time(),
		MaxUses: int64(r.GetInt("max_uses")), MaxPerPerson: int64(r.GetInt("max_per_person")),
		FirstPurchaseOnly: r.GetBool("first_purchase_only"), People: r.GetStringSlice("people"),
	}
}

// applyCoupon uses code on a pending payment, in the checkout's
// transaction: the coupon's uses are counted and the redemption written
// under the write lock, so concurrent checkouts can never pass its limits.
// The payment (and the purchase) then cost the price less the discount.
// Using the same code again on the same payment changes nothing.
func (s *Service) applyCoupon(tx core.App, code string, pay, target *core.Record) (*core.Record, error) {
	code = billing.NormalizeCode(code)
	if old, err := tx.FindFirstRecordByFilter("coupon_redemptions", "payment = {:p} && status != 'released'", dbx.Params{"p": pay.Id}); err == nil {
		if old.GetString("code") == code {
			return old, nil
		}
		return nil, platform.RuleError(http.StatusBadRequest, "code", "coupon_taken", "This payment already uses another code.")
	}
	if pay.GetString("checkout_session") != "" {
		return nil, platform.RuleError(http.StatusBadRequest, "code", "coupon_late", "This payment has already started; cancel it and check out again to use a code.")
	}
	c, err := tx.FindFirstRecordByFilter("coupons", "code = {:code} && active = true", dbx.Params{"code": code})
	if err != nil {
		return nil, platform.RuleError(http.StatusBadRequest, "code", "coupon_unknown", "This code is not valid.")
	}
	use, err := s.couponUse(tx, c, pay, target)
	if err != nil {
		return nil, err
	}
	off, err := couponOf(c).Discount(use)
	if err != nil {
		return nil, couponRefusal(err)
	}
	pay.Set("amount", pay.GetInt("amount")-int(off))
	if err := tx.Save(pay); err != nil {
		return nil, err
	}
	if target.Collection().Name == "purchases" {
		target.Set("amount", target.GetInt("amount")-int(off))
		if err := tx.Save(target); err != nil {
			return nil, err
		}
	}
	col, err := tx.FindCachedCollectionByNameOrId("coupon_redemptions")
	if err != nil {
		return nil, err
	}
	red := core.NewRecord(col)
	red.Load(map[string]any{
		"coupon": c.Id, "user": pay.GetString("user"), "payment": pay.Id, "code": code, "amount": off,
		"currency": pay.GetString("currency"), "status": RedemptionHeld,
	})
	red.Set(map[string]string{"purchases": "purchase", "bookings": "booking"}[target.Collection().Name], target.Id)
	return red, tx.Save(red)
}

// couponUse is what billing needs to judge a use of c on pay: what is
// bought, and the coupon's and the payer's earlier uses, read in tx.
func (s *Service) couponUse(tx core.App, c, pay, target *core.Record) (billing.CouponUse, error) {
	u := billing.CouponUse{
		Now: s.env.Now(), Kind: billing.CouponLesson, Subject: target.GetString("subject"), Tutor: target.GetString("tutor"),
		Price: int64(pay.GetInt("amount")), Currency: pay.GetString("currency"),
		People: []string{pay.GetString("user"), cmp.Or(pay.GetString("student"), pay.GetString("user"))},
	}
	if target.Collection().Name == "purchases" {
		u.Kind = billing.CouponPackage
		if pkg, err := tx.FindRecordById("packages", target.GetString("package")); err == nil {
			u.Subject = pkg.GetString("subject")
		}
	}
	var err error
	live := dbx.And(dbx.HashExp{"coupon": c.Id}, dbx.Not(dbx.HashExp{"status": RedemptionReleased}))
	if u.Uses, err = tx.CountRecords("coupon_redemptions", live); err != nil {
		return u, err
	}
	if u.UsesByPerson, err = tx.CountRecords("coupon_redemptions", live, dbx.HashExp{"user": pay.GetString("user")}); err != nil {
		return u, err
	}
	earlier, err := tx.CountRecords("payments", dbx.HashExp{"user": pay.GetString("user"), "status": []any{PaymentPaid, PaymentRefunded, PaymentPartiallyRefunded}})
	u.EarlierPurchases = earlier > 0
	return u, err
}

// couponRefusal is the client's answer to a coupon billing refused.
func couponRefusal(err error) *router.ApiError {
	switch {
	case errors.Is(err, billing.ErrCouponNotYet):
		return platform.RuleError(http.StatusBadRequest, "code", "coupon_not_yet", "This code is not valid yet.")
	case errors.Is(err, billing.ErrCouponExpired):
		return platform.RuleError(http.StatusBadRequest, "code", "coupon_expired", "This code has expired.")
	case errors.Is(err, billing.ErrCouponUsedUp):
		return platform.RuleError(http.StatusBadRequest, "code", "coupon_used_up", "This code has been used up.")
	case errors.Is(err, billing.ErrCouponPersonLimit):
		return platform.RuleError(http.StatusBadRequest, "code", "coupon_used_up", "You have already used this code.")
	case errors.Is(err, billing.ErrCouponNotYours):
		return platform.RuleError(http.StatusBadRequest, "code", "coupon_not_yours", "This code was given to someone else.")
	case errors.Is(err, billing.ErrCouponFirstOnly):
		return platform.RuleError(http.StatusBadRequest, "code", "coupon_first_only", "This code is for a first purchase only.")
	case errors.Is(err, billing.ErrCouponCurrency):
		return platform.RuleError(http.StatusBadRequest, "code", "coupon_not_here", "This code is in another currency.")
	case errors.Is(err, billing.ErrCouponWholePrice):
		return platform.RuleError(http.StatusBadRequest, "code", "coupon_not_here", "This code is worth the whole price; ask the school.")
	}
	return platform.RuleError(http.StatusBadRequest, "code", "coupon_not_here", "This code is not valid for this purchase.")
}

// liveRedemption is the redemption a payment used (nil: none, or released).
func liveRedemption(app core.App, payment string) *core.Record {
	r, err := app.FindFirstRecordByFilter("coupon_redemptions", "payment = {:p} && status != 'released'", dbx.Params{"p": payment})
	if err != nil {
		return nil
	}
	return r
}
