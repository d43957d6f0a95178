package notify

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestRetryNext(t *testing.T) {
	now := time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		r        Retry
		attempts int
		want     time.Duration
		wantOK   bool
	}{
		{"never tried", DefaultRetry(), 0, 0, true},
		{"after the first failure", DefaultRetry(), 1, time.Minute, true},
		{"after the second", DefaultRetry(), 2, 5 * time.Minute, true},
		{"after the third", DefaultRetry(), 3, 15 * time.Minute, true},
		{"after the fourth", DefaultRetry(), 4, time.Hour, true},
		{"after the fifth", DefaultRetry(), 5, 4 * time.Hour, true},
		{"sixth failure is final", DefaultRetry(), 6, 0, false},
		{"beyond the limit", DefaultRetry(), 9, 0, false},
		{"last delay repeats", Retry{Delays: []time.Duration{time.Minute, time.Hour}, MaxAttempts: 5}, 4, time.Hour, true},
		{"no delays retries at once", Retry{MaxAttempts: 3}, 2, 0, true},
		{"no retries", Retry{Delays: []time.Duration{time.Minute}, MaxAttempts: 1}, 1, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.r.Next(tt.attempts, now)
			if ok != tt.wantOK {
				t.Fatalf("Next(%d) ok = %v, want %v", tt.attempts, ok, tt.wantOK)
			}
			if ok && !got.Equal(now.Add(tt.want)) {
				t.Errorf("Next(%d) = %s, want now + %s", tt.attempts, got, tt.want)
			}
		})
	}
}

func TestDefaultRetry(t *testing.T) {
	r := DefaultRetry()
	want := []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 4 * time.Hour}
	if r.MaxAttempts != 6 || fmt.Sprint(r.Delays) != fmt.Sprint(want) {
		t.Errorf("DefaultRetry() = %+v, want delays %v and 6 attempts", r, want)
	}
	r.Delays[0] = time.Hour
	if DefaultRetry().Delays[0] != time.Minute {
		t.Error("DefaultRetry shares its slice between calls")
	}
}

func TestPermanent(t *testing.T) {
	base := errors.New("http 400: invalid number")
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain", base, false},
		{"marked", Permanent(base), true},
		{"wrapped after marking", fmt.Errorf("deliver: %w", Permanent(base)), true},
		{"context", context.DeadlineExceeded, false},
		{"not configured", ErrNotConfigured, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsPermanent(tt.err); got != tt.want {
				t.Errorf("IsPermanent(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
	if Permanent(nil) != nil {
		t.Error("Permanent(nil) != nil")
	}
	p := Permanent(base)
	if !errors.Is(p, base) || p.Error() != base.Error() {
		t.Errorf("Permanent(err) = %q, want the same message, unwrapping to err", p)
	}
}
