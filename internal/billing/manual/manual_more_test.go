package manual

import (
	"context"
	"errors"
	"testing"

	"tutorbase/internal/billing"
)

// TestSubscriptionsByHand: a school without a card processor renews
// subscriptions by hand, so the subscription calls answer ErrByHand (the
// callers show the school's instructions on it) and never a page or a
// portal address to send a family to.
func TestSubscriptionsByHand(t *testing.T) {
	p := Provider{}
	ctx := context.Background()
	s, err := p.Subscribe(ctx, billing.SubscribeRequest{})
	if !errors.Is(err, billing.ErrByHand) || s.URL != "" {
		t.Errorf("Subscribe() = %+v, %v; want no page and ErrByHand", s, err)
	}
	if err := p.ChangeSubscription(ctx, billing.SubscriptionChange{}); !errors.Is(err, billing.ErrByHand) {
		t.Errorf("ChangeSubscription() error = %v, want ErrByHand", err)
	}
	url, err := p.BillingPortal(ctx, "cus_1", "https://school.example/return")
	if !errors.Is(err, billing.ErrByHand) || url != "" {
		t.Errorf("BillingPortal() = %q, %v; want no address and ErrByHand", url, err)
	}
}
