// Package ops is what the school's operator watches and the browser is
// told: Prometheus metrics (requests, jobs, outbox, SQLite, backups,
// refused requests; docs/operations.md lists each), readiness, the
// verification of every new backup, and the security headers of every
// answer.
package ops

import (
	"sync"
	"sync/atomic"
	"time"

	"tutorbase/internal/app/limits"
	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/platform"

	"github.com/getsentry/sentry-go"
	"github.com/pocketbase/pocketbase/core"
	"github.com/prometheus/client_golang/prometheus"
)

// Service serves the metrics and readiness, and verifies new backups.
type Service struct {
	env     platform.Env
	limits  *limits.Service
	notes   *notifications.Service
	Jobs    *JobStats    // the jobs' run counters
	Backups *BackupStats // the verified backups
	Errors  *Reporter    // error reports (SENTRY_DSN)
	errsOff error        // why error reporting could not start

	servedAt    atomic.Int64 // unix seconds the server started serving (0: not yet)
	app         core.App     // the app Register bound (read by the metrics scrape)
	metrics     *metrics
	queryErrors atomic.Int64 // failed queries of metrics scrapes
	logs        jsonLogs     // TB_LOG_FORMAT=json
}

// New returns the operations side of an app whose request bounds are lim;
// failed backups are told through notes.
func New(env platform.Env, lim *limits.Service, notes *notifications.Service) *Service {
	s := &Service{env: env, limits: lim, notes: notes, Jobs: &JobStats{}, Backups: &BackupStats{}}
	s.metrics = newMetrics(s)
	s.Errors, s.errsOff = newReporter(env.Config)
	s.Jobs.seconds, s.Jobs.errors = s.metrics.jobSeconds, s.Errors
	return s
}

// JobStats counts the runs of each job, for /metrics and tests.
type JobStats struct {
	mu      sync.Mutex
	jobs    map[string]*JobCounters
	seconds *prometheus.HistogramVec
	errors  *Reporter
}

// Failed counts a run of job id that returned err, and reports it.
func (s *JobStats) Failed(id string, err error) {
	s.Of(id).Failures.Add(1)
	s.errors.Job(id, err, nil)
}

// Panicked counts a run of job id that panicked (recovered by the cron
// chain), and reports it with the stack of the recovery.
func (s *JobStats) Panicked(id string, err error) {
	s.Of(id).Panics.Add(1)
	s.errors.Job(id, err, sentry.NewStacktrace())
}

// Observe records how long a run of job id took.
func (s *JobStats) Observe(id string, took time.Duration) {
	if s.seconds != nil {
		s.seconds.WithLabelValues(id).Observe(took.Seconds())
	}
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
