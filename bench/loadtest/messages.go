package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"
)

// messagesResult is a message phase (issue 19): the students of
// -message-pairs threads each write to their tutor through the records API,
// together at -rate-messages a second (open loop, one message per thread
// in turn), while every tutor has the messages page open (an SSE
// connection subscribed to "messages/*", whose events PocketBase sends
// only to those the rules let read the message). A message's latency is
// from its scheduled send to its event's arrival at the tutor's
// connection; its create latency, from the same instant to the answer.
type messagesResult struct {
	Target       string         `json:"target"`
	Threads      int            `json:"threads"`
	Receivers    int            `json:"receivers"` // SSE connections (the tutors)
	Connected    int            `json:"connected"`
	Rate         float64        `json:"offered_rate"`
	Sent         int            `json:"sent"`       // measured messages (the warm-up's are not)
	Created      int            `json:"created"`    // 2xx answers among them
	Refused      int            `json:"refused"`    // other answers, errors, timeouts
	Why          map[string]int `json:"refused_by"` // refusals by status, or "timeout"/"transport"
	Delivered    int            `json:"delivered"`  // created messages whose event reached the tutor
	P50, P95     time.Duration  `json:"-"`
	P99, Max     time.Duration  `json:"-"`
	CreateP50    time.Duration  `json:"create_p50_ns"`
	CreateP95    time.Duration  `json:"create_p95_ns"`
	CreateP99    time.Duration  `json:"create_p99_ns"`
	DeliveryP95  time.Duration  `json:"delivery_p95_ns"`
	CPU          cpuUse         `json:"cpu"`
	ServerCPUPer time.Duration  `json:"server_cpu_per_message_ns"` // server CPU time / messages answered (warm-up included)
	answered     int
}

// msgMarker precedes a message's sequence number in its event ("body"
// comes after "author_name" in PocketBase's sorted record JSON).
const msgMarker = `"body":"m-`

// runMessages connects the tutors of the seeded threads to target's
// realtime, sends the messages and measures them.
func (b *bench) runMessages(target string) (*messagesResult, error) {
	raiseFileLimit()
	srv, fx, err := b.use(target)
	if err != nil {
		return nil, err
	}
	if len(fx.Threads) == 0 {
		return nil, fmt.Errorf("no threads seeded (-message-pairs 0)")
	}
	r := &messagesResult{Target: target, Threads: len(fx.Threads), Rate: b.o.messagesRate, Why: map[string]int{}}
	settle(srv)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// the web app's header and messages pages listen on my/messages
	// (docs/scaling.md); plain PocketBase has only its own topics
	topics := []string{"my/messages"}
	if target == "plain" {
		topics = []string{"messages/*"}
	}
	rt := newRTClients(topics, msgMarker)
	var tokens []string
	seen := map[int]bool{}
	for _, th := range fx.Threads {
		if !seen[th.Tutor] {
			seen[th.Tutor] = true
			tokens = append(tokens, fx.Tutors[th.Tutor].Token)
		}
	}
	r.Receivers = len(tokens)
	if err := rt.connect(ctx, srv.base, tokens); err != nil {
		return nil, err
	}
	r.Connected = int(rt.connected.Load())
	time.Sleep(2 * time.Second) // subscriptions settle

	before, began := takeCPU(srv.pid()), time.Now()
	sent, createLat := b.sendMessages(srv.base, fx, r)
	r.CPU = cpuBetween(before, takeCPU(srv.pid()))
	r.ServerCPUPer = time.Duration(r.CPU.Server * float64(time.Since(began)) / float64(max(r.answered, 1)))
	lat := awaitArrivals(rt, sent, 5*time.Second)
	r.Delivered = len(lat)
	r.P50, r.P95, r.P99 = percentile(lat, 0.50), percentile(lat, 0.95), percentile(lat, 0.99)
	if len(lat) > 0 {
		r.Max = lat[len(lat)-1]
	}
	r.DeliveryP95 = r.P95
	slices.Sort(createLat)
	r.CreateP50, r.CreateP95, r.CreateP99 = percentile(createLat, 0.50), percentile(createLat, 0.95), percentile(createLat, 0.99)
	log.Printf("  %s: %d threads, %d/%d tutors connected, %d sent, %d created (%d refused: %v), %d delivered, delivery p50 %s p95 %s p99 %s max %s; create p50 %s p95 %s p99 %s; cpu server %.2f loadgen %.2f other %.2f",
		target, r.Threads, r.Connected, r.Receivers, r.Sent, r.Created, r.Refused, r.Why, r.Delivered, ms(r.P50), ms(r.P95), ms(r.P99), ms(r.Max),
		ms(r.CreateP50), ms(r.CreateP95), ms(r.CreateP99), r.CPU.Server, r.CPU.LoadGen, r.CPU.Other)
	settle(srv)
	return r, nil
}

