package ops

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"tutorbase/migrations"

	"github.com/pocketbase/pocketbase/core"
)

// Metrics serves Prometheus text metrics to superusers, or to a scraper
// with Authorization: Bearer TB_METRICS_TOKEN.
func (s *Service) Metrics(e *core.RequestEvent) error {
	cfg := s.env.Config
	token := strings.TrimPrefix(e.Request.Header.Get("Authorization"), "Bearer ")
	allowed := e.HasSuperuserAuth() ||
		(cfg.MetricsToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(cfg.MetricsToken)) == 1)
	if !allowed {
		return e.UnauthorizedError("Metrics need a superuser or the metrics token.", nil)
	}
	var b strings.Builder
	gauge := func(name, help string, rows map[string]int64, label string) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name)
		keys := make([]string, 0, len(rows))
		for k := range rows {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if label == "" {
				fmt.Fprintf(&b, "%s %d\n", name, rows[k])
			} else {
				fmt.Fprintf(&b, "%s{%s=%q} %d\n", name, label, k, rows[k])
			}
		}
	}
	count := func(query string) map[string]int64 {
		var rows []struct {
			K string `db:"k"`
			N int64  `db:"n"`
		}
		out := map[string]int64{}
		if err := e.App.DB().NewQuery(query).All(&rows); err == nil {
			for _, r := range rows {
				out[r.K] = r.N
			}
		}
		return out
	}
	gauge("tutorbase_bookings", "Bookings by status.", count("SELECT status AS k, COUNT(*) AS n FROM bookings GROUP BY status"), "status")
	gauge("tutorbase_deliveries", "Outbox deliveries by status.", count("SELECT status AS k, COUNT(*) AS n FROM deliveries GROUP BY status"), "status")
	gauge("tutorbase_notifications_owed", "Booking changes whose notifications are not written yet.",
		count("SELECT '' AS k, COUNT(*) AS n FROM "+migrations.NoteOutbox), "")
	gauge("tutorbase_refunds", "Refunds by status.", count("SELECT status AS k, COUNT(*) AS n FROM refunds GROUP BY status"), "status")
	gauge("tutorbase_realtime_clients", "Connected realtime clients.", map[string]int64{"": int64(e.App.SubscriptionsBroker().TotalClients())}, "")
	runs, failures, panics := map[string]int64{}, map[string]int64{}, map[string]int64{}
	for _, j := range e.App.Cron().Jobs() {
		if c, ok := s.Jobs.lookup(j.Id()); ok {
			runs[j.Id()], failures[j.Id()], panics[j.Id()] = c.Runs.Load(), c.Failures.Load(), c.Panics.Load()
		}
	}
	gauge("tutorbase_job_runs_total", "Job runs since start.", runs, "job")
	gauge("tutorbase_job_failures_total", "Job runs that returned an error.", failures, "job")
	gauge("tutorbase_job_panics_total", "Job runs that panicked (recovered).", panics, "job")
	s.writeCostMetrics(&b)
	e.Response.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	return e.String(http.StatusOK, b.String())
}

// writeCostMetrics writes what the request cost bounds refused since start
// (internal/app/limits).
func (s *Service) writeCostMetrics(b *strings.Builder) {
	filterRefused, tooExpensive, inflightRefused := s.limits.Counts()
	for _, c := range []struct {
		name, help string
		n          int64
	}{
		{"tutorbase_filter_refused_total", "Requests refused as filter_too_complex before any SQL ran.", filterRefused},
		{"tutorbase_query_too_expensive_total", "Requests whose query ran past the query timeout (answered query_too_expensive).", tooExpensive},
		{"tutorbase_inflight_refused_total", "Expensive requests refused (429) because their caller had too many in flight.", inflightRefused},
	} {
		fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", c.name, c.help, c.name, c.name, c.n)
	}
}
