package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"time"
)

// report is everything a run learnt.
type report struct {
	Machine    machine             `json:"machine"`
	Command    string              `json:"command"`
	Options    options             `json:"-"`
	Started    time.Time           `json:"started"`
	Finished   time.Time           `json:"finished"`
	Seeds      []seedInfo          `json:"seeds"`
	Phases     []phaseResult       `json:"phases"`
	Invariants *invariants         `json:"invariants,omitempty"`
	Durability *durabilityResult   `json:"durability,omitempty"`
	Drill      *drillResult        `json:"drill,omitempty"`
	Soak       *soakResult         `json:"soak,omitempty"`
	Realtime   []*realtimeResult   `json:"realtime,omitempty"`
	Messages   []*messagesResult   `json:"messages,omitempty"`
	Scale      *scaleResult        `json:"scale,omitempty"`
	Targets    []targetCheck       `json:"targets"`
	Errors     map[string][]string `json:"error_samples,omitempty"`
}

// targetCheck is one of DESIGN.md's performance targets and whether this
// run met it.
type targetCheck struct {
	Target string `json:"target"`
	Got    string `json:"measured"`
	Pass   bool   `json:"pass"`
}

func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f ms", v)
	case v < 1000:
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%.0f ms", v)
}

func (r *report) phase(name string) *phaseResult {
	for i := range r.Phases {
		if r.Phases[i].Phase == name {
			return &r.Phases[i]
		}
	}
	return nil
}

// evaluate compares the run with DESIGN.md "Performance targets", in the
// order the report lists them.
func (r *report) evaluate() {
	r.throughputTargets()
	r.latencyTargets()
	r.scaleTargets()
	r.noisyTarget(r.addTarget)
	r.messagesTarget()
	r.correctnessTargets()
}

// addTarget records one target and what this run measured for it.
func (r *report) addTarget(target, got string, pass bool) {
	r.Targets = append(r.Targets, targetCheck{target, got, pass})
}

// throughputTargets checks the closed-loop phases: the create rate against
// plain PocketBase's, and each phase's rate against its floor.
func (r *report) throughputTargets() {
	create, plain := r.phase("create"), r.phase("plain-create")
	if create != nil && plain != nil && plain.Throughput > 0 {
		ratio := create.Throughput / plain.Throughput
		r.addTarget("booking create ≥ 50 % of plain PocketBase create (closed loop)",
			fmt.Sprintf("%.0f/s vs %.0f/s = %.0f %%", create.Throughput, plain.Throughput, 100*ratio), ratio >= 0.5)
	}
	closed := []struct {
		phase string
		min   float64
		label string
	}{
		{"create", 600, "booking create ≥ 600/s (closed loop, issue)"},
		{"slots", 1500, "slot queries ≥ 1,500/s (closed loop)"},
		{"list", 1200, "\"my bookings\" ≥ 1,200/s (closed loop)"},
	}
	for _, c := range closed {
		if p := r.phase(c.phase); p != nil {
			r.addTarget(c.label, fmt.Sprintf("%.0f/s", p.Throughput), p.Throughput >= c.min)
		}
	}
}

// latencyTargets checks the open-loop phases' p95 at their offered rate;
// a 5xx or a timeout fails the target whatever the p95.
func (r *report) latencyTargets() {
	open := []struct {
		phase string
		p95   time.Duration
		what  string
	}{
		{"open-create", 40 * time.Millisecond, "booking create"},
		{"open-slots", 20 * time.Millisecond, "slot queries"},
		{"open-list", 25 * time.Millisecond, "\"my bookings\""},
	}
	for _, c := range open {
		if p := r.phase(c.phase); p != nil {
			r.addTarget(fmt.Sprintf("%s at %.0f/s offered: p95 ≤ %s (open loop)", c.what, p.Rate, ms(c.p95)),
				fmt.Sprintf("p95 %s (answered %.0f/s, %d timeouts)", ms(p.P95), p.Throughput, p.Timeouts), p.P95 <= c.p95 && p.Server5xx == 0 && p.Timeouts == 0)
		}
	}
}

