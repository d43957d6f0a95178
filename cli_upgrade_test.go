package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// unapply removes migration file from the data dir's applied list, as if
// the data dir had been served by an older binary.
func unapply(t *testing.T, data, file string) {
	t.Helper()
	db, err := core.DefaultDBConnect(filepath.Join(data, "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Delete("_migrations", dbx.HashExp{"file": file}).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%s was not applied", file)
	}
}

func applied(t *testing.T, data, file string) bool {
	t.Helper()
	db, err := core.DefaultDBConnect(filepath.Join(data, "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.NewQuery("SELECT COUNT(*) FROM _migrations WHERE file = {:f}").Bind(dbx.Params{"f": file}).Row(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// TestUpgrade: upgrade-check lists what a newer binary would apply;
// serve backs up the data dir before applying it (the backup verified);
// a migration that fails is rolled back and the server refuses to start
// with a clear message, the data dir as it was.
func TestUpgrade(t *testing.T) {
	t.Parallel()
	bin := makeBuild(t)
	data := filepath.Join(t.TempDir(), "pb_data")
	if code, out := exitCode(t, bin, nil, "seed", "--demo", "--dir", data); code != 0 {
		t.Fatalf("seed: exit %d\n%s", code, out)
	}
	code, out := exitCode(t, bin, nil, "upgrade-check", "--dir", data)
	if code != 0 || !strings.Contains(out, "Up to date") {
		t.Fatalf("upgrade-check of a current data dir: exit %d\n%s", code, out)
	}

	const idempotent = "1795690000_note_outbox.go" // CREATE TABLE IF NOT EXISTS: applies again cleanly
	unapply(t, data, idempotent)
	code, out = exitCode(t, bin, nil, "upgrade-check", "--dir", data)
	if code != 0 || !strings.Contains(out, "1 migrations pending") || !strings.Contains(out, idempotent+"  note outbox") {
		t.Fatalf("upgrade-check with one pending: exit %d\n%s", code, out)
	}
	addr := freeAddr(t)
	c := exec.Command(bin, "serve", "--http", addr, "--dir", data)
	c.Env = cleanEnv(nil)
	srv := start(t, c, addr)
	if err := srv.stop(t); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if !strings.Contains(srv.stderr.String(), "backing up the data dir first as pre_upgrade_") {
		t.Fatalf("no pre-upgrade backup announced:\n%s", srv.stderr)
	}
	backups, _ := filepath.Glob(filepath.Join(data, "backups", "pre_upgrade_*.zip"))
	if len(backups) != 1 || !applied(t, data, idempotent) {
		t.Fatalf("backups %v, applied %v", backups, applied(t, data, idempotent))
	}
	if code, out := exitCode(t, bin, nil, "backup", "verify", backups[0]); code != 0 || !strings.Contains(out, "1 pending") {
		t.Fatalf("the pre-upgrade backup is the data dir before the upgrade: exit %d\n%s", code, out)
	}

	const failing = "1795632600_create_community.go" // creates collections that exist: fails
	unapply(t, data, failing)
	unapply(t, data, idempotent)
	code, out = exitCode(t, bin, nil, "serve", "--http", freeAddr(t), "--dir", data)
	if code != 1 || !strings.Contains(out, "tutorbase did not start: failed to apply migration "+failing) ||
		!strings.Contains(out, "rolled back") {
		t.Fatalf("serve with a failing migration: exit %d, want 1\n%s", code, out)
	}
	if applied(t, data, idempotent) || applied(t, data, failing) {
		t.Fatal("a migration of the failed start stayed applied")
	}
	if backups, _ := filepath.Glob(filepath.Join(data, "backups", "pre_upgrade_*.zip")); len(backups) < 1 {
		t.Fatal("no pre-upgrade backup")
	}
	_ = os.RemoveAll(data)
}
