package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// realtimeResult is the realtime fan-out phase: -realtime-clients people
// with the calendar page open (an SSE connection subscribed to the topics
// the web app's calendar page and header subscribe to, webAppTopics; on
// plain PocketBase "bookings/*"), while students among them book lessons
// at a fixed rate; each booking's event is awaited at the booking
// student's connection.
type realtimeResult struct {
	Target      string         `json:"target"`
	Topics      []string       `json:"topics"`
	Clients     int            `json:"clients"`
	Connected   int            `json:"connected"`
	ConnectTook time.Duration  `json:"connect_ns"`
	Rate        float64        `json:"offered_rate"`
	Created     int            `json:"created"`    // 2xx answers to the creates
	Refused     int            `json:"refused"`    // other answers and errors
	Why         map[string]int `json:"refused_by"` // refusals by status, or "timeout"/"transport"
	Delivered   int            `json:"delivered"`  // events of those creates that reached their student
	P50, P95    time.Duration  `json:"-"`
	P99, Max    time.Duration  `json:"-"`
	CreateP95   time.Duration  `json:"create_p95_ns"`
	RSSIdle     float64        `json:"rss_idle_bytes"`      // before the clients connect
	RSSClients  float64        `json:"rss_connected_bytes"` // once they are connected and subscribed
	RSSPeak     float64        `json:"rss_peak_bytes"`      // highest sample while creating
	CPU         cpuUse         `json:"cpu"`                 // while creating
}

// webAppTopics are the realtime topics a student's calendar page
// subscribes to: its own lessons (pb_public/js/pages/calendar.js) and,
// in the header, its notifications and messages (pb_public/app.js).
var webAppTopics = []string{"my/bookings", "my/notifications", "my/messages"}

// rtTopics are the topics the phase's clients subscribe to on target.
func (o *options) rtTopics(target string) []string {
	switch {
	case target == "plain":
		return []string{"bookings/*"} // plain PocketBase has only PocketBase's own topics
	case o.realtimeTopics != "":
		return strings.Split(o.realtimeTopics, ",")
	}
	return webAppTopics
}

// rtMarker tags a booking's notes so its event can be told apart.
const rtMarker = `"notes":"rt-`

// runRealtime connects the clients to target, books at o.realtimeRate for
// o.duration and measures the delivery latency (from the booking's send to
// the event's arrival) and the server's memory.
func (b *bench) runRealtime(target string) (*realtimeResult, error) {
	raiseFileLimit()
	srv, fx, err := b.use(target)
	if err != nil {
		return nil, err
	}
	n := min(b.o.realtimeClients, len(fx.Students))
	r := &realtimeResult{Target: target, Topics: b.o.rtTopics(target), Clients: n, Rate: b.o.realtimeRate, Why: map[string]int{}}
	settle(srv)
	r.RSSIdle = procRSS(srv.pid())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rt := newRTClients(r.Topics, rtMarker)
	tokens := make([]string, n)
	for i := range tokens {
		tokens[i] = fx.Students[i].Token
	}
	began := time.Now()
	if err := rt.connect(ctx, srv.base, tokens); err != nil {
		return nil, err
	}
	r.ConnectTook, r.Connected = time.Since(began), int(rt.connected.Load())
	time.Sleep(2 * time.Second) // subscriptions settle
	r.RSSClients = procRSS(srv.pid())
	log.Printf("  %d SSE clients (%s) connected in %s; server RSS %.0f MB (idle %.0f MB)", r.Connected, strings.Join(r.Topics, " "), r.ConnectTook.Round(time.Millisecond), r.RSSClients/1e6, r.RSSIdle/1e6)

	before := takeCPU(srv.pid())
	sent, createLat := b.realtimeCreates(srv.base, fx, n, r, func() { r.RSSPeak = max(r.RSSPeak, procRSS(srv.pid())) })
	r.CPU = cpuBetween(before, takeCPU(srv.pid()))
	time.Sleep(5 * time.Second) // late events
	r.RSSPeak = max(r.RSSPeak, procRSS(srv.pid()))

	var lat []time.Duration
	rt.mu.Lock()
	for seq, at := range sent {
		if got, ok := rt.arrived[seq]; ok {
			lat = append(lat, got.Sub(at))
		}
	}
	rt.mu.Unlock()
	r.Delivered = len(lat)
	slices.Sort(lat)
	r.P50, r.P95, r.P99 = percentile(lat, 0.50), percentile(lat, 0.95), percentile(lat, 0.99)
	if len(lat) > 0 {
		r.Max = lat[len(lat)-1]
	}
	slices.Sort(createLat)
	r.CreateP95 = percentile(createLat, 0.95)
	log.Printf("  %s: %d created (%d refused: %v), %d delivered, latency p50 %s p95 %s p99 %s max %s; create p95 %s; RSS peak %.0f MB; cpu server %.2f loadgen %.2f other %.2f",
		target, r.Created, r.Refused, r.Why, r.Delivered, ms(r.P50), ms(r.P95), ms(r.P99), ms(r.Max), ms(r.CreateP95), r.RSSPeak/1e6,
		r.CPU.Server, r.CPU.LoadGen, r.CPU.Other)
	return r, nil
}

