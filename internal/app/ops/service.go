// Package ops is what the school's operator watches and the browser is
// told: Prometheus metrics (bookings, outbox, refunds, realtime clients,
// jobs, refused requests) and the security headers of every answer.
package ops

import (
	"sync"
	"sync/atomic"

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
// and those that panicked (recovered).
type JobCounters struct {
	Runs, Failures, Panics atomic.Int64
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
