package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/ops"
	"tutorbase/jobs"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// TestReady: GET /api/ready answers 200 only when the database takes a
// write, every migration is applied and the jobs' scheduler runs; each
// failing check makes it 503 and names itself, to anyone (load balancers).
func TestReady(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	srv := hookstest.Serve(t, app)
	ready := func() (int, map[string]any) {
		t.Helper()
		r := hookstest.Call(t, srv, http.MethodGet, "/api/ready", "", nil)
		return r.Status, r.JSON()
	}
	checks := func(body map[string]any) map[string]any { return body["checks"].(map[string]any) }

	status, body := ready()
	require.Equal(t, http.StatusOK, status, "served just now: the scheduler's ticker starts at the next minute")
	require.Equal(t, true, body["ready"])
	require.Equal(t, map[string]any{"database": "ok", "migrations": "ok", "jobs": "ok"}, checks(body))

	app.Cron().RemoveAll()
	status, body = ready()
	require.Equal(t, http.StatusServiceUnavailable, status)
	require.Equal(t, "no jobs scheduled", checks(body)["jobs"])
	require.NoError(t, jobs.Register(app, hookstest.ServicesOf(app)))

	// a writer holding the lock: not writable, answered within the bound
	release := make(chan struct{})
	held := make(chan struct{})
	go func() {
		_ = app.RunInTransaction(func(tx core.App) error {
			_, err := tx.DB().NewQuery("UPDATE _params SET value = value WHERE 0").Execute()
			close(held)
			<-release
			return err
		})
	}()
	<-held
	start := time.Now()
	status, body = ready()
	close(release)
	require.Equal(t, http.StatusServiceUnavailable, status)
	require.Equal(t, "not writable", checks(body)["database"])
	require.Less(t, time.Since(start), 5*time.Second)

	known := ops.KnownMigrations()
	last := known[len(known)-1]
	_, err := app.DB().Delete("_migrations", dbx.HashExp{"file": last}).Execute()
	require.NoError(t, err)
	status, body = ready()
	require.Equal(t, http.StatusServiceUnavailable, status)
	require.Equal(t, "pending migration "+last, checks(body)["migrations"])
	require.Equal(t, "ok", checks(body)["database"], "the lock was released")
}
