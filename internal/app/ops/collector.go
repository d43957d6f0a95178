package ops

import (
	"os"
	"path/filepath"
	"sort"
	"time"

	"tutorbase/migrations"

	"github.com/pocketbase/pocketbase/core"
	"github.com/prometheus/client_golang/prometheus"
)

// collector reads, at each scrape, what the database and the counters
// hold. It is unchecked (describes nothing): its label values come from
// the data.
type collector struct{ s *Service }

func (c *collector) Describe(chan<- *prometheus.Desc) {}

// Collect writes every scrape-time metric; a query that fails is counted
// in tutorbase_metrics_query_errors_total and its metric left out.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	s := c.s
	app := s.app
	if app == nil {
		return
	}
	q := scrape{app: app, ch: ch}
	q.grouped("tutorbase_bookings", "Bookings by status.", "status", "SELECT status AS k, COUNT(*) AS n FROM bookings GROUP BY status")
	q.grouped("tutorbase_deliveries", "Outbox deliveries by status.", "status", "SELECT status AS k, COUNT(*) AS n FROM deliveries GROUP BY status")
	q.grouped("tutorbase_notifications_owed", "Booking changes whose notifications are not written yet.", "",
		"SELECT '' AS k, COUNT(*) AS n FROM "+migrations.NoteOutbox)
	q.grouped("tutorbase_refunds", "Refunds by status.", "status", "SELECT status AS k, COUNT(*) AS n FROM refunds GROUP BY status")
	now := s.env.Now().UTC()
	q.age("tutorbase_notifications_owed_oldest_age_seconds", "Age of the oldest booking change whose notifications are not written yet (0: none).",
		"SELECT MIN(created) FROM "+migrations.NoteOutbox, now)
	q.age("tutorbase_deliveries_oldest_due_age_seconds", "How long the oldest queued delivery has been due (0: none due).",
		"SELECT MIN(next_attempt) FROM deliveries WHERE status = 'queued' AND next_attempt <= '"+now.Format(dbTime)+"'", now)
	gauge(ch, "tutorbase_realtime_clients", "Connected realtime clients.", float64(app.SubscriptionsBroker().TotalClients()))
	for _, db := range []string{"data", "auxiliary"} {
		path := filepath.Join(app.DataDir(), db+".db")
		gauge(ch, "tutorbase_sqlite_size_bytes", "Size of a SQLite database file.", fileSize(path), "db", db)
		gauge(ch, "tutorbase_sqlite_wal_size_bytes", "Size of a SQLite database's write-ahead log.", fileSize(path+"-wal"), "db", db)
	}
	s.collectJobs(ch)
	s.collectBackups(ch)
	s.collectLimits(ch)
	counter(ch, "tutorbase_metrics_query_errors_total", "Queries of the metrics scrape that failed (their metrics are missing from that scrape).",
		float64(s.queryErrors.Add(int64(q.errors))))
}

// dbTime is how PocketBase stores instants.
const dbTime = "2006-01-02 15:04:05.000Z"

// scrape runs the queries of one scrape and counts their failures.
type scrape struct {
	app    core.App
	ch     chan<- prometheus.Metric
	errors int
}

// grouped writes a gauge per row of query (k: the label value, n: the
// value); an empty label writes one unlabelled gauge.
func (q *scrape) grouped(name, help, label, query string) {
	var rows []struct {
		K string `db:"k"`
		N int64  `db:"n"`
	}
	if err := q.app.DB().NewQuery(query).All(&rows); err != nil {
		q.errors++
		q.app.Logger().Error("metrics query failed", "metric", name, "error", err)
		return
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].K < rows[j].K })
	for _, r := range rows {
		if label == "" {
			gauge(q.ch, name, help, float64(r.N))
		} else {
			gauge(q.ch, name, help, float64(r.N), label, r.K)
		}
	}
}

// age writes now minus the instant query answers (0 when it answers none).
func (q *scrape) age(name, help, query string, now time.Time) {
	var at *string
	if err := q.app.DB().NewQuery(query).Row(&at); err != nil {
		q.errors++
		q.app.Logger().Error("metrics query failed", "metric", name, "error", err)
		return
	}
	v := 0.0
	if at != nil && *at != "" {
		if t, err := time.Parse(dbTime, *at); err == nil {
			v = max(0, now.Sub(t).Seconds())
		} else if t, err := time.Parse(time.RFC3339Nano, *at); err == nil {
			v = max(0, now.Sub(t).Seconds())
		}
	}
	gauge(q.ch, name, help, v)
}

// collectJobs writes each job's counters and last start.
func (s *Service) collectJobs(ch chan<- prometheus.Metric) {
	for _, j := range s.app.Cron().Jobs() {
		c, ok := s.Jobs.lookup(j.Id())
		if !ok {
			continue
		}
		counter(ch, "tutorbase_job_runs_total", "Job runs since start.", float64(c.Runs.Load()), "job", j.Id())
		counter(ch, "tutorbase_job_failures_total", "Job runs that returned an error.", float64(c.Failures.Load()), "job", j.Id())
		counter(ch, "tutorbase_job_panics_total", "Job runs that panicked (recovered).", float64(c.Panics.Load()), "job", j.Id())
		if last := c.LastRun.Load(); last > 0 {
			gauge(ch, "tutorbase_job_last_run_timestamp_seconds", "When the job last started (unix seconds).", float64(last), "job", j.Id())
		}
	}
}

// collectBackups writes the verification outcomes of the backups.
func (s *Service) collectBackups(ch chan<- prometheus.Metric) {
	counter(ch, "tutorbase_backups_verified_total", "Backups made since start that passed verification.", float64(s.Backups.Verified.Load()))
	counter(ch, "tutorbase_backup_verify_failures_total", "Backups made since start that failed verification.", float64(s.Backups.Failed.Load()))
	if last := s.Backups.LastOK.Load(); last > 0 {
		gauge(ch, "tutorbase_backup_last_verified_timestamp_seconds", "When the last backup that passed verification was made (unix seconds).", float64(last))
	}
}

// collectLimits writes what the request cost bounds refused since start
// (internal/app/limits).
func (s *Service) collectLimits(ch chan<- prometheus.Metric) {
	filterRefused, tooExpensive, inflightRefused := s.limits.Counts()
	counter(ch, "tutorbase_filter_refused_total", "Requests refused as filter_too_complex before any SQL ran.", float64(filterRefused))
	counter(ch, "tutorbase_query_too_expensive_total", "Requests whose query ran past the query timeout (answered query_too_expensive).", float64(tooExpensive))
	counter(ch, "tutorbase_inflight_refused_total", "Expensive requests refused (429) because their caller had too many in flight.", float64(inflightRefused))
}

func gauge(ch chan<- prometheus.Metric, name, help string, v float64, labels ...string) {
	constMetric(ch, prometheus.GaugeValue, name, help, v, labels)
}

func counter(ch chan<- prometheus.Metric, name, help string, v float64, labels ...string) {
	constMetric(ch, prometheus.CounterValue, name, help, v, labels)
}

// constMetric writes one sample; labels are name, value pairs.
func constMetric(ch chan<- prometheus.Metric, t prometheus.ValueType, name, help string, v float64, labels []string) {
	var names, values []string
	for i := 0; i+1 < len(labels); i += 2 {
		names, values = append(names, labels[i]), append(values, labels[i+1])
	}
	ch <- prometheus.MustNewConstMetric(prometheus.NewDesc(name, help, names, nil), t, v, values...)
}

// fileSize is the size of path in bytes (0 when it does not exist).
func fileSize(path string) float64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return float64(fi.Size())
}
