package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"
)

// scaleResult compares the same phases on a small and a large data dir
// (DESIGN.md: p95 with 100,000 bookings within 1.5 x p95 with 1,000).
type scaleResult struct {
	Small  int           `json:"small_bookings"`
	Large  int           `json:"large_bookings"`
	Seeds  []seedInfo    `json:"seeds"`
	Phases []phaseResult `json:"phases"`
}

// scalePhases run at each size: throughput (closed) and p95 at a low
// offered rate (open, -scale-rate), so that the comparison shows how the
// work per request grows with the data, not how a saturated queue grows.
var scalePhases = []string{"slots", "list", "open-slots", "open-list"}

func (b *bench) runScale() (*scaleResult, error) {
	b.close() // the main servers stay down while the scale runs
	sc := &scaleResult{Small: b.o.scaleSmall, Large: b.o.scaleLarge}
	for _, n := range []int{b.o.scaleSmall, b.o.scaleLarge} {
		dir := filepath.Join(b.root, fmt.Sprintf("scale-%d", n))
		log.Printf("scale: seeding Tutorbase with %d bookings", n)
		fx, info, err := seedTutorbase(dir, b.o, n)
		if err != nil {
			return nil, err
		}
		log.Printf("scale: seeded in %s", info.Took.Round(time.Millisecond))
		info.Target = fmt.Sprintf("tutorbase (scale %d)", n)
		fx.clients = b.o.clients
		sc.Seeds = append(sc.Seeds, info)
		srv := newServer(fmt.Sprintf("tutorbase-scale-%d", n), b.o.tutorbase, dir, benchEnv...)
		if err := srv.start(); err != nil {
			return nil, err
		}
		for _, p := range scalePhases {
			rate, gen := 0.0, slotsGen
			switch p {
			case "list":
				gen = listGen
			case "open-slots":
				rate = b.o.scaleRate
			case "open-list":
				rate, gen = b.o.scaleRate, listGen
			}
			name := fmt.Sprintf("scale %d %s", n, p)
			log.Printf("phase %s", name)
			res := runLoad(b.client, srv, b.o, p, "tutorbase", rate, gen(fx), b.phaseSeed(name), b.errs.hook(name))
			res.Bookings = n
			log.Printf("  %s", res.line())
			sc.Phases = append(sc.Phases, res)
		}
		if err := srv.stop(); err != nil {
			return nil, err
		}
		if !b.o.keep {
			os.RemoveAll(dir)
		}
	}
	return sc, nil
}

// find returns the result of phase at size n.
func (sc *scaleResult) find(phase string, n int) *phaseResult {
	for i := range sc.Phases {
		if sc.Phases[i].Phase == phase && sc.Phases[i].Bookings == n {
			return &sc.Phases[i]
		}
	}
	return nil
}
