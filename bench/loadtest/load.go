package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"
)

// request is one HTTP call of a phase.
type request struct {
	method, path, token string
	body                []byte
	tag                 int // opaque to the engine, handed back to onDone (e.g. the student index)
}

// generator makes the next request of a client (a closed-loop client's
// index, or -1 in an open loop) with that client's own rng.
type generator func(client int, rng *rand.Rand) request

// onDone, when set, sees every answered request (status, body).
type onDone func(req request, status int, body []byte, at time.Time)

// sample is one measured request.
type sample struct {
	lat    time.Duration
	status int // 0: transport error, statusTimeout: no answer within the timeout
}

// statusTimeout marks a request given up after loadSpec.timeout; its
// latency is recorded as the timeout (a lower bound).
const statusTimeout = -1

// recorder collects samples from many goroutines.
type recorder struct {
	mu      sync.Mutex
	samples []sample
}

func (r *recorder) add(s sample) {
	r.mu.Lock()
	r.samples = append(r.samples, s)
	r.mu.Unlock()
}

// newHTTPClient keeps enough idle keep-alive connections for every client
// and open-loop burst, so the test measures requests, not TCP handshakes.
func newHTTPClient() *http.Client {
	return &http.Client{
		Timeout: 60 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        2048,
			MaxIdleConnsPerHost: 2048,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
			ForceAttemptHTTP2:   false,
		},
	}
}

// send performs req against base and reads the whole answer.
func send(ctx context.Context, c *http.Client, base string, req request) (int, []byte, error) {
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.method, base+req.path, body)
	if err != nil {
		return 0, nil, err
	}
	if req.body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if req.token != "" {
		hr.Header.Set("Authorization", req.token)
	}
	res, err := c.Do(hr)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return 0, nil, err
	}
	return res.StatusCode, data, nil
}

// loadSpec describes one measured run.
type loadSpec struct {
	base     string
	clients  int     // closed loop: concurrent clients
	rate     float64 // open loop: requests per second (0: closed loop)
	warmup   time.Duration
	duration time.Duration
	seed     uint64
	timeout  time.Duration // per request (open loop: from its scheduled time)
	inflight int           // open loop: most requests outstanding at once
	gen      generator
	done     onDone
	stop     <-chan struct{} // optional: ends the run early
	pace     time.Duration   // closed loop, optional: each client sends at most one request per pace
}

// timedSend sends req with a deadline and classifies the outcome.
func timedSend(c *http.Client, spec loadSpec, req request, deadline time.Time) (int, []byte) {
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	status, body, err := send(ctx, c, spec.base, req)
	switch {
	case err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
		return statusTimeout, nil
	case err != nil:
		return 0, nil
	}
	return status, body
}

// runClosed runs spec.clients goroutines that each send a request, wait
// for its answer and send the next, for warmup+duration. Requests that
// complete inside the measured window are recorded (throughput is
// completions per second of the window).
func runClosed(c *http.Client, spec loadSpec) ([]sample, time.Duration) {
	rec := &recorder{}
	begin := time.Now()
	from, until := begin.Add(spec.warmup), begin.Add(spec.warmup+spec.duration)
	var wg sync.WaitGroup
	for i := range spec.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(spec.seed, uint64(i)+1))
			for {
				if spec.stop != nil {
					select {
					case <-spec.stop:
						return
					default:
					}
				}
				t0 := time.Now()
				if !t0.Before(until) {
					return
				}
				req := spec.gen(i, rng)
				status, body := timedSend(c, spec, req, t0.Add(spec.timeout))
				t1 := time.Now()
				if status > 0 && spec.done != nil {
					spec.done(req, status, body, t1)
				}
				if !t1.Before(from) && t1.Before(until) {
					rec.add(sample{lat: t1.Sub(t0), status: status})
				}
				if wait := spec.pace - t1.Sub(t0); wait > 0 {
					select {
					case <-time.After(wait):
					case <-spec.stop: // nil without a stop: waits the pace out
					}
				}
			}
		}()
	}
	wg.Wait()
	window := spec.duration
	if elapsed := time.Since(from); elapsed < window {
		window = elapsed // stopped early
	}
	return rec.samples, window
}