// scaleTargets checks, for the open-loop phases of the scale runs, that
// p95 with the large data dir stays within 1.5 × p95 with the small one.
func (r *report) scaleTargets() {
	sc := r.Scale
	if sc == nil {
		return
	}
	for _, ph := range []string{"open-slots", "open-list"} {
		small, large := sc.find(ph, sc.Small), sc.find(ph, sc.Large)
		if small == nil || large == nil || small.P95 == 0 {
			continue
		}
		ratio := float64(large.P95) / float64(small.P95)
		label := fmt.Sprintf("scale, %s at %.0f/s: p95 with %d bookings ≤ 1.5 × p95 with %d", ph, small.Rate, sc.Large, sc.Small)
		got := fmt.Sprintf("%s vs %s = %.2f×", ms(large.P95), ms(small.P95), ratio)
		switch {
		case small.Timeouts > 0:
			got = fmt.Sprintf("not measurable: %d timeouts with %d bookings already", small.Timeouts, sc.Small)
			ratio = math.Inf(1)
		case large.Timeouts > 0:
			got += fmt.Sprintf(" (at least: %d timeouts with %d bookings)", large.Timeouts, sc.Large)
		}
		r.addTarget(label, got, ratio <= 1.5 && large.Timeouts == 0)
	}
}

// correctnessTargets checks what must hold at any speed: no overlapping
// bookings, no 5xx, no acknowledged write lost across kill -9.
func (r *report) correctnessTargets() {
	if inv := r.Invariants; inv != nil {
		r.addTarget("0 overlapping bookings (tutor or student)",
			fmt.Sprintf("%d tutor, %d student", inv.TutorOverlaps, inv.StudentOverlaps), inv.TutorOverlaps == 0 && inv.StudentOverlaps == 0)
	}
	fivexx := r.tutorbase5xx()
	r.addTarget("0 5xx (every Tutorbase phase)", fmt.Sprintf("%d", fivexx), fivexx == 0)
	if d := r.Durability; d != nil {
		r.addTarget("0 acknowledged writes lost across kill -9",
			fmt.Sprintf("%d acknowledged, %d found, %d missing, %d unreadable", d.Acked, d.Found, d.Missing, d.CheckErrors),
			d.Missing == 0 && d.CheckErrors == 0 && d.Acked > 0)
	}
}

// tutorbase5xx counts the 5xx answers of every phase run against
// Tutorbase, the scale runs' and the durability load's included.
func (r *report) tutorbase5xx() int {
	fivexx := 0
	for _, p := range r.allPhases() {
		if p.Target == "tutorbase" {
			fivexx += p.Server5xx
		}
	}
	if r.Durability != nil {
		fivexx += r.Durability.Load.Server5xx
	}
	if r.Drill != nil {
		fivexx += r.Drill.Load.Server5xx
	}
	if r.Soak != nil {
		for _, p := range r.Soak.Points {
			fivexx += p.Errors
		}
	}
	return fivexx
}

func (r *report) allPhases() []phaseResult {
	out := slices.Clone(r.Phases)
	if r.Scale != nil {
		out = append(out, r.Scale.Phases...)
	}
	return out
}

// markdown renders the report; it evaluates the targets too.
func (r *report) markdown() string {
	var b strings.Builder
	r.writeMachine(&b)
	r.writeMethod(&b)
	r.writeSeeds(&b)
	r.writePhases(&b)
	r.writeScale(&b)
	r.writeChecks(&b)
	r.evaluate()
	r.writeTargets(&b)
	r.writeErrors(&b)
	return b.String()
}

// writer is fmt.Fprintf into b, the shorthand the report's sections are
// written with.
func writer(b *strings.Builder) func(format string, a ...any) {
	return func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
}

// writeMachine writes the title, what the run ran on and the command.
func (r *report) writeMachine(b *strings.Builder) {
	w := writer(b)
	m := r.Machine
	w("# Tutorbase load test, %s\n\n", r.Started.UTC().Format("2006-01-02 15:04 MST"))
	w("| machine | |\n|---|---|\n")
	w("| CPUs | %d × %s |\n| memory | %s |\n| kernel | %s |\n| Go | %s |\n| PocketBase | %s |\n| load average at start | %s |\n| duration of the run | %s |\n\n",
		m.CPUs, m.CPUModel, m.Memory, m.Kernel, m.Go, m.PocketBase, m.LoadAvg, r.Finished.Sub(r.Started).Round(time.Second))
	w("Command: `%s`\n\n", r.Command)
}

// writeMethod explains how the phases measure, with this run's settings,
// so that the figures can be read without the source.
func (r *report) writeMethod(b *strings.Builder) {
	writer(b)("Load generator and server share the machine's cores. Each phase: %s warm-up (not measured), then %s measured. "+
		"Latencies are exact nearest-rank percentiles over every request of the window. "+
		"Closed loop: each client sends its next request when the previous one is answered; a request unanswered after %s is abandoned. "+
		"Open loop: requests are launched on a fixed schedule (at most %d outstanding) and timed from their scheduled send time; "+
		"one that could not be sent within %s of it is dropped, answers are awaited up to %s after the schedule ends. "+
		"Abandoned and dropped requests count as timeouts, with the time they had waited as latency, so a percentile at or above %s means \"at least\".\n\n",
		r.Options.warmup, r.Options.duration, r.Options.timeout, r.Options.inflight, r.Options.timeout, r.Options.timeout, r.Options.timeout)
}

