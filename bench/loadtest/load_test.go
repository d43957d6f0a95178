package main

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestSummarizeNearestRank(t *testing.T) {
	var samples []sample
	for i := 1; i <= 100; i++ { // 1 ms .. 100 ms
		samples = append(samples, sample{lat: time.Duration(i) * time.Millisecond, status: 200})
	}
	samples[0].status = 409
	samples[1].status = 503
	samples[2].status = 0
	samples[3].status = statusTimeout
	st := summarize(samples, 2*time.Second)
	want := map[string]time.Duration{"p50": 50 * time.Millisecond, "p95": 95 * time.Millisecond, "p99": 99 * time.Millisecond, "max": 100 * time.Millisecond}
	got := map[string]time.Duration{"p50": st.P50, "p95": st.P95, "p99": st.P99, "max": st.Max}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %v, want %v", k, got[k], w)
		}
	}
	if st.OK != 96 || st.Conflicts != 1 || st.Server5xx != 1 || st.Transport != 1 || st.Timeouts != 1 {
		t.Errorf("counts = %+v", st)
	}
	if st.Throughput != 49 { // 98 answered (timeouts and transport errors are not) over 2 s
		t.Errorf("throughput = %v, want 49", st.Throughput)
	}
}

func TestPlanBookingsHasNoOverlaps(t *testing.T) {
	now := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	plan := planBookings(5000, 20, 50, now, rand.New(rand.NewPCG(1, 2)))
	if len(plan) != 5000 {
		t.Fatalf("planned %d bookings, want 5000", len(plan))
	}
	tutorHours, studentHours := map[[2]int64]bool{}, map[[2]int64]bool{}
	for _, p := range plan {
		h := p.start.Unix() / 3600
		if p.start.Unix()%3600 != 0 {
			t.Fatalf("%v is not a whole hour", p.start)
		}
		if tutorHours[[2]int64{int64(p.tutor), h}] || studentHours[[2]int64{int64(p.student), h}] {
			t.Fatalf("two lessons at %v for tutor %d or student %d", p.start, p.tutor, p.student)
		}
		tutorHours[[2]int64{int64(p.tutor), h}] = true
		studentHours[[2]int64{int64(p.student), h}] = true
	}
}

func TestOpenLoopKeepsItsSchedule(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		time.Sleep(20 * time.Millisecond) // slower than the interval: a closed loop of 1 would fall behind
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	gen := func(int, *rand.Rand) request { return request{method: "GET", path: "/"} }
	spec := loadSpec{base: srv.URL, rate: 200, duration: 500 * time.Millisecond, timeout: 2 * time.Second, inflight: 64, seed: 1, gen: gen}
	samples, _ := runOpen(newHTTPClient(), spec)
	st := summarize(samples, spec.duration)
	if st.Requests != 100 || st.OK != 100 {
		t.Fatalf("requests %d, ok %d: want 100 scheduled and answered", st.Requests, st.OK)
	}
	if st.P50 < 20*time.Millisecond {
		t.Errorf("p50 %v is below the handler's 20 ms: latency must include the service time", st.P50)
	}
}

func TestClosedLoopCountsOnlyTheWindow(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(10 * time.Millisecond)
	}))
	defer srv.Close()
	gen := func(int, *rand.Rand) request { return request{method: "GET", path: "/"} }
	spec := loadSpec{base: srv.URL, clients: 4, warmup: 200 * time.Millisecond, duration: 500 * time.Millisecond, timeout: time.Second, seed: 1, gen: gen}
	samples, window := runClosed(newHTTPClient(), spec)
	st := summarize(samples, window)
	// 4 clients × 500 ms / 10 ms at the most: 200 (and the 4 in flight at
	// its start) fit in the window; with the warm-up's counted there would
	// be up to 280. A busy machine answers fewer, never more.
	if st.Requests == 0 || st.Requests > 204 {
		t.Fatalf("%d requests measured, want 1 to 204", st.Requests)
	}
}

