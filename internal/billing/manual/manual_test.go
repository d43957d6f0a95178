package manual

import (
	"context"
	"errors"
	"testing"

	"tutorbase/internal/billing"
)

func TestProvider(t *testing.T) {
	p := Provider{}
	ctx := context.Background()
	if p.Name() != "manual" {
		t.Errorf("Name() = %q", p.Name())
	}
	if s, err := p.Checkout(ctx, billing.CheckoutRequest{Payment: "pay1", Amount: 100}); err != nil || s.URL != "" {
		t.Errorf("Checkout() = %+v, %v; want no page: the school's instructions", s, err)
	}
	if r, err := p.Refund(ctx, billing.RefundRequest{Amount: 100}); err != nil || r.Status != billing.RefundSucceeded {
		t.Errorf("Refund() = %+v, %v; want done", r, err)
	}
	if _, err := p.Transfer(ctx, billing.TransferRequest{Amount: 100}); !errors.Is(err, billing.ErrByHand) {
		t.Errorf("Transfer() error = %v, want ErrByHand", err)
	}
	if _, err := p.VerifyWebhook([]byte("{}"), "sig"); !errors.Is(err, billing.ErrNoWebhook) {
		t.Errorf("VerifyWebhook() error = %v, want ErrNoWebhook", err)
	}
	if _, err := p.Onboard(ctx, billing.OnboardRequest{Tutor: "t1"}); !errors.Is(err, billing.ErrByHand) {
		t.Errorf("Onboard() error = %v, want ErrByHand", err)
	}
	if _, err := p.PayoutAccount(ctx, "acct_1"); !errors.Is(err, billing.ErrByHand) {
		t.Errorf("PayoutAccount() error = %v, want ErrByHand", err)
	}
}
