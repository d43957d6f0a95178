package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// drillSafe is how old an acknowledged booking must be at the kill to be
// required in the restored copy (Litestream ships the WAL every second).
const drillSafe = 5 * time.Second

// drillResult is the restore drill (`make drill`): bookings created under
// load while Litestream replicates data.db to a file replica, the server
// and Litestream (run with deploy/litestream.yml) killed with SIGKILL at once (the machine lost), the
// replica restored into a new data dir and served.
type drillResult struct {
	KillAfter   time.Duration `json:"kill_after_ns"`
	Acked       int           `json:"acknowledged"`
	AckedOld    int           `json:"acknowledged_5s_before_kill"`
	Found       int           `json:"found_after_restore"`
	Lost        int           `json:"lost"`
	LostOld     int           `json:"lost_5s_before_kill"` // must be 0
	CheckErrors int           `json:"check_errors"`
	Integrity   string        `json:"integrity"`
	Restore     time.Duration `json:"restore_ns"` // litestream restore
	Start       time.Duration `json:"start_ns"`   // the restored server until /api/health
	Load        stats         `json:"load"`
}

// ack is one acknowledged booking: its student and when the answer came.
type ack struct {
	student int
	at      time.Time
}

// runDrill runs the drill on the seeded Tutorbase and fails when a booking
// acknowledged drillSafe before the kill is missing, or the restored
// database fails PRAGMA integrity_check.
func (b *bench) runDrill() (*drillResult, error) {
	srv, fx, err := b.use("tutorbase")
	if err != nil {
		return nil, err
	}
	replica := filepath.Join(b.root, "replica")
	cfg := litestream{bin: b.o.litestream, config: b.o.litestreamConfig,
		env: []string{"TB_DATA_DIR=" + srv.dir, "LITESTREAM_REPLICA_URL=file://" + replica}}
	ls := cfg.command("replicate")
	logf, err := os.Create(filepath.Join(b.root, "litestream.log"))
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	ls.Stdout, ls.Stderr = logf, logf
	if err := ls.Start(); err != nil {
		return nil, fmt.Errorf("litestream: %w", err)
	}
	lsDone := make(chan struct{})
	go func() { ls.Wait(); close(lsDone) }()
	if err := waitReplica(replica, lsDone, 30*time.Second); err != nil {
		ls.Process.Kill()
		return nil, err
	}
	d := &drillResult{KillAfter: max(2*drillSafe, b.o.duration)}
	acked, killAt, load := b.createUntilLost(srv, fx, d.KillAfter, func() {
		ls.Process.Signal(syscall.SIGKILL)
		srv.kill()
		<-lsDone
	})
	d.Load, d.Acked = load, len(acked)
	log.Printf("  SIGKILL to the server and Litestream after %s; %d bookings acknowledged", d.KillAfter, d.Acked)
	return d, b.restoreAndCheck(fx, cfg, srv.dir, acked, killAt, d)
}

