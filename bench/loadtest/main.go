// Command loadtest is Tutorbase's loopback load test (`make bench`). It
// seeds a Tutorbase data dir and a plain PocketBase one (bench/plainpb) with
// the same users and bookings, starts each built binary on a free loopback
// port, drives it with closed-loop (saturation) and open-loop (fixed offered
// rate) phases, checks the invariants (no overlapping bookings, no 5xx, no
// acknowledged booking lost across kill -9) and prints a markdown report.
//
// It builds nothing: pass the binaries with -tutorbase and -plain. See
// docs/benchmarks.md for the method and the figures.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// options are the command-line flags.
type options struct {
	tutorbase, plain  string
	bookings, tutors  int
	busy              int
	students, clients int
	duration, warmup  time.Duration
	timeout           time.Duration
	inflight          int
	createRate        float64
	slotsRate         float64
	listRate          float64
	noisyRate         float64
	quietRate         float64
	phases            string
	scale             bool
	scaleSmall        int
	scaleLarge        int
	scaleRate         float64
	out, jsonOut      string
	seed              uint64
	workdir           string
	keep              bool
	litestream        string
	litestreamConfig  string
	soak              time.Duration
	soakRate          float64
	realtimeClients   int
	realtimeRate      float64
	realtimeTopics    string
	messagePairs      int
	messageTutors     int
	messagesRate      float64
}

// allPhases are the phases -phases may name, in the order they run.
var allPhases = []string{
	"create", "plain-create", "slots", "list", "plain-list",
	"open-create", "open-slots", "open-list", "noisy", "durability", "drill", "soak",
	"realtime", "plain-realtime", "messages", "plain-messages",
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.tutorbase, "tutorbase", "bin/tutorbase", "the built Tutorbase binary")
	flag.StringVar(&o.plain, "plain", "bin/plainpb", "the built plain PocketBase baseline (bench/plainpb)")
	flag.IntVar(&o.bookings, "bookings", 50000, "bookings seeded before the phases")
	flag.IntVar(&o.tutors, "tutors", 200, "tutors seeded (verified, active, available Mon-Sun 00:00-24:00)")
	flag.IntVar(&o.busy, "busy", 500, "busy times per tutor from their own calendar feeds (Tutorbase only), over the weeks the slots phases ask about")
	flag.IntVar(&o.students, "students", 2000, "students seeded")
	flag.IntVar(&o.clients, "clients", 32, "concurrent clients of the closed-loop phases")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "measured time of each phase")
	flag.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured run before each phase")
	flag.DurationVar(&o.timeout, "timeout", 10*time.Second, "closed loop: a request unanswered after this long is abandoned; open loop: one not sent this long after its scheduled time is dropped, and answers are awaited at most this long after the schedule ends; both count as timeouts")
	flag.IntVar(&o.inflight, "max-inflight", 256, "open loop: most requests outstanding at once (later ones wait, and their wait counts)")
	flag.Float64Var(&o.createRate, "rate-create", 600, "offered rate of open-create (requests/s)")
	flag.Float64Var(&o.slotsRate, "rate-slots", 1500, "offered rate of open-slots (requests/s)")
	flag.Float64Var(&o.listRate, "rate-list", 1000, "offered rate of open-list (requests/s)")
	flag.Float64Var(&o.noisyRate, "rate-noisy", 30, "noisy: requests per second each noisy client sends at most (30: what the shipped rate limiter lets one IP send to /api/; 0: as fast as answered)")
	flag.Float64Var(&o.quietRate, "rate-quiet", 600, "noisy: requests per second the 20 slot clients send together at most (below saturation)")
	flag.StringVar(&o.phases, "phases", "all", "comma-separated phases to run, or all (every one but soak): "+strings.Join(allPhases, ","))
	flag.BoolVar(&o.scale, "scale", true, "also compare p95 of slots and my-bookings with -scale-small vs -scale-large bookings")
	flag.IntVar(&o.scaleSmall, "scale-small", 1000, "bookings of the small scale run")
	flag.IntVar(&o.scaleLarge, "scale-large", 100000, "bookings of the large scale run")
	flag.Float64Var(&o.scaleRate, "scale-rate", 50, "offered rate of the scale runs' open-loop phases, low enough that p95 shows the work per request rather than queueing")
	flag.StringVar(&o.out, "out", "", "write the report here (.json: JSON, anything else: markdown)")
	flag.StringVar(&o.jsonOut, "json", "", "also write the results as JSON here")
	flag.Uint64Var(&o.seed, "seed", 1, "random seed (data and request mix)")
	flag.StringVar(&o.workdir, "workdir", "", "where the temp data dirs go (default: the system temp dir)")
	flag.BoolVar(&o.keep, "keep", false, "keep the data dirs and server logs")
	flag.StringVar(&o.litestream, "litestream", ".tools/bin/litestream", "the Litestream binary (phase drill)")
	flag.DurationVar(&o.soak, "soak", 30*time.Minute, "phase soak: how long the mixed load runs")
	flag.Float64Var(&o.soakRate, "rate-soak", 520, "phase soak: offered rate of the mixed load (a third each create, slots, list); 520/s is 30 % of the mix's capacity on the 2-core machine of docs/benchmarks.md")
	flag.IntVar(&o.realtimeClients, "realtime-clients", 2000, "phases realtime, plain-realtime: SSE clients (the first students) subscribed as the web app's calendar page")
	flag.StringVar(&o.realtimeTopics, "realtime-topics", "", "phase realtime: the topics each client subscribes to, comma-separated (empty: the web app's calendar page, "+strings.Join(webAppTopics, ",")+"; bookings/*: as before issue 26's own topics); plain-realtime always bookings/*")
	flag.Float64Var(&o.realtimeRate, "rate-realtime", 5, "phases realtime, plain-realtime: bookings a second made by the connected students, for -duration")
	flag.IntVar(&o.messagePairs, "message-pairs", 1000, "threads seeded for the message phases, thread i between student i and tutor i mod -message-tutors (each student writes at most 20 a minute in Tutorbase)")
	flag.IntVar(&o.messageTutors, "message-tutors", 10, "tutors of the message threads, each with its messages page open (an SSE connection): PocketBase checks each message against every subscribed connection")
	flag.Float64Var(&o.messagesRate, "rate-messages", 300, "phases messages, plain-messages: messages a second the threads' students send together (open loop), for -warmup plus -duration")
	flag.StringVar(&o.litestreamConfig, "litestream-config", "deploy/litestream.yml", "Litestream's configuration (phase drill; TB_DATA_DIR and LITESTREAM_REPLICA_URL are set)")
	flag.Parse()
	return o
}

