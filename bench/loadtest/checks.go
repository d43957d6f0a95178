package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// invariants are checked on the Tutorbase data dir after its server stops.
type invariants struct {
	Bookings        int `json:"bookings_total"`
	Active          int `json:"bookings_active"`
	TutorOverlaps   int `json:"tutor_overlaps"`
	StudentOverlaps int `json:"student_overlaps"`
}

// overlapSQL counts pairs of active bookings of one party that overlap: a
// pair overlaps when one starts inside the other, so walking the
// (party, start) index from each booking finds every pair once.
func overlapSQL(party string) string {
	return `SELECT count(*) FROM bookings a JOIN bookings b
		ON b.` + party + ` = a.` + party + ` AND b.id != a.id
		AND (b.start > a.start OR (b.start = a.start AND b.id > a.id)) AND b.start < a."end"
		WHERE a.status IN ('pending', 'confirmed') AND b.status IN ('pending', 'confirmed')`
}

// invariants stops Tutorbase and counts overlapping active bookings with
// plain SQL on its data.db.
func (b *bench) invariants() (*invariants, error) {
	if err := b.tb.stop(); err != nil {
		return nil, err
	}
	db, err := core.DefaultDBConnect(filepath.Join(b.tb.dir, "data.db"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	inv := &invariants{}
	for _, q := range []struct {
		sql string
		dst *int
	}{
		{"SELECT count(*) FROM bookings", &inv.Bookings},
		{"SELECT count(*) FROM bookings WHERE status IN ('pending', 'confirmed')", &inv.Active},
		{overlapSQL("tutor"), &inv.TutorOverlaps},
		{overlapSQL("student"), &inv.StudentOverlaps},
	} {
		if err := db.NewQuery(q.sql).Row(q.dst); err != nil {
			return nil, fmt.Errorf("%s: %w", q.sql, err)
		}
	}
	log.Printf("invariants: %d bookings (%d active), %d tutor overlaps, %d student overlaps",
		inv.Bookings, inv.Active, inv.TutorOverlaps, inv.StudentOverlaps)
	return inv, nil
}

// durabilityResult: bookings acknowledged (2xx) before a kill -9 must all
// be there after the restart.
type durabilityResult struct {
	KillAfter   time.Duration `json:"kill_after_ns"`
	Acked       int           `json:"acknowledged"`
	Found       int           `json:"found_after_restart"`
	Missing     int           `json:"missing"`
	CheckErrors int           `json:"check_errors"`
	Restart     time.Duration `json:"restart_ns"` // until /api/health answered again
	Load        stats         `json:"load"`       // the creates sent around the kill
}

// runDurability creates bookings with the closed-loop clients, kill -9s
// the server mid-run, restarts it on the same dir and reads back every
// booking whose create had been answered 2xx.
func (b *bench) runDurability() (*durabilityResult, error) {
	srv, fx, err := b.use("tutorbase")
	if err != nil {
		return nil, err
	}
	killAfter := max(2*time.Second, b.o.duration/3)
	d := &durabilityResult{KillAfter: killAfter}
	acked, load := b.createUntilKilled(srv, fx, killAfter)
	d.Load = load

	began := time.Now()
	if err := srv.start(); err != nil {
		return d, fmt.Errorf("restart after kill -9: %w", err)
	}
	d.Restart = time.Since(began)
	d.Acked = len(acked)
	b.readBack(srv, fx, acked, d)
	log.Printf("  durability: %d acknowledged, %d found after restart, %d missing, %d check errors (restart %s)",
		d.Acked, d.Found, d.Missing, d.CheckErrors, d.Restart.Round(time.Millisecond))
	return d, nil
}

// createUntilKilled sends booking creates with the closed-loop clients
// and kill -9s the server after killAfter; the clients stop 200 ms later.
// It returns the bookings whose create was answered 2xx (id -> student
// index, to read each back as its student) and the load's figures.
func (b *bench) createUntilKilled(srv *server, fx *fixture, killAfter time.Duration) (map[string]int, stats) {
	var mu sync.Mutex
	acked := map[string]int{} // booking id -> student index
	done := func(req request, status int, body []byte, at time.Time) {
		if status < 200 || status >= 300 {
			return
		}
		var rec struct {
			Id string `json:"id"`
		}
		if json.Unmarshal(body, &rec) == nil && rec.Id != "" {
			mu.Lock()
			acked[rec.Id] = req.tag
			mu.Unlock()
		}
	}
	stop := make(chan struct{})
	go func() {
		time.Sleep(killAfter)
		srv.kill()
		log.Printf("  kill -9 after %s", killAfter)
		time.Sleep(200 * time.Millisecond)
		close(stop)
	}()
	spec := loadSpec{base: srv.base, clients: b.o.clients, duration: killAfter + time.Minute, timeout: b.o.timeout,
		seed: b.phaseSeed("durability"), gen: createGen(fx), done: done, stop: stop}
	samples, window := runClosed(b.client, spec)
	return acked, summarize(samples, window)
}

// readBack asks the restarted server, with 16 workers, for every
// acknowledged booking as its student, and counts into d those found,
// those missing (404) and those it could not tell (any other outcome).
func (b *bench) readBack(srv *server, fx *fixture, acked map[string]int, d *durabilityResult) {
	b.readBackEach(srv, fx, acked, d, nil)
}

// readBackEach is readBack calling lost (when set) with each missing id.
func (b *bench) readBackEach(srv *server, fx *fixture, acked map[string]int, d *durabilityResult, lost func(id string)) {
	type check struct {
		id      string
		student int
	}
	var mu sync.Mutex
	work := make(chan check)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				status, _, err := send(context.Background(), b.client, srv.base, request{method: "GET",
					path: "/api/collections/bookings/records/" + c.id, token: fx.Students[c.student].Token})
				mu.Lock()
				switch {
				case err == nil && status == http.StatusOK:
					d.Found++
				case err == nil && status == http.StatusNotFound:
					d.Missing++
					if lost != nil {
						lost(c.id)
					}
				default:
					d.CheckErrors++
				}
				mu.Unlock()
			}
		}()
	}
	for id, s := range acked {
		work <- check{id, s}
	}
	close(work)
	wg.Wait()
}