// writeSeeds lists the seeded data dirs and how long seeding took.
func (r *report) writeSeeds(b *strings.Builder) {
	if len(r.Seeds) == 0 {
		return
	}
	w := writer(b)
	w("## Seeded data\n\n| data dir | tutors | students | bookings | seeding took | how |\n|---|---:|---:|---:|---:|---|\n")
	for _, s := range r.Seeds {
		w("| %s | %d | %d | %d | %s | %s |\n", s.Target, s.Tutors, s.Students, s.Bookings, s.Took.Round(100*time.Millisecond), s.How)
	}
	w("\n")
}

// writePhases writes the phase table and what its lines mean together:
// Tutorbase against plain PocketBase, and the noisy neighbours' effect.
func (r *report) writePhases(b *strings.Builder) {
	w := writer(b)
	if len(r.Phases) > 0 {
		w("## Phases\n\n")
		phaseTable(b, r.Phases)
	}
	if c, p := r.phase("create"), r.phase("plain-create"); c != nil && p != nil && p.Throughput > 0 {
		w("\nCost of Tutorbase's booking rules: create %.0f/s vs plain PocketBase %.0f/s, ratio **%.2f** (p95 %s vs %s).\n",
			c.Throughput, p.Throughput, c.Throughput/p.Throughput, ms(c.P95), ms(p.P95))
	}
	if l, p := r.phase("list"), r.phase("plain-list"); l != nil && p != nil && p.Throughput > 0 {
		w("\"My bookings\": Tutorbase %.0f/s vs plain PocketBase %.0f/s, ratio **%.2f**.\n", l.Throughput, p.Throughput, l.Throughput/p.Throughput)
	}
	if base, under, moved, ok := r.noisyMoved(); ok {
		w("\nNoisy neighbours: %d visitors asking for slots (together at most %.0f/s) had p95 %s alone and %s while %d clients of one student sent the filters of issue 12, "+
			"deeper ones and the costliest lists the bounds allow (each at most %.0f/s): **%+.0f %%**.\n",
			quietClients, r.Options.quietRate, ms(base.P95), ms(under.P95), noisyClients, r.Options.noisyRate, 100*moved)
	}
}

// writeScale writes the scale runs' seeding times and phase table.
func (r *report) writeScale(b *strings.Builder) {
	sc := r.Scale
	if sc == nil {
		return
	}
	w := writer(b)
	w("\n## Scale: %d vs %d bookings\n\nThe same people; only the number of seeded bookings differs. Open-loop phases at %.0f/s.\n\n", sc.Small, sc.Large, r.Options.scaleRate)
	if len(sc.Seeds) > 0 {
		w("Seeding took %s and %s.\n\n", sc.Seeds[0].Took.Round(100*time.Millisecond), sc.Seeds[len(sc.Seeds)-1].Took.Round(100*time.Millisecond))
	}
	phaseTable(b, sc.Phases)
}

// writeChecks writes what the overlap and durability checks found.
func (r *report) writeChecks(b *strings.Builder) {
	w := writer(b)
	if inv := r.Invariants; inv != nil {
		w("\n## Overlaps\n\nAfter the phases, on the stopped Tutorbase data dir: %d bookings (%d pending or confirmed); "+
			"overlapping active pairs: **%d** for tutors, **%d** for students.\n", inv.Bookings, inv.Active, inv.TutorOverlaps, inv.StudentOverlaps)
	}
	if d := r.Durability; d != nil {
		w("\n## Durability\n\nBooking creates ran with %d closed-loop clients; after %s the server was killed with SIGKILL "+
			"(%d creates answered 2xx, %d answered 409, %d other; %d requests failed to connect while it was down) and restarted on the same data dir "+
			"(healthy again in %s). Of **%d** bookings acknowledged with a 2xx before the kill, **%d** were read back after the restart, "+
			"**%d** were missing, %d could not be read.\n",
			r.Options.clients, d.KillAfter.Round(100*time.Millisecond), d.Load.OK, d.Load.Conflicts, d.Load.Client4xx+d.Load.Server5xx, d.Load.Transport,
			d.Restart.Round(time.Millisecond), d.Acked, d.Found, d.Missing, d.CheckErrors)
	}
	r.writeSoak(w)
	r.writeRealtime(w)
	r.writeMessages(w)
	if d := r.Drill; d != nil {
		w("\n## Restore drill (Litestream)\n\nBooking creates ran with %d closed-loop clients while Litestream replicated data.db to a file replica "+
			"(sync every second); after %s the server and Litestream were killed with SIGKILL at once, the replica was restored into a new data dir "+
			"(**%s**) and served (healthy in %s); PRAGMA integrity_check: **%s**. Of **%d** bookings acknowledged, **%d** were lost "+
			"(**%d** of the %d acknowledged more than 5 s before the kill); %d could not be read.\n",
			r.Options.clients, d.KillAfter.Round(100*time.Millisecond), d.Restore.Round(time.Millisecond), d.Start.Round(time.Millisecond),
			d.Integrity, d.Acked, d.Lost, d.LostOld, d.AckedOld, d.CheckErrors)
	}
}

