package stripe

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"tutorbase/internal/billing"

	stripego "github.com/stripe/stripe-go/v76"
)

// Subscribe implements billing.Provider with a Checkout Session in
// subscription mode, priced inline (no Price objects to keep in step with
// the plans). The subscription carries our id in its metadata, so its
// invoices name it; the idempotency key is our subscription's id.
func (s *Provider) Subscribe(ctx context.Context, r billing.SubscribeRequest) (billing.Session, error) {
	meta := map[string]string{"kind": "subscription", "subscription": r.Subscription}
	price := priceData(r.Currency, r.Amount, r.Description)
	price.Recurring = &stripego.CheckoutSessionLineItemPriceDataRecurringParams{Interval: stripego.String(r.Interval)}
	p := sessionParams(stripego.CheckoutSessionModeSubscription, r.Subscription, r.SuccessURL, r.CancelURL, r.Email, price)
	p.SubscriptionData = &stripego.CheckoutSessionSubscriptionDataParams{Metadata: meta}
	return s.openSession(ctx, p, meta, "subscribe-"+r.Subscription)
}

// ChangeSubscription implements billing.Provider: cancel at period end, or
// a new price for the next periods (the item's product kept, no
// proration, so the period paid is not touched).
func (s *Provider) ChangeSubscription(ctx context.Context, c billing.SubscriptionChange) error {
	p := &stripego.SubscriptionParams{CancelAtPeriodEnd: c.CancelAtPeriodEnd}
	if c.Amount > 0 {
		gp := &stripego.SubscriptionParams{}
		gp.Context = ctx
		sub, err := s.api.Subscriptions.Get(c.ID, gp)
		if err != nil {
			return fmt.Errorf("stripe subscription: %w", err)
		}
		if sub.Items == nil || len(sub.Items.Data) == 0 || sub.Items.Data[0].Price == nil || sub.Items.Data[0].Price.Product == nil {
			return fmt.Errorf("stripe subscription %s has no item to reprice", c.ID)
		}
		item := sub.Items.Data[0]
		p.ProrationBehavior = stripego.String("none")
		p.Items = []*stripego.SubscriptionItemsParams{{
			ID: stripego.String(item.ID),
			PriceData: &stripego.SubscriptionItemPriceDataParams{
				Currency: stripego.String(strings.ToLower(c.Currency)), Product: stripego.String(item.Price.Product.ID),
				UnitAmount: stripego.Int64(c.Amount), Recurring: &stripego.SubscriptionItemPriceDataRecurringParams{Interval: stripego.String(c.Interval)},
			},
		}}
	}
	p.SetIdempotencyKey(c.Key)
	p.Context = ctx
	if _, err := s.api.Subscriptions.Update(c.ID, p); err != nil {
		return fmt.Errorf("stripe subscription update: %w", err)
	}
	return nil
}

// BillingPortal implements billing.Provider with a Billing Portal session
// (the portal's settings are made in Stripe's dashboard).
func (s *Provider) BillingPortal(ctx context.Context, customer, returnURL string) (string, error) {
	p := &stripego.BillingPortalSessionParams{Customer: stripego.String(customer), ReturnURL: stripego.String(returnURL)}
	p.Context = ctx
	ps, err := s.api.BillingPortalSessions.New(p)
	if err != nil {
		return "", fmt.Errorf("stripe billing portal: %w", err)
	}
	return ps.URL, nil
}

// readSubscriptionEvent reads the subscription events Tutorbase applies.
func readSubscriptionEvent(out *billing.Event, raw json.RawMessage) error {
	switch out.Type {
	case "invoice.paid", "invoice.payment_failed":
		var inv stripego.Invoice
		if err := json.Unmarshal(raw, &inv); err != nil {
			return err
		}
		readInvoice(out, &inv)
	case "customer.subscription.updated", "customer.subscription.deleted":
		var sub stripego.Subscription
		if err := json.Unmarshal(raw, &sub); err != nil {
			return err
		}
		out.Kind = map[bool]billing.EventKind{true: billing.EventSubscriptionDeleted, false: billing.EventSubscriptionUpdated}[out.Type == "customer.subscription.deleted"]
		out.Sub = billing.SubscriptionEvent{Subscription: sub.Metadata["subscription"], ProviderID: sub.ID,
			Status: string(sub.Status), CancelAtPeriodEnd: sub.CancelAtPeriodEnd}
		if sub.Customer != nil {
			out.Sub.Customer = sub.Customer.ID
		}
	}
	return nil
}

// readInvoice reads a subscription's invoice: the period it pays for is
// its first line's.
func readInvoice(out *billing.Event, inv *stripego.Invoice) {
	if inv.Subscription == nil || inv.Subscription.ID == "" {
		out.Reason = "an invoice of no subscription"
		return
	}
	out.Kind = map[bool]billing.EventKind{true: billing.EventInvoicePaid, false: billing.EventInvoiceFailed}[out.Type == "invoice.paid"]
	sub := billing.SubscriptionEvent{ProviderID: inv.Subscription.ID, Invoice: inv.ID, PaidID: inv.ID, Amount: inv.AmountPaid,
		Currency: strings.ToUpper(string(inv.Currency))}
	if inv.SubscriptionDetails != nil {
		sub.Subscription = inv.SubscriptionDetails.Metadata["subscription"]
	}
	if inv.Customer != nil {
		sub.Customer = inv.Customer.ID
	}
	if inv.PaymentIntent != nil && inv.PaymentIntent.ID != "" {
		sub.PaidID = inv.PaymentIntent.ID
	}
	if inv.Lines != nil && len(inv.Lines.Data) > 0 && inv.Lines.Data[0].Period != nil {
		sub.PeriodStart = time.Unix(inv.Lines.Data[0].Period.Start, 0).UTC()
		sub.PeriodEnd = time.Unix(inv.Lines.Data[0].Period.End, 0).UTC()
	}
	if out.Kind == billing.EventInvoicePaid && (sub.PeriodEnd.IsZero() || !sub.PeriodEnd.After(sub.PeriodStart)) {
		out.Kind, out.Reason = billing.EventIgnored, "an invoice without a period"
	}
	out.Sub = sub
}

// readSubscriptionCheckout reads a completed Checkout in subscription mode.
func readSubscriptionCheckout(out *billing.Event, s *stripego.CheckoutSession) {
	out.Kind = billing.EventSubscriptionStarted
	out.Sub = billing.SubscriptionEvent{Subscription: s.Metadata["subscription"]}
	if s.Subscription != nil {
		out.Sub.ProviderID = s.Subscription.ID
	}
	if s.Customer != nil {
		out.Sub.Customer = s.Customer.ID
	}
	if out.Type != "checkout.session.completed" || out.Sub.Subscription == "" {
		out.Kind, out.Reason = billing.EventIgnored, "a subscription checkout event Tutorbase does not use"
	}
}