// runOpen launches requests on a fixed schedule (rate per second) whatever
// the answers, for warmup+duration, and measures each from its scheduled
// send time, so time spent queued (in the client or the server) is counted.
// At most spec.inflight requests are outstanding; a request that could not
// be sent within spec.timeout of its scheduled time is dropped and counted
// as a timeout. A request once sent is not abandoned (that would waste the
// server's work and make an overloaded server look even worse) until the
// drain limit, spec.timeout after the schedule ends. It returns the samples
// of the measured window and how long the answers took to arrive after the
// schedule ended.
func runOpen(c *http.Client, spec loadSpec) ([]sample, time.Duration) {
	rec := &recorder{}
	rng := rand.New(rand.NewPCG(spec.seed, 0))
	interval := time.Duration(float64(time.Second) / spec.rate)
	total := int(math.Round((spec.warmup + spec.duration).Seconds() * spec.rate))
	warm := int(math.Round(spec.warmup.Seconds() * spec.rate))
	begin := time.Now().Add(10 * time.Millisecond)
	scheduleEnd := begin.Add(time.Duration(total) * interval)
	hardStop := scheduleEnd.Add(spec.timeout)
	sem := make(chan struct{}, max(1, spec.inflight))
	var wg sync.WaitGroup
	for i := range total {
		at := begin.Add(time.Duration(i) * interval)
		if d := time.Until(at); d > 0 {
			time.Sleep(d)
		}
		req := spec.gen(-1, rng)
		measured := i >= warm
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, body := statusTimeout, []byte(nil)
			select {
			case sem <- struct{}{}:
				status, body = timedSend(c, spec, req, hardStop)
				<-sem
			case <-time.After(time.Until(at.Add(spec.timeout))):
			}
			end := time.Now()
			if status > 0 && spec.done != nil {
				spec.done(req, status, body, end)
			}
			if measured {
				rec.add(sample{lat: end.Sub(at), status: status})
			}
		}()
	}
	wg.Wait()
	return rec.samples, time.Since(scheduleEnd)
}

// stats summarises samples.
type stats struct {
	Requests   int           `json:"requests"`
	Throughput float64       `json:"throughput_per_s"` // answered requests (any status) / measured window
	P50        time.Duration `json:"p50_ns"`
	P95        time.Duration `json:"p95_ns"`
	P99        time.Duration `json:"p99_ns"`
	Max        time.Duration `json:"max_ns"`
	Mean       time.Duration `json:"mean_ns"`
	Status     map[int]int   `json:"status"` // 0 = transport error
	OK         int           `json:"ok_2xx"`
	Conflicts  int           `json:"conflicts_409"`
	Client4xx  int           `json:"other_4xx"`
	Server5xx  int           `json:"server_5xx"`
	Transport  int           `json:"transport_errors"`
	Timeouts   int           `json:"timeouts"`
}

// summarize computes exact percentiles (nearest rank over the sorted
// latencies; a timed-out request counts with the time it had waited when
// given up, so a percentile at or above the timeout means "at least") and
// counts answers by class.
func summarize(samples []sample, window time.Duration) stats {
	st := stats{Requests: len(samples), Status: map[int]int{}}
	lats := make([]time.Duration, len(samples))
	var sum time.Duration
	for i, s := range samples {
		lats[i] = s.lat
		sum += s.lat
		st.Status[s.status]++
		switch {
		case s.status == statusTimeout:
			st.Timeouts++
		case s.status == 0:
			st.Transport++
		case s.status >= 200 && s.status < 300:
			st.OK++
		case s.status == http.StatusConflict:
			st.Conflicts++
		case s.status >= 500:
			st.Server5xx++
		default:
			st.Client4xx++
		}
	}
	if window > 0 {
		st.Throughput = float64(len(samples)-st.Timeouts-st.Transport) / window.Seconds()
	}
	if len(lats) == 0 {
		return st
	}
	slices.Sort(lats)
	rank := func(q float64) time.Duration {
		i := int(math.Ceil(q*float64(len(lats)))) - 1
		return lats[max(0, min(i, len(lats)-1))]
	}
	st.P50, st.P95, st.P99, st.Max = rank(0.50), rank(0.95), rank(0.99), lats[len(lats)-1]
	st.Mean = sum / time.Duration(len(lats))
	return st
}
