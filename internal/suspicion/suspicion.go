// Package suspicion is the rules that warn a school of abuse: what each
// rule counts, over what window, from what threshold it fires (a school
// setting, with the defaults here), and what it holds while staff review
// it. The capability (internal/app/flags) counts the recorded events and
// asks Fires.
package suspicion

import "time"

// The rules.
const (
	// CardTesting: many failed payments or card declines from one person
	// in an hour; checkout is held while it is open.
	CardTesting = "card_testing"
	// BookingChurn: one student booking and cancelling many lessons in a
	// day.
	BookingChurn = "booking_churn"
	// UnpaidHoard: one student holding many upcoming unpaid lessons.
	UnpaidHoard = "unpaid_hoard"
	// SignupBurst: many accounts made from one IP address in an hour.
	SignupBurst = "signup_burst"
	// LargeRefund: a refund of at least the threshold (minor units of the
	// school's currency).
	LargeRefund = "large_refund"
	// MessageFanout: one person writing to many people (threads) in ten
	// minutes, as spam or a scam does.
	MessageFanout = "message_fanout"
)

// HoldCheckout is what a rule may hold: starting a payment.
const HoldCheckout = "checkout"

// Rule is one rule's window and what it holds.
type Rule struct {
	Name   string
	Window time.Duration // 0: not a count over time
	Holds  string        // "" or HoldCheckout
}

// Rules are every rule, by name.
var Rules = map[string]Rule{
	CardTesting:   {CardTesting, time.Hour, HoldCheckout},
	BookingChurn:  {BookingChurn, 24 * time.Hour, ""},
	UnpaidHoard:   {UnpaidHoard, 0, ""},
	SignupBurst:   {SignupBurst, time.Hour, ""},
	LargeRefund:   {LargeRefund, 0, ""},
	MessageFanout: {MessageFanout, 10 * time.Minute, ""},
}

// Thresholds are the school's settings: from how many events (or how
// much money) each rule fires; 0 turns a rule off.
type Thresholds struct {
	FailedPayments    int   // card_testing: failed payments in an hour
	Cancellations     int   // booking_churn: lessons cancelled by the student in a day
	UnpaidLessons     int   // unpaid_hoard: upcoming unpaid lessons held
	SignupsPerIP      int   // signup_burst: accounts from one IP in an hour
	RefundCents       int64 // large_refund: one refund of at least this much
	MessageRecipients int   // message_fanout: threads written to in ten minutes
}

// Defaults are the thresholds a school starts with: well above what a
// person does in normal use (a retry or two of a card, a couple of
// reschedules, the default cap of 3 unpaid lessons, a family signing up
// together, a tutor answering a handful of students).
func Defaults() Thresholds {
	return Thresholds{FailedPayments: 5, Cancellations: 5, UnpaidLessons: 5, SignupsPerIP: 10, RefundCents: 20000, MessageRecipients: 10}
}

// Fires reports whether rule fires on observed (a count, or an amount for
// large_refund) under t.
func (t Thresholds) Fires(rule string, observed int64) bool {
	var limit int64
	switch rule {
	case CardTesting:
		limit = int64(t.FailedPayments)
	case BookingChurn:
		limit = int64(t.Cancellations)
	case UnpaidHoard:
		limit = int64(t.UnpaidLessons)
	case SignupBurst:
		limit = int64(t.SignupsPerIP)
	case LargeRefund:
		limit = t.RefundCents
	case MessageFanout:
		limit = int64(t.MessageRecipients)
	}
	return limit > 0 && observed >= limit
}
