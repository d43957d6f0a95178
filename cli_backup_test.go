package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tools/archive"
)

// TestBackupVerifyCommand: `tutorbase backup verify FILE` passes a sound
// backup zip with its record counts, and exits 1 on a broken one.
func TestBackupVerifyCommand(t *testing.T) {
	t.Parallel()
	bin := makeBuild(t)
	data := filepath.Join(t.TempDir(), "pb_data")
	if code, out := exitCode(t, bin, nil, "superuser", "upsert", "owner@example.com", "a-long-password-1", "--dir", data); code != 0 {
		t.Fatalf("superuser upsert: exit %d\n%s", code, out)
	}
	good := filepath.Join(t.TempDir(), "good.zip")
	if err := archive.Create(data, good, "backups"); err != nil {
		t.Fatal(err)
	}
	code, out := exitCode(t, bin, nil, "backup", "verify", good, "--dir", filepath.Join(t.TempDir(), "other"))
	if code != 0 || !strings.Contains(out, "integrity: ok") || !strings.Contains(out, "_superusers") || !strings.HasSuffix(out, "ok\n") {
		t.Fatalf("verify of a sound backup: exit %d\n%s", code, out)
	}

	broken := filepath.Join(t.TempDir(), "pb_data")
	if err := os.MkdirAll(broken, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "data.db"), []byte("not a database"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.zip")
	if err := archive.Create(broken, bad); err != nil {
		t.Fatal(err)
	}
	code, out = exitCode(t, bin, nil, "backup", "verify", bad, "--dir", filepath.Join(t.TempDir(), "other"))
	if code != 1 || !strings.Contains(out, "backup failed verification") {
		t.Fatalf("verify of a broken backup: exit %d, want 1\n%s", code, out)
	}
}
