package billing

import "time"

// MinPayTime is the least time a student has to pay for a lesson they
// have just booked.
const MinPayTime = 15 * time.Minute

// PayBy is when a lesson booked at bookedAt, starting at start and not
// paid from a credit must be paid, else it is cancelled: payWithin after
// booking, but no later than the start of the cancel window (start −
// cancelWindow, when cancelling stops being free), and never sooner than
// MinPayTime after booking:
//
//	max(bookedAt + MinPayTime, min(bookedAt + payWithin, start − cancelWindow))
func PayBy(bookedAt, start time.Time, cancelWindow, payWithin time.Duration) time.Time {
	deadline := bookedAt.Add(payWithin)
	if w := start.Add(-cancelWindow); w.Before(deadline) {
		deadline = w
	}
	if floor := bookedAt.Add(MinPayTime); deadline.Before(floor) {
		deadline = floor
	}
	return deadline
}