func TestClosedLoopPace(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	gen := func(int, *rand.Rand) request { return request{method: "GET", path: "/"} }
	spec := loadSpec{base: srv.URL, clients: 2, duration: 600 * time.Millisecond, timeout: time.Second, seed: 1, gen: gen, pace: 100 * time.Millisecond}
	samples, _ := runClosed(newHTTPClient(), spec)
	// unpaced, two clients would send thousands; paced, at most one per 100 ms each
	if n := len(samples); n == 0 || n > 14 {
		t.Fatalf("%d requests in 600 ms from 2 clients paced at 100 ms, want 1 to 14", n)
	}
}

func TestSlope(t *testing.T) {
	xs := []float64{0, 0.5, 1, 1.5}
	if got := slope(xs, []float64{10, 10, 10, 10}); got != 0 {
		t.Errorf("flat: slope %v", got)
	}
	if got := slope(xs, []float64{1, 2, 3, 4}); got != 2 {
		t.Errorf("rising 2 per hour: slope %v", got)
	}
	if got := slope([]float64{1}, []float64{5}); got != 0 {
		t.Errorf("one point: slope %v", got)
	}
}

// The realtime clients subscribe with the person's token once PocketBase
// says who they are, and note when each marked booking event arrives.
func TestRealtimeClientSubscribesAndNotesArrivals(t *testing.T) {
	subscribed := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			subscribed <- r.Header.Get("Authorization")
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		fl := w.(http.Flusher)
		w.Write([]byte("id:c1\nevent:PB_CONNECT\ndata:{\"clientId\":\"c1\"}\n\n"))
		fl.Flush()
		<-time.After(100 * time.Millisecond)
		w.Write([]byte("id:c1\nevent:bookings/*\ndata:{\"action\":\"create\",\"record\":{\"id\":\"x\",\"notes\":\"rt-7\"}}\n\n"))
		w.Write([]byte("id:c1\nevent:bookings/*\ndata:{\"action\":\"create\",\"record\":{\"id\":\"y\",\"notes\":\"other\"}}\n\n"))
		fl.Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	rt := newRTClients([]string{"bookings/*"}, rtMarker)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := rt.connect(ctx, srv.URL, []string{"tok-1"}); err != nil {
		t.Fatal(err)
	}
	if got := <-subscribed; got != "tok-1" {
		t.Fatalf("subscribed with %q", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		rt.mu.Lock()
		n, ok := len(rt.arrived), !rt.arrived[7].IsZero()
		rt.mu.Unlock()
		if ok && n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("arrivals: %d, rt-7 seen: %v", n, ok)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A message's sequence number is read from its body ("m-12 Hello"), and
// a tutor's connection subscribes to messages/*.
func TestMessageClientNotesArrivals(t *testing.T) {
	subscribed := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			var body struct{ Subscriptions []string }
			_ = json.NewDecoder(r.Body).Decode(&body)
			subscribed <- strings.Join(body.Subscriptions, ",")
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		fl := w.(http.Flusher)
		w.Write([]byte("id:c1\nevent:PB_CONNECT\ndata:{\"clientId\":\"c1\"}\n\n"))
		fl.Flush()
		<-time.After(100 * time.Millisecond)
		w.Write([]byte("id:c1\nevent:messages/*\ndata:{\"action\":\"create\",\"record\":{\"author_name\":\"S\",\"body\":\"m-12 Hello, exercise 3\"}}\n\n"))
		fl.Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	rt := newRTClients([]string{"messages/*"}, msgMarker)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := rt.connect(ctx, srv.URL, []string{"tok-1"}); err != nil {
		t.Fatal(err)
	}
	if got := <-subscribed; got != "messages/*" {
		t.Fatalf("subscribed to %q", got)
	}
	lat := awaitArrivals(rt, map[int]time.Time{12: time.Now()}, 5*time.Second)
	if len(lat) != 1 {
		t.Fatalf("arrivals of m-12: %d", len(lat))
	}
}

func TestAllPhasesLeaveTheSoakOut(t *testing.T) {
	got, err := options{phases: "all"}.selected()
	if err != nil || slices.Contains(got, "soak") || !slices.Contains(got, "realtime") {
		t.Fatalf("all = %v, %v", got, err)
	}
	got, _ = options{phases: "soak"}.selected()
	if !slices.Equal(got, []string{"soak"}) {
		t.Fatalf("soak = %v", got)
	}
}
