package billing

// PackagePrice returns what a student is charged for a package: price (the
// whole package, in minor units, before discount) less discountPercent, i.e.
// round(price*(100-discountPercent)/100). 1000 at 15% is 850; 1001 at 50%
// is 500.5, which rounds to 501.
//
// discountPercent is validated by the caller (packages allow 0..90); a value
// outside 0..100 is clamped so the charge is never negative or above price.
func PackagePrice(price, discountPercent int64) int64 {
	return MulDivRound(price, 100-clamp(discountPercent, 0, 100), 100)
}

// LessonPrice returns the price of a pay-per-lesson booking of minutes at
// hourlyRate (minor units per hour): round(hourlyRate*minutes/60).
func LessonPrice(hourlyRate, minutes int64) int64 {
	return MulDivRound(hourlyRate, minutes, 60)
}

// PackageRefund returns the refund for the unused credits of a package
// purchase: round(PackagePrice(price, discountPercent)*unused/lessons),
// capped at what is still refundable (paid-alreadyRefunded) and never
// negative.
//
// The pro-rata share is taken of the whole charge in one division, not as
// unused times [UnitPrice], so refunding every credit gives back exactly
// the charge. unused is clamped to 0..lessons; lessons <= 0 refunds 0.
// price and discountPercent must be the ones the purchase was charged at;
// a caller holding only purchases.amount passes (amount, 0, ...).
func PackageRefund(price, discountPercent, lessons, unused, paid, alreadyRefunded int64) int64 {
	if lessons <= 0 {
		return 0
	}
	unused = clamp(unused, 0, lessons)
	refund := MulDivRound(PackagePrice(price, discountPercent), unused, lessons)
	return clamp(refund, 0, max(paid-alreadyRefunded, 0))
}

// CancelActor is who cancelled a booking; the refund depends on it.
type CancelActor int

// The actors who may cancel a booking.
const (
	// ByStudent is the student who booked (or anyone not listed below).
	ByStudent CancelActor = iota
	// ByTutor is the tutor who teaches the lesson.
	ByTutor
	// ByAdmin is school staff.
	ByAdmin
)

// String returns the actor as the lower-case word used in records and logs.
func (a CancelActor) String() string {
	switch a {
	case ByStudent:
		return "student"
	case ByTutor:
		return "tutor"
	case ByAdmin:
		return "admin"
	default:
		return "unknown"
	}
}

// CancelRefund returns the money refunded when a paid pay-per-lesson
// booking is cancelled: in full when the tutor or an admin cancels or the
// student cancels outside the cancel window; on a late student cancel,
// round(paid*lateRefundPercent/100) (the school's
// late_cancel_refund_percent; 0 keeps everything).
//
// An unknown actor is treated as a student, the rule that refunds least.
// lateRefundPercent is clamped to 0..100 and a non-positive paid refunds 0.
// Package credits follow the same split; see [CreditRestored].
func CancelRefund(paid int64, by CancelActor, late bool, lateRefundPercent int64) int64 {
	if paid <= 0 {
		return 0
	}
	if CreditRestored(by, late) {
		return paid
	}
	return MulDivRound(paid, clamp(lateRefundPercent, 0, 100), 100)
}

// CreditRestored reports whether cancelling a booking paid from a package
// gives its credit back: always when the tutor or an admin cancels, and
// when the student cancels outside the cancel window. A late student
// cancel forfeits the credit.
func CreditRestored(by CancelActor, late bool) bool {
	return by == ByTutor || by == ByAdmin || !late
}
