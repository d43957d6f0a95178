package main

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// soakEvery is how often the soak samples the server.
const soakEvery = 10 * time.Second

// soakPoint is one sample of the soak: the server's resident memory,
// goroutines and open files, data.db's WAL, and the p95 of the requests
// of the last window.
type soakPoint struct {
	At         time.Duration `json:"at_ns"`
	RSS        float64       `json:"rss_bytes"`
	Goroutines float64       `json:"goroutines"`
	FDs        float64       `json:"open_fds"`
	WAL        float64       `json:"wal_bytes"`
	P95        time.Duration `json:"p95_ns"`
	Requests   int           `json:"requests"`
	Errors     int           `json:"errors"` // 5xx, transport errors and timeouts
}

// soakResult is `make soak`: mixed load at a fixed offered rate, with the
// server's jobs running, sampled every soakEvery.
type soakResult struct {
	Rate     float64            `json:"offered_rate"`
	Duration time.Duration      `json:"duration_ns"`
	Points   []soakPoint        `json:"points"`
	Slopes   map[string]float64 `json:"slopes_per_hour"` // least-squares slope of each series, per hour
}

// mixedGen sends a third each of booking creates, slot queries and "my
// bookings" lists.
func mixedGen(fx *fixture) generator {
	gens := []generator{createGen(fx), slotsGen(fx), listGen(fx)}
	return func(client int, rng *rand.Rand) request { return gens[rng.IntN(len(gens))](client, rng) }
}

// runSoak drives the server with the mixed load in windows of soakEvery
// for o.soak and samples it after each window.
func (b *bench) runSoak() (*soakResult, error) {
	if b.tb != nil {
		if err := b.tb.stop(); err != nil {
			return nil, err
		}
		b.tb.env = append(b.tb.env, "TB_METRICS_TOKEN=soak")
	}
	srv, fx, err := b.use("tutorbase")
	if err != nil {
		return nil, err
	}
	r := &soakResult{Rate: b.o.soakRate, Duration: b.o.soak}
	began := time.Now()
	for i := 0; time.Since(began) < b.o.soak; i++ {
		spec := loadSpec{base: srv.base, rate: b.o.soakRate, duration: soakEvery, timeout: b.o.timeout,
			inflight: b.o.inflight, seed: b.phaseSeed("soak") + uint64(i), gen: mixedGen(fx)}
		samples, window := runOpen(b.client, spec)
		st := summarize(samples, soakEvery+window)
		p, err := b.sampleServer(srv)
		if err != nil {
			return r, err
		}
		p.At, p.P95, p.Requests = time.Since(began), st.P95, st.Requests
		p.Errors = st.Server5xx + st.Transport + st.Timeouts
		r.Points = append(r.Points, p)
		log.Printf("  soak %s: rss %.0f MB, goroutines %.0f, fds %.0f, wal %.1f MB, p95 %s, %d requests, %d errors",
			p.At.Round(time.Second), p.RSS/1e6, p.Goroutines, p.FDs, p.WAL/1e6, p.P95.Round(10*time.Microsecond), p.Requests, p.Errors)
	}
	r.Slopes = soakSlopes(r.Points[len(r.Points)/3:]) // the first third is warm-up (caches filling)
	return r, nil
}

// sampleServer reads the server's memory from /proc, its goroutines and
// open files from /metrics, and the WAL's size.
func (b *bench) sampleServer(srv *server) (soakPoint, error) {
	var p soakPoint
	p.RSS = procRSS(srv.pid())
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.base+"/metrics", nil)
	if err != nil {
		return p, err
	}
	req.Header.Set("Authorization", "Bearer soak")
	res, err := b.client.Do(req)
	if err != nil {
		return p, fmt.Errorf("metrics: %w", err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		name, value, _ := strings.Cut(sc.Text(), " ")
		v, _ := strconv.ParseFloat(value, 64)
		switch name {
		case "go_goroutines":
			p.Goroutines = v
		case "process_open_fds":
			p.FDs = v
		}
	}
	if fi, err := os.Stat(filepath.Join(srv.dir, "data.db-wal")); err == nil {
		p.WAL = float64(fi.Size())
	}
	return p, sc.Err()
}

// procRSS is the resident memory of process pid in bytes (Linux).
func procRSS(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb * 1024
		}
	}
	return 0
}

// soakSlopes is the least-squares slope, per hour, of each series.
func soakSlopes(points []soakPoint) map[string]float64 {
	series := map[string]func(p soakPoint) float64{
		"rss_bytes":  func(p soakPoint) float64 { return p.RSS },
		"goroutines": func(p soakPoint) float64 { return p.Goroutines },
		"open_fds":   func(p soakPoint) float64 { return p.FDs },
		"wal_bytes":  func(p soakPoint) float64 { return p.WAL },
		"p95_ms":     func(p soakPoint) float64 { return float64(p.P95) / float64(time.Millisecond) },
	}
	out := map[string]float64{}
	for name, f := range series {
		xs, ys := make([]float64, len(points)), make([]float64, len(points))
		for i, p := range points {
			xs[i], ys[i] = p.At.Hours(), f(p)
		}
		out[name] = slope(xs, ys)
	}
	return out
}

// slope is the least-squares slope of ys over xs (0 for fewer than 2 points).
func slope(xs, ys []float64) float64 {
	n := float64(len(xs))
	if n < 2 {
		return 0
	}
	var sx, sy, sxx, sxy float64
	for i := range xs {
		sx, sy, sxx, sxy = sx+xs[i], sy+ys[i], sxx+xs[i]*xs[i], sxy+xs[i]*ys[i]
	}
	d := n*sxx - sx*sx
	if d == 0 {
		return 0
	}
	return (n*sxy - sx*sy) / d
}

// writeSoak writes the soak's samples and slopes.
func (r *report) writeSoak(w func(format string, args ...any)) {
	s := r.Soak
	if s == nil || len(s.Points) == 0 {
		return
	}
	first, last := s.Points[0], s.Points[len(s.Points)-1]
	w("\n## Soak\n\nMixed load (a third each booking create, a week of slots, my bookings) offered at %.0f/s for %s with the server's jobs running; "+
		"sampled every %s. Slope: least squares over the samples after the first third (warm-up: SQLite's page caches and Go's heap filling), per hour.\n\n", s.Rate, s.Duration, soakEvery)
	w("| series | first | last | slope per hour |\n|---|---:|---:|---:|\n")
	w("| resident memory | %.1f MB | %.1f MB | %+.1f MB |\n", first.RSS/1e6, last.RSS/1e6, s.Slopes["rss_bytes"]/1e6)
	w("| goroutines | %.0f | %.0f | %+.1f |\n", first.Goroutines, last.Goroutines, s.Slopes["goroutines"])
	w("| open files | %.0f | %.0f | %+.1f |\n", first.FDs, last.FDs, s.Slopes["open_fds"])
	w("| WAL | %.1f MB | %.1f MB | %+.1f MB |\n", first.WAL/1e6, last.WAL/1e6, s.Slopes["wal_bytes"]/1e6)
	w("| p95 (window) | %s | %s | %+.2f ms |\n", first.P95.Round(10*time.Microsecond), last.P95.Round(10*time.Microsecond), s.Slopes["p95_ms"])
	errors := 0
	for _, p := range s.Points {
		errors += p.Errors
	}
	w("\n%d samples; %d requests failed (5xx, transport, timeouts).\n", len(s.Points), errors)
}
