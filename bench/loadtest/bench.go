package main

import (
	"fmt"
	"hash/fnv"
	"log"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// benchEnv is how the load test runs Tutorbase: every client comes from
// one loopback IP, so the per-IP limits (PocketBase's rate limiter, the
// visitors' in-flight limit) would measure themselves; the per-person
// in-flight limit stays as shipped.
var benchEnv = []string{"TB_RATE_LIMITS=off", "TB_MAX_INFLIGHT_GUEST=off"}

// bench holds the seeded data dirs, their servers and what the phases
// learnt.
type bench struct {
	o      options
	root   string
	client *http.Client

	tb, plain     *server
	tbFx, plainFx *fixture
	seeds         []seedInfo
	durability    *durabilityResult
	drill         *drillResult
	soak          *soakResult
	realtime      []*realtimeResult
	messages      []*messagesResult
	errs          *errorSampler
}

func newBench(o options, root string) *bench {
	return &bench{o: o, root: root, client: newHTTPClient(), errs: newErrorSampler()}
}

func (b *bench) close() {
	for _, s := range []*server{b.tb, b.plain} {
		if s != nil {
			s.stop()
		}
	}
}

// prepare seeds the data dirs the selected phases need.
func (b *bench) prepare(phases []string) error {
	needTB, needPlain := false, false
	for _, p := range phases {
		if strings.HasPrefix(p, "plain-") {
			needPlain = true
		} else {
			needTB = true
		}
	}
	if needTB {
		dir := filepath.Join(b.root, "tutorbase")
		log.Printf("seeding Tutorbase: %d tutors, %d students, %d bookings", b.o.tutors, b.o.students, b.o.bookings)
		fx, info, err := seedTutorbase(dir, b.o, b.o.bookings)
		if err != nil {
			return fmt.Errorf("seed tutorbase: %w", err)
		}
		log.Printf("seeded Tutorbase in %s", info.Took.Round(time.Millisecond))
		fx.clients = b.o.clients
		b.tbFx, b.seeds = fx, append(b.seeds, info)
		b.tb = newServer("tutorbase", b.o.tutorbase, dir, benchEnv...)
	}
	if needPlain {
		dir := filepath.Join(b.root, "plain")
		b.plain = newServer("plain", b.o.plain, dir)
		// plainpb makes its schema on bootstrap: start it once, then seed
		if err := b.plain.start(); err != nil {
			return err
		}
		if err := b.plain.stop(); err != nil {
			return err
		}
		log.Printf("seeding plain PocketBase: same people, %d bookings", b.o.bookings)
		fx, info, err := seedPlain(dir, b.o, b.o.bookings)
		if err != nil {
			return fmt.Errorf("seed plain: %w", err)
		}
		log.Printf("seeded plain PocketBase in %s", info.Took.Round(time.Millisecond))
		fx.clients = b.o.clients
		b.plainFx, b.seeds = fx, append(b.seeds, info)
	}
	return nil
}

// use makes target's server the only one running (the two would share the
// same two cores).
func (b *bench) use(target string) (*server, *fixture, error) {
	srv, other, fx := b.tb, b.plain, b.tbFx
	if target == "plain" {
		srv, other, fx = b.plain, b.tb, b.plainFx
	}
	if other != nil {
		if err := other.stop(); err != nil {
			return nil, nil, err
		}
	}
	if srv == nil {
		return nil, nil, fmt.Errorf("%s was not seeded", target)
	}
	return srv, fx, srv.start()
}

// phaseResult is one line of the report.
type phaseResult struct {
	Phase    string        `json:"phase"`
	Target   string        `json:"target"`
	Mode     string        `json:"mode"` // closed | open
	Clients  int           `json:"clients,omitempty"`
	Rate     float64       `json:"offered_rate,omitempty"`
	Bookings int           `json:"bookings_seeded"`
	Window   time.Duration `json:"window_ns"`
	Drain    time.Duration `json:"drain_ns,omitempty"` // open loop: time after the schedule ended until the last answer
	CPU      cpuUse        `json:"cpu"`
	stats
}

// phaseSeed gives each phase its own reproducible request stream.
func (b *bench) phaseSeed(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return b.o.seed ^ h.Sum64()
}

func (b *bench) runPhase(name string) ([]phaseResult, error) {
	log.Printf("phase %s", name)
	switch name {
	case "create":
		return b.measure(name, "tutorbase", 0, createGen)
	case "plain-create":
		return b.measure(name, "plain", 0, plainCreateGen)
	case "slots":
		return b.measure(name, "tutorbase", 0, slotsGen)
	case "list":
		return b.measure(name, "tutorbase", 0, listGen)
	case "plain-list":
		return b.measure(name, "plain", 0, listGen)
	case "open-create":
		return b.measure(name, "tutorbase", b.o.createRate, createGen)
	case "open-slots":
		return b.measure(name, "tutorbase", b.o.slotsRate, slotsGen)
	case "open-list":
		return b.measure(name, "tutorbase", b.o.listRate, listGen)
	case "noisy":
		return b.runNoisy()
	case "durability":
		d, err := b.runDurability()
		b.durability = d
		return nil, err
	case "drill":
		d, err := b.runDrill()
		b.drill = d
		return nil, err
	case "soak":
		r, err := b.runSoak()
		b.soak = r
		return nil, err
	case "realtime", "plain-realtime":
		target := "tutorbase"
		if name == "plain-realtime" {
			target = "plain"
		}
		r, err := b.runRealtime(target)
		if r != nil {
			b.realtime = append(b.realtime, r)
		}
		return nil, err
	case "messages", "plain-messages":
		target := "tutorbase"
		if name == "plain-messages" {
			target = "plain"
		}
		r, err := b.runMessages(target)
		if r != nil {
			b.messages = append(b.messages, r)
		}
		return nil, err
	}
	return nil, fmt.Errorf("unknown phase %q", name)
}

// measure runs one closed-loop (rate 0) or open-loop phase against target.
func (b *bench) measure(name, target string, rate float64, gen func(*fixture) generator) ([]phaseResult, error) {
	srv, fx, err := b.use(target)
	if err != nil {
		return nil, err
	}
	res := runLoad(b.client, srv, b.o, name, target, rate, gen(fx), b.phaseSeed(name), b.errs.hook(name))
	res.Bookings = b.o.bookings
	log.Printf("  %s", res.line())
	return []phaseResult{res}, nil
}

// runLoad runs and summarises one phase.
func runLoad(c *http.Client, srv *server, o options, name, target string, rate float64, gen generator, seed uint64, done onDone) phaseResult {
	spec := loadSpec{base: srv.base, clients: o.clients, rate: rate, warmup: o.warmup, duration: o.duration,
		timeout: o.timeout, inflight: o.inflight, seed: seed, gen: gen, done: done}
	res := phaseResult{Phase: name, Target: target}
	before := takeCPU(srv.pid())
	if rate > 0 {
		samples, drain := runOpen(c, spec)
		// achieved rate: what completed, over the schedule plus the time
		// the last answers took to arrive after it
		res.Mode, res.Rate, res.Window, res.Drain = "open", rate, o.duration, drain
		res.stats = summarize(samples, o.duration+drain)
	} else {
		samples, window := runClosed(c, spec)
		res.Mode, res.Clients, res.Window = "closed", o.clients, window
		res.stats = summarize(samples, window)
	}
	res.CPU = cpuBetween(before, takeCPU(srv.pid()))
	if took := settle(srv); took > time.Second {
		log.Printf("  the server was busy for %s after the phase (abandoned requests)", took.Round(100*time.Millisecond))
	}
	return res
}

func (r phaseResult) line() string {
	return fmt.Sprintf("%d req, %.0f/s, p50 %s p95 %s p99 %s max %s, 2xx %d, 409 %d, 4xx %d, 5xx %d, transport %d, timeouts %d; cpu server %.2f loadgen %.2f other %.2f idle %.2f (iowait %.2f)",
		r.Requests, r.Throughput, ms(r.P50), ms(r.P95), ms(r.P99), ms(r.Max), r.OK, r.Conflicts, r.Client4xx, r.Server5xx, r.Transport, r.Timeouts,
		r.CPU.Server, r.CPU.LoadGen, r.CPU.Other, r.CPU.Idle, r.CPU.IOWait)
}

// settle waits (up to two minutes) until the server's CPU use drops below
// a tenth of a core, so a phase that left abandoned requests behind does
// not slow the next one.
func settle(srv *server) time.Duration {
	began := time.Now()
	for time.Since(began) < 2*time.Minute {
		a := takeCPU(srv.pid())
		time.Sleep(300 * time.Millisecond)
		if cpuBetween(a, takeCPU(srv.pid())).Server < 0.1 {
			break
		}
	}
	return time.Since(began)
}

// errorSampler keeps the first answers of each phase and status that are
// neither 2xx nor 409, to show in the report what went wrong.
type errorSampler struct {
	mu      sync.Mutex
	samples map[string][]string
}

func newErrorSampler() *errorSampler { return &errorSampler{samples: map[string][]string{}} }

func (e *errorSampler) hook(phase string) onDone {
	return func(req request, status int, body []byte, at time.Time) {
		if status < 300 || status == http.StatusConflict { // timeouts and transport errors never get here
			return
		}
		key := fmt.Sprintf("%s %d", phase, status)
		e.mu.Lock()
		defer e.mu.Unlock()
		if len(e.samples[key]) < 2 {
			text := string(body)
			if len(text) > 300 {
				text = text[:300] + "..."
			}
			e.samples[key] = append(e.samples[key], req.method+" "+req.path+" -> "+text)
		}
	}
}