// realtimeCreates books at the phase's rate for its duration as the
// connected students, each booking's notes carrying its sequence number,
// and returns when each 2xx booking was sent, and every create's latency.
func (b *bench) realtimeCreates(base string, fx *fixture, n int, r *realtimeResult, sample func()) (map[int]time.Time, []time.Duration) {
	total := int(b.o.realtimeRate * b.o.duration.Seconds())
	sent := map[int]time.Time{}
	var lat []time.Duration
	var mu sync.Mutex
	var wg sync.WaitGroup
	rng := rand.New(rand.NewPCG(b.phaseSeed("realtime"), 1))
	start := time.Now()
	lastSample := start
	for seq := range total {
		time.Sleep(time.Until(start.Add(time.Duration(float64(seq) / b.o.realtimeRate * float64(time.Second)))))
		if time.Since(lastSample) > time.Second {
			sample()
			lastSample = time.Now()
		}
		req := realtimeCreate(fx, rng, n, seq, r.Target)
		wg.Add(1)
		go func() {
			defer wg.Done()
			at := time.Now()
			ctx, cancel := context.WithTimeout(context.Background(), b.o.timeout)
			defer cancel()
			status, body, err := send(ctx, b.client, base, req)
			mu.Lock()
			defer mu.Unlock()
			lat = append(lat, time.Since(at))
			switch {
			case err == nil && status < 300:
				sent[seq] = at
				r.Created++
				return
			case ctx.Err() != nil:
				r.Why["timeout"]++
			case err != nil:
				r.Why["transport"]++
			default:
				r.Why[strconv.Itoa(status)]++
				b.errs.hook("realtime-"+r.Target)(req, status, body, at)
			}
			r.Refused++
		}()
	}
	wg.Wait()
	return sent, lat
}

// realtimeCreate is a booking by one of the first n students (those
// connected), with notes "rt-SEQ".
func realtimeCreate(fx *fixture, rng *rand.Rand, n, seq int, target string) request {
	gen := createGen
	if target == "plain" {
		gen = plainCreateGen
	}
	var req request
	for {
		req = gen(fx)(-1, rng)
		if req.tag < n {
			break
		}
	}
	var body map[string]any
	_ = json.Unmarshal(req.body, &body)
	body["notes"] = "rt-" + strconv.Itoa(seq)
	req.body, _ = json.Marshal(body)
	return req
}

// rtClients are the SSE connections and when each record's event arrived.
type rtClients struct {
	topics    []string // what each connection subscribes to
	marker    []byte   // precedes a record's sequence number in its event
	connected atomic.Int32
	mu        sync.Mutex
	arrived   map[int]time.Time // record sequence -> first arrival
}

func newRTClients(topics []string, marker string) *rtClients {
	return &rtClients{topics: topics, marker: []byte(marker), arrived: map[int]time.Time{}}
}