// writeTargets writes the evaluated targets, a miss in bold.
func (r *report) writeTargets(b *strings.Builder) {
	w := writer(b)
	w("\n## Targets (DESIGN.md \"Performance targets\")\n\n| target | measured | met |\n|---|---|---|\n")
	for _, t := range r.Targets {
		verdict := "**no**"
		if t.Pass {
			verdict = "yes"
		}
		w("| %s | %s | %s |\n", t.Target, t.Got, verdict)
	}
}

// writeErrors writes the sampled unexpected answers, by phase and status.
func (r *report) writeErrors(b *strings.Builder) {
	if len(r.Errors) == 0 {
		return
	}
	w := writer(b)
	w("\n## Samples of unexpected answers\n\n")
	keys := make([]string, 0, len(r.Errors))
	for k := range r.Errors {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, s := range r.Errors[k] {
			w("- %s: `%s`\n", k, strings.ReplaceAll(s, "`", "'"))
		}
	}
}

func phaseTable(b *strings.Builder, phases []phaseResult) {
	fmt.Fprintf(b, "| phase | server | bookings | load | requests | req/s | p50 | p95 | p99 | max | 2xx | 409 | other 4xx | 5xx | transport errors | timeouts | server CPU per answer | CPU cores: server / load gen / other / idle |\n")
	fmt.Fprintf(b, "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, p := range phases {
		load := fmt.Sprintf("closed, %d clients", p.Clients)
		if p.Mode == "closed" && p.Rate > 0 {
			load += fmt.Sprintf(", at most %.0f/s", p.Rate)
		}
		if p.Mode == "open" {
			load = fmt.Sprintf("open, %.0f/s offered", p.Rate)
		}
		fmt.Fprintf(b, "| %s | %s | %d | %s | %d | %.0f | %s | %s | %s | %s | %d | %d | %d | %d | %d | %d | %s | %.2f / %.2f / %.2f / %.2f |\n",
			p.Phase, p.Target, p.Bookings, load, p.Requests, p.Throughput, ms(p.P50), ms(p.P95), ms(p.P99), ms(p.Max),
			p.OK, p.Conflicts, p.Client4xx, p.Server5xx, p.Transport, p.Timeouts, cpuPerAnswer(p), p.CPU.Server, p.CPU.LoadGen, p.CPU.Other, p.CPU.Idle)
	}
}

// cpuPerAnswer is the server's CPU time per answered request over the
// phase (warm-up and idle time included, so it overestimates, most at low
// rates): unlike req/s, it hardly depends on what else runs on the machine.
func cpuPerAnswer(p phaseResult) string {
	answered := p.Requests - p.Timeouts - p.Transport
	if answered <= 0 || p.CPU.Server == 0 || p.Timeouts*10 > p.Requests {
		return "–" // mostly abandoned work: per answer it means nothing
	}
	total := p.Window
	if p.Mode == "open" {
		total += p.Drain
	}
	return ms(time.Duration(p.CPU.Server * float64(total) / float64(answered)))
}

// write prints the markdown report and saves it (and the JSON) where asked.
func (r *report) write(o options) error {
	md := r.markdown() // also evaluates the targets
	fmt.Print("\n" + md)
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if o.out != "" {
		out := []byte(md)
		if strings.HasSuffix(o.out, ".json") {
			out = data
		}
		if err := os.WriteFile(o.out, out, 0o644); err != nil {
			return err
		}
	}
	if o.jsonOut != "" {
		return os.WriteFile(o.jsonOut, data, 0o644)
	}
	return nil
}
