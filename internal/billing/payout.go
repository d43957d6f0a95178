package billing

// PayoutLine is one lesson's contribution to a tutor's payout: the amount
// the lesson earned, or a negative amount reversing a lesson paid out in
// an earlier period and refunded since.
type PayoutLine struct {
	Booking string
	Amount  int64
}

// PayoutTotals is a payout's summary, as stored on the payouts record.
type PayoutTotals struct {
	Lessons    int
	Gross      int64
	Commission int64
	Net        int64
}

// Payout turns a tutor's completed lessons of one period into one payout:
// Gross is the sum of the amounts (reversals included), Commission the
// school's share of it by [Commission], Net what the tutor receives, and
// Lessons the number of lines with a positive amount. Commission is taken
// once on the gross, not per lesson, for the reason given at
// [InvoiceTotals].
//
// Net can be zero or negative when reversals outweigh new lessons; the
// caller decides whether to carry it to the next period rather than pay
// it.
func Payout(lines []PayoutLine, commissionBP int64) PayoutTotals {
	var t PayoutTotals
	for _, l := range lines {
		t.Gross += l.Amount
		if l.Amount > 0 {
			t.Lessons++
		}
	}
	t.Commission, t.Net = Commission(t.Gross, commissionBP)
	return t
}

// Commission splits gross between the school and the tutor:
// commission = round(gross*commissionBP/10000) and net = gross-commission.
// A negative gross gives the mirror of the positive one (-1000 at 20% is
// -200 and -800). commissionBP is clamped to 0..10000.
func Commission(gross, commissionBP int64) (commission, net int64) {
	commission = MulDivRound(gross, clamp(commissionBP, 0, bpPerWhole), bpPerWhole)
	return commission, gross - commission
}
