package mailpittest

import (
	"context"
	"testing"
	"time"

	"tutorbase/internal/config"
)

func TestStartListsNoMessagesAndStops(t *testing.T) {
	s := Start(t, config.RequireTestTools())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	list, err := s.Messages(ctx)
	if err != nil || len(list) != 0 {
		t.Fatalf("Messages() = %d messages, %v; want none", len(list), err)
	}
	if err := s.SetChaos(ctx, Chaos{Recipient: Trigger{ErrorCode: 451, Probability: 10}}); err != nil {
		t.Errorf("SetChaos() error = %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
	if _, err := s.Messages(ctx); err == nil {
		t.Error("Messages() after Close succeeded, want the server gone")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close() error = %v", err)
	}
}