func (o options) selected() ([]string, error) {
	if o.phases == "" || o.phases == "all" {
		// the 30-minute soak runs only when named (make soak)
		return slices.DeleteFunc(slices.Clone(allPhases), func(p string) bool { return p == "soak" }), nil
	}
	var out []string
	for _, p := range strings.Split(o.phases, ",") {
		p = strings.TrimSpace(p)
		if p == "scale" || p == "none" {
			continue
		}
		if !slices.Contains(allPhases, p) {
			return nil, fmt.Errorf("unknown phase %q (known: %s)", p, strings.Join(allPhases, ","))
		}
		out = append(out, p)
	}
	return out, nil
}

func main() {
	log.SetFlags(log.Ltime)
	o := parseFlags()
	if err := run(o); err != nil {
		log.Fatalf("loadtest: %v", err)
	}
}

// run seeds, runs the selected phases and the scale comparison, and writes
// the report.
func run(o options) error {
	phases, err := o.selected()
	if err != nil {
		return err
	}
	if err := checkBinaries(o, phases); err != nil {
		return err
	}
	root, err := os.MkdirTemp(o.workdir, "tutorbase-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		log.Printf("data dirs and logs kept in %s", root)
	} else {
		defer os.RemoveAll(root)
	}

	rep := &report{Machine: describeMachine(), Command: commandLine(), Options: o, Started: time.Now()}
	b := newBench(o, root)
	defer b.close()

	if len(phases) > 0 {
		if err := b.runPhases(phases, rep); err != nil {
			return err
		}
	}
	if o.scale {
		sc, err := b.runScale()
		if err != nil {
			return fmt.Errorf("scale: %w", err)
		}
		rep.Scale = sc
	}
	rep.Errors = b.errs.samples
	rep.Finished = time.Now()
	return rep.write(o)
}

// checkBinaries refuses to start without the built binaries the phases
// need (plain PocketBase: its phases and the scale runs; Litestream: the
// drill), or with one that PocketBase would run in dev mode.
func checkBinaries(o options, phases []string) error {
	bins := []string{o.tutorbase}
	for _, p := range phases {
		if strings.HasPrefix(p, "plain-") || o.scale {
			bins = append(bins, o.plain)
			break
		}
	}
	if slices.Contains(phases, "drill") {
		bins = append(bins, o.litestream)
	}
	for _, bin := range bins {
		if _, err := os.Stat(bin); err != nil {
			return fmt.Errorf("%s: %w (build it first: make build, go build -o bin/plainpb ./bench/plainpb)", bin, err)
		}
		if abs, _ := filepath.Abs(bin); strings.HasPrefix(abs, os.TempDir()) || strings.HasPrefix(bin, os.TempDir()) {
			// PocketBase takes a binary under the temp dir for `go run` and
			// turns dev mode on: every SQL statement printed to stderr
			return fmt.Errorf("%s is under %s, where PocketBase would run it in dev mode (SQL logging); build it elsewhere", bin, os.TempDir())
		}
	}
	return nil
}

// runPhases seeds the data dirs the phases need, runs the phases in order
// and then checks Tutorbase's data for overlaps, noting it all in rep.
func (b *bench) runPhases(phases []string, rep *report) error {
	if err := b.prepare(phases); err != nil {
		return err
	}
	rep.Seeds = b.seeds
	for _, p := range phases {
		res, err := b.runPhase(p)
		if err != nil {
			return fmt.Errorf("phase %s: %w", p, err)
		}
		rep.Phases = append(rep.Phases, res...)
	}
	if b.tb != nil {
		inv, err := b.invariants()
		if err != nil {
			return err
		}
		rep.Invariants = inv
	}
	rep.Durability = b.durability
	rep.Drill = b.drill
	rep.Soak = b.soak
	rep.Realtime = b.realtime
	rep.Messages = b.messages
	return nil
}

func commandLine() string {
	args := append([]string{filepath.Base(os.Args[0])}, os.Args[1:]...)
	return strings.Join(args, " ")
}
