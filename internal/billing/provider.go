package billing

import (
	"context"
	"errors"
	"time"
)

// Provider is how a school takes and returns money. Each implementation
// (manual/, stripe/) is one package; the school's choice is made once, at
// start, from its configuration. Every call that moves money carries an
// idempotency key, so a retry never charges, refunds or pays twice.
type Provider interface {
	// Name is the provider's key in payments.provider: "manual", "stripe".
	Name() string
	// Checkout starts paying for c: a page to send the payer to, or no
	// URL when the payer follows the school's instructions instead.
	Checkout(ctx context.Context, c CheckoutRequest) (Session, error)
	// Refund returns part or all of a payment taken by this provider.
	Refund(ctx context.Context, r RefundRequest) (RefundResult, error)
	// Transfer pays a tutor's connected account; ErrByHand when the school
	// pays tutors itself.
	Transfer(ctx context.Context, t TransferRequest) (string, error)
	// VerifyWebhook checks a signed event from the provider and reads it;
	// ErrNoWebhook when the provider sends none.
	VerifyWebhook(payload []byte, header string) (Event, error)
	// Onboard opens a tutor's payout account with the provider (creating
	// it when o.Account is empty) and returns the page where the tutor
	// completes it; ErrByHand when the school pays tutors itself.
	Onboard(ctx context.Context, o OnboardRequest) (Onboarding, error)
	// PayoutAccount reads what a tutor's payout account still needs (an
	// empty account: nothing, and no error); ErrByHand when the school
	// pays tutors itself.
	PayoutAccount(ctx context.Context, account string) (AccountStatus, error)
	// Subscribe starts a subscription to a plan (Stripe Checkout in
	// subscription mode); ErrByHand when staff renew periods by hand.
	Subscribe(ctx context.Context, r SubscribeRequest) (Session, error)
	// ChangeSubscription changes a running subscription (cancel at period
	// end, or the price of the next periods); ErrByHand in manual mode.
	ChangeSubscription(ctx context.Context, c SubscriptionChange) error
	// BillingPortal returns a page where the customer manages their card;
	// ErrByHand in manual mode.
	BillingPortal(ctx context.Context, customer, returnURL string) (string, error)
}

// Errors of providers.
var (
	// ErrByHand: the provider cannot do this; the school does it itself.
	ErrByHand = errors.New("done by hand with this payment provider")
	// ErrNoWebhook: the provider sends no events.
	ErrNoWebhook = errors.New("this payment provider sends no webhook")
	// ErrBadSignature: an event whose signature is missing, wrong or stale.
	ErrBadSignature = errors.New("invalid webhook signature")
	// ErrAPIVersion: a correctly signed event of an API version the server
	// does not read.
	ErrAPIVersion = errors.New("webhook event of another api version")
)

// CheckoutRequest is one payment to start.
type CheckoutRequest struct {
	Reference   string // our purchase or booking id
	Kind        string // "purchase" or "booking"
	Payment     string // our payments record id (the idempotency key)
	Description string
	Amount      int64
	Currency    string
	Email       string
	SuccessURL  string // may contain {CHECKOUT_SESSION_ID}
	CancelURL   string
	ExpiresAt   time.Time // zero: the provider's default
}

// Session is a started payment: the provider's id for it and where to send
// the payer ("" when there is nowhere to go).
type Session struct{ ID, URL string }

// RefundRequest is a refund of a payment the provider took.
type RefundRequest struct {
	Payment string // the provider's id of the payment (a PaymentIntent)
	Amount  int64
	Key     string // idempotency key
}

// RefundResult is the provider's answer to a refund.
type RefundResult struct {
	ID     string
	Status string // RefundSucceeded, RefundPending or RefundFailed
}

// Refund outcomes as providers report them.
const (
	RefundSucceeded = "succeeded"
	RefundPending   = "pending"
	RefundFailed    = "failed"
)

// TransferRequest pays a tutor's connected account.
type TransferRequest struct {
	Account  string
	Amount   int64
	Currency string
	Group    string // ties the transfer to a payout
	Key      string // idempotency key
}

// EventKind is what a provider's event means to Tutorbase.
type EventKind int

// Event kinds.
const (
	EventIgnored             EventKind = iota // nothing to do (Reason says why)
	EventCheckoutPaid                         // a checkout was paid
	EventCheckoutWaiting                      // completed, the payment is still on its way
	EventCheckoutFailed                       // an asynchronous payment failed
	EventCheckoutExpired                      // the checkout was never paid
	EventChargeRefunded                       // refunds were made on a payment (maybe outside Tutorbase)
	EventRefundUpdated                        // a pending refund settled
	EventSubscriptionStarted                  // a subscription's checkout completed (ids of the provider's subscription and customer)
	EventInvoicePaid                          // a subscription's period was paid
	EventInvoiceFailed                        // a subscription's payment failed (the provider retries)
	EventSubscriptionUpdated                  // a subscription changed (status, cancel at period end)
	EventSubscriptionDeleted                  // a subscription ended
)

// Event is a verified event of a provider.
type Event struct {
	ID      string
	Type    string // the provider's own name of the event
	Created time.Time
	Kind    EventKind
	Reason  string // why an EventIgnored is ignored

	// checkouts
	Session string // the provider's checkout id
	Payment string // our payments id, when the checkout carried it
	PaidID  string // the provider's id of the payment made (else Session)
	Amount  int64  // the amount paid
	// refunds
	ChargePayment  string // the provider's payment refunded (EventChargeRefunded)
	AmountRefunded int64  // everything refunded on it so far
	Refund         string // the provider's refund id (EventRefundUpdated)
	RefundStatus   string // RefundSucceeded, RefundPending or RefundFailed
	// subscriptions (see SubscriptionEvent)
	Sub SubscriptionEvent
}

// OnboardRequest is a tutor setting up their payout account.
type OnboardRequest struct {
	Account    string // the tutor's account, "" to create one
	Tutor      string // our tutors id (the creation's idempotency key)
	Email      string
	RefreshURL string // where the provider sends a tutor whose link expired
	ReturnURL  string // where it sends them back when they are done
}

// Onboarding is a tutor's account and where they complete it.
type Onboarding struct{ Account, URL string }

// AccountStatus is what a tutor's payout account still needs.
type AccountStatus struct {
	DetailsSubmitted bool // the tutor finished the provider's form
	PayoutsEnabled   bool // the provider pays the account out
}

// Payout account statuses, as tutors.payout_status stores them.
const (
	PayoutDetailsNeeded = "details_needed" // the tutor has not finished the form
	PayoutPending       = "pending"        // submitted, the provider is checking it
	PayoutEnabled       = "enabled"        // payouts reach the tutor
)

// Status is the account's status in one word: enabled once payouts are,
// else pending once the details are in, else details needed.
func (a AccountStatus) Status() string {
	switch {
	case a.PayoutsEnabled:
		return PayoutEnabled
	case a.DetailsSubmitted:
		return PayoutPending
	}
	return PayoutDetailsNeeded
}
