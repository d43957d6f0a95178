package main

import (
	"fmt"
	"log"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"tutorbase/internal/querycost"
)

// The noisy-neighbour phase (issue 12): quietClients visitors ask for
// slots, alone (noisy-base) and while noisyClients clients of one student
// account send the records API the filters that each used to keep a core
// busy for 30 s, deeper ones, and the costliest lists the bounds still
// allow (noisy). The report compares the slots' p95 of the two.
const (
	quietClients = 20
	noisyClients = 10
)

// noisyGen: one student (with lessons), on their bookings list: 2 in 10
// the filter, 5 in 10 one of querycost.DeeperFamily (refused
// before any SQL), 3 in 10 a list within the bounds but as costly as they
// allow (two-hop LIKE filters, a two-hop sort, a two-level expand, 200 a
// page).
func noisyGen(fx *fixture) generator {
	family := querycost.DeeperFamily()
	who := fx.Students[pick(rand.New(rand.NewPCG(1, 1)), fx.listStudents, len(fx.Students))]
	return func(client int, rng *rand.Rand) request {
		q := url.Values{}
		switch n := rng.IntN(10); {
		case n < 2:
			q.Set("filter", `student.bookings_via_student.student.bookings_via_student.student.bookings_via_student.id != ""`)
		case n < 7:
			f := family[rng.IntN(len(family))]
			for k, v := range map[string]string{"filter": f.Filter, "sort": f.Sort, "expand": f.Expand} {
				if v != "" {
					q.Set(k, v)
				}
			}
		default:
			q.Set("filter", `(tutor.user.name ~ "a" || subject.name ~ "e" || notes ~ "x" || tutor.user.email ~ "o") && start > "2000-01-01"`)
			q.Set("sort", "-tutor.user.name,subject.name,-start")
			q.Set("expand", "tutor.user,subject,purchase")
			q.Set("perPage", "200")
		}
		return request{method: "GET", path: "/api/collections/bookings/records?" + q.Encode(), token: who.Token}
	}
}

// noisyRounds: the slots are measured alone and beside the noise in
// alternating windows (alone, beside, alone, beside, ...), each a
// noisyRounds-th of -duration, so that whatever else the machine runs
// meanwhile weighs on both sides alike.
const noisyRounds = 4

// runNoisy measures the slots alone and beside the noisy clients. The 20
// slot clients together send at most -rate-quiet requests a second (below
// saturation, so that p95 shows what a visitor waits, not the queue of a
// saturated closed loop); each noisy client at most -rate-noisy (what the
// shipped rate limiter, switched off here, lets one IP send).
func (b *bench) runNoisy() ([]phaseResult, error) {
	srv, fx, err := b.use("tutorbase")
	if err != nil {
		return nil, err
	}
	o := b.o
	quiet := func(name string, round int, d time.Duration) loadSpec {
		return loadSpec{base: srv.base, clients: quietClients, duration: d, timeout: o.timeout,
			seed: b.phaseSeed(fmt.Sprintf("%s %d", name, round)), gen: slotsGen(fx), done: b.errs.hook(name),
			pace: perSecond(o.quietRate / quietClients)}
	}
	runClosed(b.client, quiet("noisy-warmup", 0, o.warmup)) // unmeasured
	alone := newPacedResult("noisy-base", o)
	beside := newPacedResult("noisy", o)
	noise := &pacedResult{res: phaseResult{Phase: "noisy-clients", Target: "tutorbase", Mode: "closed", Clients: noisyClients,
		Rate: o.noisyRate * noisyClients, Bookings: o.bookings}}
	window := o.duration / noisyRounds
	for round := range noisyRounds {
		alone.measure(b.client, srv, quiet("noisy-base", round, window))
		stop, done := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(done)
			samples, w := runClosed(b.client, loadSpec{base: srv.base, clients: noisyClients, duration: 2 * window, timeout: o.timeout,
				seed: b.phaseSeed(fmt.Sprintf("noisy-clients %d", round)), gen: noisyGen(fx), stop: stop, pace: perSecond(o.noisyRate)})
			noise.add(samples, w, cpuUse{})
		}()
		beside.measure(b.client, srv, quiet("noisy", round, window))
		close(stop)
		<-done
	}
	settle(srv)
	out := []phaseResult{alone.result(), beside.result(), noise.result()}
	log.Printf("  alone: %s", out[0].line())
	log.Printf("  beside %d noisy clients: %s", noisyClients, out[1].line())
	log.Printf("  the noisy clients: %s (status %v)", out[2].line(), out[2].Status)
	return out, nil
}

// pacedResult gathers the windows of one side of the noisy phase.
type pacedResult struct {
	res     phaseResult
	samples []sample
	window  time.Duration
	cpu     []cpuUse
}

func newPacedResult(name string, o options) *pacedResult {
	return &pacedResult{res: phaseResult{Phase: name, Target: "tutorbase", Mode: "closed", Clients: quietClients, Rate: o.quietRate, Bookings: o.bookings}}
}

// measure runs spec once and keeps its samples and the CPU it saw.
func (p *pacedResult) measure(c *http.Client, srv *server, spec loadSpec) {
	before := takeCPU(srv.pid())
	samples, w := runClosed(c, spec)
	p.add(samples, w, cpuBetween(before, takeCPU(srv.pid())))
}

func (p *pacedResult) add(samples []sample, w time.Duration, cpu cpuUse) {
	p.samples = append(p.samples, samples...)
	p.window += w
	p.cpu = append(p.cpu, cpu)
}

// result summarises every window; the CPU is their mean.
func (p *pacedResult) result() phaseResult {
	r := p.res
	r.Window, r.stats = p.window, summarize(p.samples, p.window)
	for _, c := range p.cpu {
		n := float64(len(p.cpu))
		r.CPU.Server += c.Server / n
		r.CPU.LoadGen += c.LoadGen / n
		r.CPU.Other += c.Other / n
		r.CPU.Idle += c.Idle / n
		r.CPU.IOWait += c.IOWait / n
	}
	return r
}

// perSecond is the pace of rate requests a second (0: no pace).
func perSecond(rate float64) time.Duration {
	if rate <= 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / rate)
}

// noisyMoved is how much the slots' p95 moved beside the noisy clients, as
// a fraction of its value alone.
func (r *report) noisyMoved() (base, under *phaseResult, moved float64, ok bool) {
	base, under = r.phase("noisy-base"), r.phase("noisy")
	if base == nil || under == nil || base.P95 == 0 {
		return nil, nil, 0, false
	}
	return base, under, float64(under.P95-base.P95) / float64(base.P95), true
}

// noisyTarget adds issue 12's target to the report.
func (r *report) noisyTarget(add func(target, got string, pass bool)) {
	base, under, moved, ok := r.noisyMoved()
	if !ok {
		return
	}
	add(fmt.Sprintf("slots p95 (%d clients) moves < 20 %% beside %d clients sending refused or costly filters", quietClients, noisyClients),
		fmt.Sprintf("%s alone, %s beside them: %+.0f %%", ms(base.P95), ms(under.P95), 100*moved),
		moved < 0.2 && under.Server5xx == 0 && under.Timeouts == 0)
}
