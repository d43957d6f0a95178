package hooks_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/jobs"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"
)

// scrapeMetrics reads /metrics with the token and parses it as Prometheus does.
func scrapeMetrics(t *testing.T, res hookstest.Response) map[string]*dto.MetricFamily {
	t.Helper()
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(res.Body))
	require.NoError(t, err)
	return families
}

// sample is the value of family name's sample whose labels include want.
func sample(t *testing.T, families map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	t.Helper()
	f, ok := families[name]
	if !ok {
		return 0, false
	}
	for _, m := range f.Metric {
		labels := map[string]string{}
		for _, l := range m.Label {
			labels[l.GetName()] = l.GetValue()
		}
		match := true
		for k, v := range want {
			match = match && labels[k] == v
		}
		if !match {
			continue
		}
		switch f.GetType() {
		case dto.MetricType_COUNTER:
			return m.Counter.GetValue(), true
		case dto.MetricType_GAUGE:
			return m.Gauge.GetValue(), true
		case dto.MetricType_HISTOGRAM:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

// TestMetricsTypedAndComplete: /metrics is Prometheus' own exposition,
// parsed by its parser: counters typed as counters (the *_total of jobs
// and refusals), the Go and process collectors, requests by route with
// their latency, job runs and durations, outbox ages, SQLite file sizes,
// backups verified; a failing scrape query is counted, not hidden.
func TestMetricsTypedAndComplete(t *testing.T) {
	t.Parallel()
	cfg := hookstest.Config
	cfg.MetricsToken = "scrape-me"
	app := cast.CloneWith(t, cfg)
	srv := hookstest.Serve(t, app)
	s := hookstest.ServicesOf(app)
	require.NoError(t, jobs.Register(app, s))
	for _, j := range app.Cron().Jobs() {
		if j.Id() == "tutorbase_expire_pending" {
			j.Run()
		}
	}
	require.NoError(t, app.CreateBackup(context.Background(), "m.zip"))
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodGet, "/api/bookings/nope/nothing", "", nil).Status)
	hookstest.Call(t, srv, http.MethodGet, "/api/collections/subjects/records", "", nil)
	scrape := func() map[string]*dto.MetricFamily {
		return scrapeMetrics(t, hookstest.Call(t, srv, http.MethodGet, "/metrics", "Bearer scrape-me", nil))
	}
	m := scrape()
	documented(t, m)

	for name, typ := range map[string]dto.MetricType{
		"tutorbase_job_runs_total":                dto.MetricType_COUNTER,
		"tutorbase_job_failures_total":            dto.MetricType_COUNTER,
		"tutorbase_job_panics_total":              dto.MetricType_COUNTER,
		"tutorbase_inflight_refused_total":        dto.MetricType_COUNTER,
		"tutorbase_http_requests_total":           dto.MetricType_COUNTER,
		"tutorbase_http_request_duration_seconds": dto.MetricType_HISTOGRAM,
		"tutorbase_job_duration_seconds":          dto.MetricType_HISTOGRAM,
		"tutorbase_bookings":                      dto.MetricType_GAUGE,
		"tutorbase_sqlite_size_bytes":             dto.MetricType_GAUGE,
		"tutorbase_backups_verified_total":        dto.MetricType_COUNTER,
		"go_goroutines":                           dto.MetricType_GAUGE,
		"process_open_fds":                        dto.MetricType_GAUGE,
	} {
		require.Contains(t, m, name)
		require.Equal(t, typ, m[name].GetType(), name)
	}
	v, ok := sample(t, m, "tutorbase_job_runs_total", map[string]string{"job": "tutorbase_expire_pending"})
	require.True(t, ok)
	require.EqualValues(t, 1, v)
	v, _ = sample(t, m, "tutorbase_job_duration_seconds", map[string]string{"job": "tutorbase_expire_pending"})
	require.EqualValues(t, 1, v, "one run timed")
	v, _ = sample(t, m, "tutorbase_http_requests_total", map[string]string{"route": "/api/collections/{collection}/records", "code": "2xx"})
	require.EqualValues(t, 1, v)
	v, _ = sample(t, m, "tutorbase_http_requests_total", map[string]string{"route": "unmatched", "code": "4xx"})
	require.EqualValues(t, 1, v, "a path no route matches")
	v, _ = sample(t, m, "tutorbase_sqlite_size_bytes", map[string]string{"db": "data"})
	require.Greater(t, v, 0.0)
	v, _ = sample(t, m, "tutorbase_backups_verified_total", nil)
	require.EqualValues(t, 1, v)
	_, ok = sample(t, m, "tutorbase_backup_last_verified_timestamp_seconds", nil)
	require.True(t, ok)
	_, ok = sample(t, m, "tutorbase_deliveries_oldest_due_age_seconds", nil)
	require.True(t, ok)
	v, _ = sample(t, m, "tutorbase_metrics_query_errors_total", nil)
	require.Zero(t, v)

	_, err := app.DB().NewQuery("ALTER TABLE refunds RENAME TO refunds_away").Execute()
	require.NoError(t, err)
	hookstest.Tampered(app)
	m = scrape()
	v, _ = sample(t, m, "tutorbase_metrics_query_errors_total", nil)
	require.EqualValues(t, 1, v, "the failed refunds query is counted")
	require.NotContains(t, m, "tutorbase_refunds")
	_, err = app.DB().NewQuery("ALTER TABLE refunds_away RENAME TO refunds").Execute()
	require.NoError(t, err)
}

// documented: every tutorbase_ metric served, and every one the alert
// rules and the Grafana dashboard use, has its row in docs/operations.md
// (what a bad value means, what to do).
func documented(t *testing.T, served map[string]*dto.MetricFamily) {
	t.Helper()
	doc, err := os.ReadFile("../docs/operations.md")
	require.NoError(t, err)
	row := func(name string) bool {
		return strings.Contains(string(doc), "| `"+name+"`") || strings.Contains(string(doc), "| `"+name+"{")
	}
	for name := range served {
		if strings.HasPrefix(name, "tutorbase_") {
			require.True(t, row(name), "%s is served but has no row in docs/operations.md", name)
		}
	}
	re := regexp.MustCompile(`tutorbase_[a-z_]+`)
	for _, file := range []string{"../deploy/prometheus/alerts.yml", "../deploy/grafana/tutorbase.json"} {
		b, err := os.ReadFile(file)
		require.NoError(t, err)
		for _, name := range re.FindAllString(string(b), -1) {
			name = strings.TrimSuffix(name, "_bucket")
			require.True(t, row(name), "%s uses %s, which docs/operations.md does not list", file, name)
		}
	}
}