// restoreAndCheck restores the replica into a new data dir, checks it and
// serves it, and reads back every acknowledged booking.
func (b *bench) restoreAndCheck(fx *fixture, cfg litestream, dir string, acked map[string]ack, killAt time.Time, d *drillResult) error {
	restored := filepath.Join(b.root, "restored")
	if err := os.MkdirAll(restored, 0o755); err != nil {
		return err
	}
	began := time.Now()
	out, err := cfg.command("restore", "-o", filepath.Join(restored, "data.db"), filepath.Join(dir, "data.db")).CombinedOutput()
	if err != nil {
		return fmt.Errorf("litestream restore: %w\n%s", err, out)
	}
	d.Restore = time.Since(began)
	if d.Integrity, err = integrityOf(filepath.Join(restored, "data.db")); err != nil {
		return err
	}
	rs := newServer("restored", b.o.tutorbase, restored, benchEnv...)
	began = time.Now()
	if err := rs.start(); err != nil {
		return fmt.Errorf("serve the restored copy: %w", err)
	}
	defer rs.stop()
	d.Start = time.Since(began)
	ids := make(map[string]int, len(acked))
	for id, a := range acked {
		ids[id] = a.student
	}
	missing := b.readBackMissing(rs, fx, ids, d)
	for id, a := range acked {
		if a.at.Before(killAt.Add(-drillSafe)) {
			d.AckedOld++
			if missing[id] {
				d.LostOld++
			}
		}
	}
	d.Lost = len(missing)
	log.Printf("  drill: %d acknowledged, %d lost (%d of the %d acknowledged more than %s before the kill); "+
		"integrity %s; restore %s, start %s; %d check errors",
		d.Acked, d.Lost, d.LostOld, d.AckedOld, drillSafe, d.Integrity, d.Restore.Round(time.Millisecond),
		d.Start.Round(time.Millisecond), d.CheckErrors)
	switch {
	case d.Integrity != "ok":
		return fmt.Errorf("the restored database fails PRAGMA integrity_check: %s", d.Integrity)
	case d.LostOld > 0:
		return fmt.Errorf("%d bookings acknowledged more than %s before the kill are not in the restored copy", d.LostOld, drillSafe)
	case d.CheckErrors > 0:
		return fmt.Errorf("%d bookings could not be read back", d.CheckErrors)
	case d.AckedOld == 0:
		return errors.New("no booking was acknowledged before the kill: the drill proved nothing")
	}
	return nil
}

// createUntilLost sends booking creates with the closed-loop clients and
// calls lose after killAfter; the clients stop 200 ms later. It returns
// each acknowledged booking (id -> student and answer time) and the kill's
// instant.
func (b *bench) createUntilLost(srv *server, fx *fixture, killAfter time.Duration, lose func()) (map[string]ack, time.Time, stats) {
	var mu sync.Mutex
	acked := map[string]ack{}
	done := func(req request, status int, body []byte, at time.Time) {
		var rec struct {
			Id string `json:"id"`
		}
		if status >= 200 && status < 300 && json.Unmarshal(body, &rec) == nil && rec.Id != "" {
			mu.Lock()
			acked[rec.Id] = ack{req.tag, at}
			mu.Unlock()
		}
	}
	stop := make(chan struct{})
	var killAt time.Time
	go func() {
		time.Sleep(killAfter)
		killAt = time.Now()
		lose()
		time.Sleep(200 * time.Millisecond)
		close(stop)
	}()
	spec := loadSpec{base: srv.base, clients: b.o.clients, duration: killAfter + time.Minute, timeout: b.o.timeout,
		seed: b.phaseSeed("drill"), gen: createGen(fx), done: done, stop: stop}
	samples, window := runClosed(b.client, spec)
	return acked, killAt, summarize(samples, window)
}

// readBackMissing reads back every booking of ids (id -> student) and
// returns those missing; it counts d.Found and d.CheckErrors.
func (b *bench) readBackMissing(srv *server, fx *fixture, ids map[string]int, d *drillResult) map[string]bool {
	var dur durabilityResult
	missing := map[string]bool{}
	var mu sync.Mutex
	b.readBackEach(srv, fx, ids, &dur, func(id string) {
		mu.Lock()
		missing[id] = true
		mu.Unlock()
	})
	d.Found, d.CheckErrors = dur.Found, dur.CheckErrors
	return missing
}

// litestream runs the Litestream binary with the repository's
// configuration (deploy/litestream.yml) and its environment.
type litestream struct {
	bin, config string
	env         []string
}

func (l litestream) command(sub string, args ...string) *exec.Cmd {
	c := exec.Command(l.bin, append([]string{sub, "-config", l.config}, args...)...)
	c.Env = append(os.Environ(), l.env...)
	return c
}

// waitReplica waits until Litestream has written the replica's first files.
func waitReplica(replica string, exited <-chan struct{}, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("litestream exited (see litestream.log)")
		default:
		}
		files := 0
		filepath.WalkDir(replica, func(_ string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				files++
			}
			return nil
		})
		if files > 0 {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return errors.New("litestream wrote no replica in time")
}

// integrityOf is PRAGMA integrity_check of the database at path.
func integrityOf(path string) (string, error) {
	db, err := core.DefaultDBConnect(path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var res string
	err = db.NewQuery("PRAGMA integrity_check").Row(&res)
	return res, err
}
