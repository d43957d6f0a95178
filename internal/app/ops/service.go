// Package ops is what the school's operator watches and the browser is
// told: Prometheus metrics (bookings, outbox, refunds, realtime clients,
// jobs, refused requests) and the security headers of every answer.
package ops

import (
	"sync"
	"sync/atomic"
	"time"

	"tutorbase/internal/app/limits"
	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/platform"
)

// Service serves the metrics and readiness, and verifies new backups.
type Service struct {
	env     platform.Env
	limits  *limits.Service
	notes   *notifications.Service
	Jobs    *JobStats    // the jobs' run counters
	Backups *BackupStats // the verified backups

	servedAt atomic.Int64 // unix seconds the server started serving (0: not yet)
}

// New returns the operations side of an app whose request bounds are lim;
// failed backups are told through notes.
func New(env platform.Env, lim *limits.Service, notes *notifications.Service) *Service {
	return &Service{env: env, limits: lim, notes: notes, Jobs: &JobStats{}, Backups: &BackupStats{}}
}

// JobStats counts the runs of each job, for /metrics and tests.
type JobStats struct {
	mu   sync.Mutex
	jobs map[string]*JobCounters
}

// JobCounters are one job's runs since start, those that returned an error
// and those that panicked (recovered), and when its last run started
// (unix seconds).
type JobCounters struct {
	Runs, Failures, Panics atomic.Int64
	LastRun                atomic.Int64
}

// Of returns the counters of job id, made at first use.
func (s *JobStats) Of(id string) *JobCounters {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.jobs == nil {
		s.jobs = map[string]*JobCounters{}
	}
	c, ok := s.jobs[id]
	if !ok {
		c = &JobCounters{}
		s.jobs[id] = c
	}
	return c
}

func (s *JobStats) lookup(id string) (*JobCounters, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.jobs[id]
	return c, ok
}

// sinceLastRun is how long before now any job last started (negative:
// none has).
func (s *JobStats) sinceLastRun(now time.Time) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var last int64
	for _, c := range s.jobs {
		last = max(last, c.LastRun.Load())
	}
	return sinceUnix(now, last)
}