// sendMessages sends -rate-messages messages a second for -warmup plus
// -duration, message k by the student of thread k mod threads (so each
// student writes at rate/threads a second, under Tutorbase's 20 a minute
// with the defaults), each at its scheduled instant whatever the answers.
// It returns when each measured, created message was scheduled, and every
// measured message's create latency (a timeout counts with -timeout).
func (b *bench) sendMessages(base string, fx *fixture, r *messagesResult) (map[int]time.Time, []time.Duration) {
	rate := b.o.messagesRate
	total := int(math.Round((b.o.warmup + b.o.duration).Seconds() * rate))
	warm := int(math.Round(b.o.warmup.Seconds() * rate))
	sent := map[int]time.Time{}
	var lat []time.Duration
	var mu sync.Mutex
	var wg sync.WaitGroup
	hook := b.errs.hook(r.Target + "-messages")
	begin := time.Now().Add(10 * time.Millisecond)
	for seq := range total {
		at := begin.Add(time.Duration(float64(seq) / rate * float64(time.Second)))
		time.Sleep(time.Until(at))
		req := messageRequest(fx, seq, r.Target)
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), b.o.timeout)
			defer cancel()
			status, body, err := send(ctx, b.client, base, req)
			took := time.Since(at)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				r.answered++
			}
			if seq < warm {
				return
			}
			r.Sent++
			lat = append(lat, took)
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
				hook(req, status, body, at)
			}
			r.Refused++
		}()
	}
	wg.Wait()
	return sent, lat
}

// messageRequest is message seq: the student of thread seq mod threads
// writes "m-SEQ" and a sentence of a usual length to their tutor. Plain
// PocketBase is also sent the author's name, which Tutorbase's hook
// fills, so the stored rows are alike.
func messageRequest(fx *fixture, seq int, target string) request {
	th := fx.Threads[seq%len(fx.Threads)]
	s := fx.Students[th.Student]
	msg := map[string]any{"thread": th.ID, "author": s.ID,
		"body": fmt.Sprintf("m-%d Hello, could we go over exercise %d of chapter 4 before Thursday's lesson?", seq, seq%40)}
	if target == "plain" {
		msg["author_name"] = s.Name
	}
	body, _ := json.Marshal(msg)
	return request{method: "POST", path: "/api/collections/messages/records", token: s.Token, body: body, tag: th.Student}
}

// awaitArrivals waits up to grace for the events of the sent messages and
// returns their latencies (from the scheduled send to the arrival),
// sorted.
func awaitArrivals(rt *rtClients, sent map[int]time.Time, grace time.Duration) []time.Duration {
	deadline := time.Now().Add(grace)
	for {
		rt.mu.Lock()
		n := 0
		for seq := range sent {
			if _, ok := rt.arrived[seq]; ok {
				n++
			}
		}
		rt.mu.Unlock()
		if n == len(sent) || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	var lat []time.Duration
	rt.mu.Lock()
	defer rt.mu.Unlock()
	for seq, at := range sent {
		if got, ok := rt.arrived[seq]; ok {
			lat = append(lat, got.Sub(at))
		}
	}
	slices.Sort(lat)
	return lat
}

// writeMessages writes the message phases and, with both, Tutorbase's p95
// against plain PocketBase's.
func (r *report) writeMessages(w func(format string, args ...any)) {
	if len(r.Messages) == 0 {
		return
	}
	w("\n## Messages\n\nThe students of the seeded threads write to their tutors through the records API at a fixed offered rate (open loop); every tutor is subscribed over SSE as the web app is: to `my/messages` on Tutorbase (ids compared with the thread's readers), to `messages/*` on plain PocketBase (its rule checked per subscriber). Delivery: from a message's scheduled send to its event's arrival at the tutor's connection; create: to the answer.\n\n")
	w("| server | threads | tutors connected | offered | sent | created | refused | delivered | delivery p50 | delivery p95 | delivery p99 | max | create p50 | create p95 | create p99 | server CPU per message | CPU server / load gen / other |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, x := range r.Messages {
		w("| %s | %d | %d | %.0f/s | %d | %d | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %.2f / %.2f / %.2f |\n",
			x.Target, x.Threads, x.Connected, x.Rate, x.Sent, x.Created, x.Refused, x.Delivered, ms(x.P50), ms(x.P95), ms(x.P99), ms(x.Max),
			ms(x.CreateP50), ms(x.CreateP95), ms(x.CreateP99), ms(x.ServerCPUPer), x.CPU.Server, x.CPU.LoadGen, x.CPU.Other)
	}
	if tb, plain := r.messagesOf("tutorbase"), r.messagesOf("plain"); tb != nil && plain != nil && plain.CreateP95 > 0 && plain.P95 > 0 {
		w("\nTutorbase / plain PocketBase at %.0f/s: delivery p95 **%.2f×**, create p95 **%.2f×** (target ≤ 3×).\n",
			tb.Rate, float64(tb.P95)/float64(plain.P95), float64(tb.CreateP95)/float64(plain.CreateP95))
	}
}

func (r *report) messagesOf(target string) *messagesResult {
	for _, x := range r.Messages {
		if x.Target == target {
			return x
		}
	}
	return nil
}

// messagesTarget checks issue 19's target: Tutorbase's message p95 (send
// and live delivery, and the create alone) at most 3 × plain PocketBase's
// at the same offered rate, with every message created and delivered.
func (r *report) messagesTarget() {
	tb, plain := r.messagesOf("tutorbase"), r.messagesOf("plain")
	if tb == nil || plain == nil || plain.P95 <= 0 || plain.CreateP95 <= 0 {
		return
	}
	d, c := float64(tb.P95)/float64(plain.P95), float64(tb.CreateP95)/float64(plain.CreateP95)
	r.addTarget(fmt.Sprintf("message send + live delivery at %.0f/s offered: p95 ≤ 3 × plain PocketBase's (issue 19)", tb.Rate),
		fmt.Sprintf("delivery %s vs %s = %.2f×; create %s vs %s = %.2f×; %d of %d delivered", ms(tb.P95), ms(plain.P95), d, ms(tb.CreateP95), ms(plain.CreateP95), c, tb.Delivered, tb.Sent),
		d <= 3 && c <= 3 && tb.Refused == 0 && tb.Delivered == tb.Created)
}
