package ops

import (
	"testing"
	"time"
)

func TestJobsState(t *testing.T) {
	const never = -1
	tests := []struct {
		name              string
		total             int
		started           bool
		sinceServe, since time.Duration
		want              string
	}{
		{"nothing scheduled", 0, true, time.Hour, time.Minute, "no jobs scheduled"},
		{"just served, ticker not yet started", 18, false, 30 * time.Second, never, "ok"},
		{"served long ago, never started", 18, false, 2 * time.Minute, never, "the job scheduler is not running"},
		{"not serving at all", 18, false, never, never, "the job scheduler is not running"},
		{"running, a job a minute ago", 18, true, time.Hour, time.Minute, "ok"},
		{"running, just served, no run yet", 18, true, time.Minute, never, "ok"},
		{"running, no job for 4 minutes", 18, true, time.Hour, 4 * time.Minute, "no job has started for 3 minutes"},
		{"running for long, no job ever", 18, true, time.Hour, never, "no job has started for 3 minutes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jobsState(tt.total, tt.started, tt.sinceServe, tt.since); got != tt.want {
				t.Errorf("jobsState() = %q, want %q", got, tt.want)
			}
		})
	}
}
