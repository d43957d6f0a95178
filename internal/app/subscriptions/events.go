package subscriptions

import (
	"time"

	"tutorbase/internal/app/payments"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// applyEvent applies a provider's subscription event in the webhook's
// transaction (which records the event, so a repeated delivery never gets
// here). Every effect only moves forward, so events in any order end in
// the same state: a period is added once (by its start), a failure after
// its period was paid changes nothing, an older subscription update than
// the one applied is skipped, a cancellation is final.
func (s *Service) applyEvent(tx core.App, ev billing.Event) error {
	sub := findSubscription(tx, ev.Sub)
	if sub == nil {
		tx.Logger().Warn("a subscription event for an unknown subscription", "event", ev.ID, "subscription", ev.Sub.ProviderID)
		return nil // not ours (another app on the same account): acknowledge
	}
	if sub.GetString("provider_ref") == "" && ev.Sub.ProviderID != "" {
		sub.Set("provider_ref", ev.Sub.ProviderID)
	}
	if sub.GetString("customer") == "" && ev.Sub.Customer != "" {
		sub.Set("customer", ev.Sub.Customer)
	}
	switch ev.Kind {
	case billing.EventInvoicePaid:
		return s.invoicePaid(tx, sub, ev)
	case billing.EventInvoiceFailed:
		return s.invoiceFailed(tx, sub, ev)
	case billing.EventSubscriptionUpdated, billing.EventSubscriptionDeleted:
		subscriptionChanged(sub, ev)
	}
	return tx.Save(sub)
}

// findSubscription is our subscription behind an event: by the id its
// metadata carries, else by the provider's subscription id.
func findSubscription(tx core.App, ev billing.SubscriptionEvent) *core.Record {
	if ev.Subscription != "" {
		if r, err := tx.FindRecordById("subscriptions", ev.Subscription); err == nil {
			return r
		}
	}
	if ev.ProviderID != "" {
		if r, err := tx.FindFirstRecordByData("subscriptions", "provider_ref", ev.ProviderID); err == nil {
			return r
		}
	}
	return nil
}

func (s *Service) invoicePaid(tx core.App, sub *core.Record, ev billing.Event) error {
	if ev.Sub.Amount <= 0 {
		tx.Logger().Warn("a subscription invoice paid with nothing: no period recorded", "event", ev.ID, "invoice", ev.Sub.Invoice)
		return tx.Save(sub)
	}
	_, err := s.addPeriod(tx, sub, period{start: ev.Sub.PeriodStart, end: ev.Sub.PeriodEnd, amount: ev.Sub.Amount, currency: ev.Sub.Currency,
		paid: payments.Paid{Provider: s.provider.Name(), Method: "card", Reference: ev.Sub.Invoice, ProviderID: ev.Sub.PaidID,
			Amount: ev.Sub.Amount, At: ev.Created}})
	if err != nil {
		return err
	}
	return tx.Save(sub)
}

// invoiceFailed makes an active subscription past due (its bookings pause
// after the plan's grace days) and tells the payer, once per failure: the
// provider's retries that fail again change nothing more.
func (s *Service) invoiceFailed(tx core.App, sub *core.Record, ev billing.Event) error {
	if !ev.Sub.PeriodStart.IsZero() {
		n, err := tx.CountRecords("purchases", dbx.HashExp{"subscription": sub.Id, "period_start": platform.DBTime(ev.Sub.PeriodStart)})
		if err != nil {
			return err
		}
		if n > 0 {
			return tx.Save(sub) // that period was paid after all
		}
	}
	if sub.GetString("status") != StatusActive {
		return tx.Save(sub)
	}
	plan, err := tx.FindRecordById("plans", sub.GetString("plan"))
	if err != nil {
		return err
	}
	grace := s.env.Now().Add(time.Duration(plan.GetInt("grace_days")) * 24 * time.Hour)
	sub.Set("status", StatusPastDue)
	sub.Set("grace_until", grace)
	if err := tx.Save(sub); err != nil {
		return err
	}
	s.notes.Notify(tx, []string{sub.GetString("user")}, notify.Event{Kind: notify.KindSubscriptionFailed, Subject: plan.GetString("title"),
		Amount: ev.Sub.Amount, Currency: plan.GetString("currency"), ExpiresAt: grace, Link: tx.Settings().Meta.AppURL + "/subscription"},
		map[string]any{"subscription": sub.Id})
	return nil
}

// subscriptionChanged applies a subscription's update or deletion: the
// newest update sets cancel at period end; a cancellation is final.
func subscriptionChanged(sub *core.Record, ev billing.Event) {
	if sub.GetString("status") == StatusCancelled {
		return
	}
	if ev.Kind == billing.EventSubscriptionDeleted || ev.Sub.Status == "canceled" || ev.Sub.Status == "incomplete_expired" {
		sub.Set("status", StatusCancelled)
		sub.Set("provider_updated_at", ev.Created)
		return
	}
	if last := sub.GetDateTime("provider_updated_at"); !last.IsZero() && ev.Created.Before(last.Time()) {
		return // an older update than the one applied
	}
	sub.Set("provider_updated_at", ev.Created)
	sub.Set("cancel_at_period_end", ev.Sub.CancelAtPeriodEnd)
}
