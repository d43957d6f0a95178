package billing

import "time"

// Plan intervals: how often a subscription renews.
const (
	IntervalMonth = "month"
	IntervalWeek  = "week"
)

// SubscribeRequest is a subscription to start with a provider.
type SubscribeRequest struct {
	Subscription string // our subscriptions id (the idempotency key, and the metadata the events carry back)
	Description  string
	Amount       int64 // per period
	Currency     string
	Interval     string // IntervalMonth or IntervalWeek
	Email        string
	SuccessURL   string
	CancelURL    string
}

// SubscriptionChange is a change to a running subscription: set
// CancelAtPeriodEnd, or a new Amount (with its Interval and Description)
// that applies from the next period, with no proration.
type SubscriptionChange struct {
	ID                string // the provider's subscription id
	Key               string // idempotency key
	CancelAtPeriodEnd *bool
	Amount            int64 // 0: the price is unchanged
	Currency          string
	Interval          string
	Description       string
}

// SubscriptionEvent is what a provider's subscription event carries.
type SubscriptionEvent struct {
	Subscription      string    // our subscriptions id, from the metadata (may be empty)
	ProviderID        string    // the provider's subscription id
	Customer          string    // the provider's customer id
	Invoice           string    // the provider's invoice id (paid and failed invoices)
	PaidID            string    // the provider's payment of the invoice (else the invoice)
	Amount            int64     // amount paid
	Currency          string    // upper case
	PeriodStart       time.Time // the period an invoice pays for
	PeriodEnd         time.Time
	Status            string // the provider's status of the subscription
	CancelAtPeriodEnd bool
}

// NextPeriod is the end of a period of interval starting at start, in
// loc's calendar: a month later on the same day and time (a day the month
// lacks runs into the next month, as Go's AddDate does), or seven days.
func NextPeriod(start time.Time, interval string, loc *time.Location) time.Time {
	local := start.In(loc)
	if interval == IntervalWeek {
		return local.AddDate(0, 0, 7).UTC()
	}
	return local.AddDate(0, 1, 0).UTC()
}

// RolloverExcess says how many unused credits of each earlier period
// expire so that at most limit of them roll over: left lists each
// period's unused credits, oldest first, and the oldest go first.
func RolloverExcess(left []int, limit int) []int {
	total := 0
	for _, n := range left {
		total += n
	}
	excess := max(total-max(limit, 0), 0)
	out := make([]int, len(left))
	for i, n := range left {
		take := min(n, excess)
		out[i], excess = take, excess-take
	}
	return out
}
