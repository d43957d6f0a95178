package ops

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are one app's Prometheus registry and the instruments the code
// updates as it runs (the rest is read at each scrape by the collector).
type metrics struct {
	registry *prometheus.Registry
	handler  http.Handler

	requests   *prometheus.CounterVec   // by route and status class
	latency    *prometheus.HistogramVec // by route
	busy       prometheus.Counter       // SQLite busy/locked errors answered
	jobSeconds *prometheus.HistogramVec // by job
}

// newMetrics registers the Go and process collectors, the request and job
// instruments and the scrape-time collector of s.
func newMetrics(s *Service) *metrics {
	m := &metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tutorbase_http_requests_total", Help: "HTTP requests answered, by route pattern and status class (2xx, 3xx, 4xx, 5xx).",
	}, []string{"route", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "tutorbase_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route pattern (realtime streams left out).",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route"})
	m.busy = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "tutorbase_sqlite_busy_errors_total", Help: "Requests that failed because SQLite was busy or locked past the busy timeout.",
	})
	m.jobSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "tutorbase_job_duration_seconds", Help: "How long a job run took, by job.",
		Buckets: []float64{.01, .05, .1, .5, 1, 5, 10, 30, 60, 300},
	}, []string{"job"})
	m.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.latency, m.busy, m.jobSeconds,
		&collector{s: s},
	)
	m.handler = promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
	return m
}

// Metrics serves the Prometheus metrics to superusers, or to a scraper
// with Authorization: Bearer TB_METRICS_TOKEN.
func (s *Service) Metrics(e *core.RequestEvent) error {
	cfg := s.env.Config
	token := strings.TrimPrefix(e.Request.Header.Get("Authorization"), "Bearer ")
	allowed := e.HasSuperuserAuth() ||
		(cfg.MetricsToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(cfg.MetricsToken)) == 1)
	if !allowed {
		return e.UnauthorizedError("Metrics need a superuser or the metrics token.", nil)
	}
	s.metrics.handler.ServeHTTP(e.Response, e.Request)
	return nil
}
