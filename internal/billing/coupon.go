package billing

import (
	"errors"
	"slices"
	"strings"
	"time"
)

// Coupon is a promotion's terms, as the coupons collection stores them:
// either Percent off (1..100) or AmountOff minor units of Currency off,
// for some kinds of purchase, within a validity window, a total and a
// per-person number of uses. Empty Kinds, Subjects or Tutors mean any.
type Coupon struct {
	Percent           int64
	AmountOff         int64
	Currency          string
	Kinds             []string // CouponPackage, CouponLesson
	Subjects, Tutors  []string // record ids
	ValidFrom         time.Time
	ValidUntil        time.Time // exclusive; zero: no end
	MaxUses           int64     // 0: no limit
	MaxPerPerson      int64     // 0: no limit
	FirstPurchaseOnly bool
	People            []string // users ids it is for (payer or student); empty: anyone
}

// What a coupon may be for.
const (
	CouponPackage = "package"
	CouponLesson  = "lesson"
)

// CouponUse is one attempt to use a coupon: what is bought, when, and what
// the coupon's record says of its earlier uses (uses still held by an
// unpaid checkout count, so the limit can never be passed).
type CouponUse struct {
	Now              time.Time
	Kind             string
	Subject, Tutor   string
	Price            int64
	Currency         string
	Uses             int64    // every use of the coupon so far
	UsesByPerson     int64    // this person's
	EarlierPurchases bool     // the person has paid for something before
	People           []string // users ids of the payer and the student it is for
}

// Why a coupon cannot be used; the caller maps each to a client message.
var (
	ErrCouponNotYet      = errors.New("billing: coupon not valid yet")
	ErrCouponExpired     = errors.New("billing: coupon expired")
	ErrCouponNotHere     = errors.New("billing: coupon not for this purchase")
	ErrCouponNotYours    = errors.New("billing: coupon for someone else")
	ErrCouponUsedUp      = errors.New("billing: coupon used up")
	ErrCouponPersonLimit = errors.New("billing: coupon used up by this person")
	ErrCouponFirstOnly   = errors.New("billing: coupon for a first purchase only")
	ErrCouponCurrency    = errors.New("billing: coupon in another currency")
	ErrCouponWholePrice  = errors.New("billing: coupon worth the whole price")
)

// Discount returns what c takes off u.Price, or why it cannot be used. A
// percentage rounds like every amount here ([MulDivRound]); a fixed amount
// must be in the price's currency. The discount is never the whole price:
// a payment of nothing is not a payment, so such a use is refused
// ([ErrCouponWholePrice]) rather than charged at zero.
func (c Coupon) Discount(u CouponUse) (int64, error) {
	switch {
	case u.Now.Before(c.ValidFrom):
		return 0, ErrCouponNotYet
	case !c.ValidUntil.IsZero() && !u.Now.Before(c.ValidUntil):
		return 0, ErrCouponExpired
	case !allows(c.Kinds, u.Kind) || !allows(c.Subjects, u.Subject) || !allows(c.Tutors, u.Tutor):
		return 0, ErrCouponNotHere
	case len(c.People) > 0 && !slices.ContainsFunc(u.People, func(p string) bool { return slices.Contains(c.People, p) }):
		return 0, ErrCouponNotYours
	case c.MaxUses > 0 && u.Uses >= c.MaxUses:
		return 0, ErrCouponUsedUp
	case c.MaxPerPerson > 0 && u.UsesByPerson >= c.MaxPerPerson:
		return 0, ErrCouponPersonLimit
	case c.FirstPurchaseOnly && u.EarlierPurchases:
		return 0, ErrCouponFirstOnly
	case c.Percent <= 0 && !strings.EqualFold(c.Currency, u.Currency):
		return 0, ErrCouponCurrency
	}
	off := c.AmountOff
	if c.Percent > 0 {
		off = MulDivRound(u.Price, clamp(c.Percent, 0, 100), 100)
	}
	if off >= u.Price {
		return 0, ErrCouponWholePrice
	}
	return max(off, 0), nil
}

// allows reports whether a restriction list admits v (an empty list
// admits anything).
func allows(list []string, v string) bool {
	return len(list) == 0 || slices.Contains(list, v)
}

// NormalizeCode is a coupon code as stored and compared: trimmed and upper
// case, so "summer10 " and "SUMMER10" are one code.
func NormalizeCode(code string) string {
	return strings.ToUpper(strings.TrimSpace(code))
}
