package ops

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Readiness is the answer of GET /api/ready: each check "ok" or what is
// wrong, and Ready when every check is ok.
type Readiness struct {
	Ready  bool              `json:"ready"`
	Checks map[string]string `json:"checks"`
}

// Ready answers GET /api/ready for load balancers, compose and systemd:
// 200 when the database takes a write, every migration compiled in is
// applied and the jobs' scheduler runs; 503 with the failing checks
// otherwise. /api/health stays PocketBase's (the process answers).
func (s *Service) Ready(e *core.RequestEvent) error {
	r := s.CheckReady(e.Request.Context(), e.App)
	status := http.StatusOK
	if !r.Ready {
		status = http.StatusServiceUnavailable
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.JSON(status, r)
}

// CheckReady runs the readiness checks on app.
func (s *Service) CheckReady(ctx context.Context, app core.App) Readiness {
	r := Readiness{Ready: true, Checks: map[string]string{
		"database":   checkWritable(ctx, app),
		"migrations": checkMigrations(app),
		"jobs":       s.checkJobs(app),
	}}
	for _, v := range r.Checks {
		if v != "ok" {
			r.Ready = false
		}
	}
	return r
}

// checkWritable takes SQLite's write lock (a write statement that changes
// no row) within writeWait: a full disk, a read-only mount or a writer
// stuck holding the lock fail it.
func checkWritable(ctx context.Context, app core.App) string {
	ctx, cancel := context.WithTimeout(ctx, writeWait)
	defer cancel()
	done := make(chan error, 1)
	go func() { // the transaction waits for the one write connection without the context
		done <- app.RunInTransaction(func(tx core.App) error {
			_, err := tx.DB().NewQuery("UPDATE {{_params}} SET [[value]] = [[value]] WHERE 0").WithContext(ctx).Execute()
			return err
		})
	}()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		app.Logger().Error("readiness: the database takes no write", "error", err)
		return "not writable"
	}
	return "ok"
}

// writeWait bounds the write check.
const writeWait = 2 * time.Second

// checkMigrations compares the applied migrations with the ones compiled in.
func checkMigrations(app core.App) string {
	var applied []string
	if err := app.DB().NewQuery("SELECT file FROM _migrations").Column(&applied); err != nil {
		app.Logger().Error("readiness: cannot read the migrations", "error", err)
		return "cannot read the migrations"
	}
	for _, f := range KnownMigrations() {
		if !slices.Contains(applied, f) {
			return "pending migration " + f
		}
	}
	return "ok"
}

// checkJobs: jobs are scheduled, and the scheduler runs them.
func (s *Service) checkJobs(app core.App) string {
	now := s.env.Now()
	return jobsState(app.Cron().Total(), app.Cron().HasStarted(), sinceUnix(now, s.servedAt.Load()), s.Jobs.sinceLastRun(now))
}

// Bounds of the jobs check: PocketBase's scheduler starts its ticker at the
// next whole minute after the server starts, and some job runs every minute.
const (
	schedulerStartGrace = 90 * time.Second
	jobsStalledAfter    = 3 * time.Minute
)

// jobsState judges the scheduler: total jobs scheduled, whether its ticker
// runs, how long ago the server started serving and a job last started
// (negative: never).
func jobsState(total int, started bool, sinceServe, sinceRun time.Duration) string {
	switch {
	case total == 0:
		return "no jobs scheduled"
	case !started && (sinceServe < 0 || sinceServe > schedulerStartGrace):
		return "the job scheduler is not running"
	case started && sinceServe > jobsStalledAfter && (sinceRun < 0 || sinceRun > jobsStalledAfter):
		return "no job has started for 3 minutes"
	}
	return "ok"
}

// sinceUnix is how long before now the unix-seconds instant at was
// (negative when at is 0: never).
func sinceUnix(now time.Time, at int64) time.Duration {
	if at == 0 {
		return -1
	}
	return now.Sub(time.Unix(at, 0))
}
