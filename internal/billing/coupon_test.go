package billing

import (
	"errors"
	"testing"
	"time"
)

func TestCouponDiscount(t *testing.T) {
	now := time.Date(2027, 3, 10, 12, 0, 0, 0, time.UTC)
	use := CouponUse{Now: now, Kind: CouponPackage, Subject: "math", Tutor: "t1", Price: 18000, Currency: "EUR"}
	with := func(f func(*CouponUse)) CouponUse { u := use; f(&u); return u }
	tests := []struct {
		name    string
		coupon  Coupon
		use     CouponUse
		want    int64
		wantErr error
	}{
		{"percent", Coupon{Percent: 10}, use, 1800, nil},
		{"percent rounds half away from zero", Coupon{Percent: 15}, with(func(u *CouponUse) { u.Price = 1001 }), 150, nil}, // 150.15
		{"percent rounds up", Coupon{Percent: 50}, with(func(u *CouponUse) { u.Price = 1001 }), 501, nil},                  // 500.5
		{"fixed amount", Coupon{AmountOff: 2500, Currency: "EUR"}, use, 2500, nil},
		{"fixed amount, currency in any case", Coupon{AmountOff: 2500, Currency: "eur"}, use, 2500, nil},
		{"fixed amount in another currency", Coupon{AmountOff: 2500, Currency: "USD"}, use, 0, ErrCouponCurrency},
		{"worth the whole price", Coupon{AmountOff: 18000, Currency: "EUR"}, use, 0, ErrCouponWholePrice},
		{"a hundred percent", Coupon{Percent: 100}, use, 0, ErrCouponWholePrice},
		{"not yet", Coupon{Percent: 10, ValidFrom: now.Add(time.Second)}, use, 0, ErrCouponNotYet},
		{"from this very instant", Coupon{Percent: 10, ValidFrom: now}, use, 1800, nil},
		{"until is exclusive", Coupon{Percent: 10, ValidUntil: now}, use, 0, ErrCouponExpired},
		{"until later", Coupon{Percent: 10, ValidUntil: now.Add(time.Second)}, use, 1800, nil},
		{"for lessons only", Coupon{Percent: 10, Kinds: []string{CouponLesson}}, use, 0, ErrCouponNotHere},
		{"for packages and lessons", Coupon{Percent: 10, Kinds: []string{CouponLesson, CouponPackage}}, use, 1800, nil},
		{"another subject", Coupon{Percent: 10, Subjects: []string{"art"}}, use, 0, ErrCouponNotHere},
		{"another tutor", Coupon{Percent: 10, Tutors: []string{"t2"}}, use, 0, ErrCouponNotHere},
		{"this tutor", Coupon{Percent: 10, Tutors: []string{"t2", "t1"}}, use, 1800, nil},
		{"for someone else", Coupon{Percent: 10, People: []string{"u9"}}, with(func(u *CouponUse) { u.People = []string{"u1", "u2"} }), 0, ErrCouponNotYours},
		{"for the student, paid by their guardian", Coupon{Percent: 10, People: []string{"u2"}}, with(func(u *CouponUse) { u.People = []string{"u1", "u2"} }), 1800, nil},
		{"for a named person, nobody known", Coupon{Percent: 10, People: []string{"u2"}}, use, 0, ErrCouponNotYours},
		{"the last use", Coupon{Percent: 10, MaxUses: 10}, with(func(u *CouponUse) { u.Uses = 9 }), 1800, nil},
		{"used up", Coupon{Percent: 10, MaxUses: 10}, with(func(u *CouponUse) { u.Uses = 10 }), 0, ErrCouponUsedUp},
		{"used up by this person", Coupon{Percent: 10, MaxPerPerson: 1}, with(func(u *CouponUse) { u.UsesByPerson = 1 }), 0, ErrCouponPersonLimit},
		{"first purchase only, a newcomer", Coupon{Percent: 10, FirstPurchaseOnly: true}, use, 1800, nil},
		{"first purchase only, a customer", Coupon{Percent: 10, FirstPurchaseOnly: true}, with(func(u *CouponUse) { u.EarlierPurchases = true }), 0, ErrCouponFirstOnly},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.coupon.Discount(tt.use)
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Fatalf("Discount() = %d, %v; want %d, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestNormalizeCode(t *testing.T) {
	for in, want := range map[string]string{" summer10 ": "SUMMER10", "Back-To-School": "BACK-TO-SCHOOL", "": ""} {
		if got := NormalizeCode(in); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", in, got, want)
		}
	}
}