// connect opens an SSE connection per token (50 at a time), each
// subscribed to rt.topics with its token.
func (rt *rtClients) connect(ctx context.Context, base string, tokens []string) error {
	n := len(tokens)
	tr := &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}
	client := &http.Client{Transport: tr}
	sem := make(chan struct{}, 50)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			ready := make(chan error, 1)
			go rt.listen(ctx, client, base, tokens[i], ready)
			if err := <-ready; err != nil {
				errs <- err
			} else {
				rt.connected.Add(1)
			}
			<-sem
		}()
	}
	wg.Wait()
	close(errs)
	failed := 0
	var first error
	for err := range errs {
		if first == nil {
			first = err
		}
		failed++
	}
	if failed > n/100 {
		return fmt.Errorf("%d of %d SSE clients failed to connect: %w", failed, n, first)
	}
	return nil
}

// listen opens one SSE connection, subscribes it to rt.topics with token,
// says so on ready, and notes the arrival of every marked record's event.
func (rt *rtClients) listen(ctx context.Context, client *http.Client, base, token string, ready chan<- error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/realtime", nil)
	res, err := client.Do(req)
	if err != nil {
		ready <- err
		return
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	subscribed := false
	for sc.Scan() {
		line := sc.Bytes()
		data, ok := bytes.CutPrefix(line, []byte("data:"))
		if !ok {
			continue
		}
		if !subscribed {
			subscribed = true
			ready <- subscribe(ctx, client, base, token, rt.topics, data)
			continue
		}
		if i := bytes.Index(data, rt.marker); i >= 0 {
			rest := data[i+len(rt.marker):]
			if j := bytes.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' }); j > 0 {
				if seq, err := strconv.Atoi(string(rest[:j])); err == nil {
					now := time.Now()
					rt.mu.Lock()
					if _, seen := rt.arrived[seq]; !seen {
						rt.arrived[seq] = now
					}
					rt.mu.Unlock()
				}
			}
		}
	}
	if !subscribed {
		ready <- fmt.Errorf("the stream ended before PB_CONNECT: %v", sc.Err())
	}
}

// subscribe sends the client's subscription to topics, given PB_CONNECT's
// data.
func subscribe(ctx context.Context, client *http.Client, base, token string, topics []string, connect []byte) error {
	var c struct {
		ClientID string `json:"clientId"`
	}
	if err := json.Unmarshal(connect, &c); err != nil || c.ClientID == "" {
		return fmt.Errorf("PB_CONNECT %q: %v", connect, err)
	}
	body, _ := json.Marshal(map[string]any{"clientId": c.ClientID, "subscriptions": topics})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/realtime", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", token)
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode >= 300 {
		return fmt.Errorf("subscribe: %d", res.StatusCode)
	}
	return nil
}

// percentile is the nearest-rank q-quantile of sorted lats (0 for none).
func percentile(lats []time.Duration, q float64) time.Duration {
	if len(lats) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(lats)))) - 1
	return lats[max(0, min(i, len(lats)-1))]
}

// raiseFileLimit lifts this process's open-file limit to its hard limit
// (2,000 connections need as many descriptors here and in the server,
// which inherits it).
func raiseFileLimit() {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil || l.Cur >= l.Max {
		return
	}
	l.Cur = l.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		log.Printf("  could not raise the open-file limit: %v", err)
	}
}

// writeRealtime writes the realtime phases.
func (r *report) writeRealtime(w func(format string, args ...any)) {
	if len(r.Realtime) == 0 {
		return
	}
	w("\n## Realtime fan-out\n\nSSE clients subscribed as the web app's calendar page (topics in the table; each sees its own lessons); students among them book at a fixed rate; latency from a booking's send to its event's arrival at the student's connection.\n\n")
	w("| server | topics | clients | connect | rate | created | refused | delivered | p50 | p95 | p99 | max | create p95 | RSS idle / connected / peak | CPU server / load gen / other |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n")
	for _, x := range r.Realtime {
		w("| %s | %s | %d | %s | %.0f/s | %d | %d | %d | %s | %s | %s | %s | %s | %.0f / %.0f / %.0f MB | %.2f / %.2f / %.2f |\n",
			x.Target, strings.Join(x.Topics, " "), x.Connected, x.ConnectTook.Round(time.Millisecond), x.Rate, x.Created, x.Refused, x.Delivered,
			ms(x.P50), ms(x.P95), ms(x.P99), ms(x.Max), ms(x.CreateP95), x.RSSIdle/1e6, x.RSSClients/1e6, x.RSSPeak/1e6,
			x.CPU.Server, x.CPU.LoadGen, x.CPU.Other)
	}
}
