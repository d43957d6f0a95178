package main

import (
	"debug/elf"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// dockerfileJSON is the exec-form array after prefix on the Dockerfile's
// line starting with directive ("CMD", "ENTRYPOINT", "HEALTHCHECK").
func dockerfileJSON(t *testing.T, dockerfile, directive, prefix string) []string {
	t.Helper()
	for _, line := range strings.Split(dockerfile, "\n") {
		if !strings.HasPrefix(line, directive+" ") {
			continue
		}
		_, array, ok := strings.Cut(line, prefix)
		if !ok {
			t.Fatalf("%s has no %q: %s", directive, prefix, line)
		}
		var out []string
		if err := json.Unmarshal([]byte(strings.TrimSpace(prefix[len(prefix)-1:]+array)), &out); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		return out
	}
	t.Fatalf("no %s in the Dockerfile", directive)
	return nil
}

// TestContainerImagePieces tests what can be tested of the container image
// without a Docker daemon (this machine has none): the build stage's
// script (deploy/build.sh, the one the Dockerfile runs) makes a static
// binary with the version stamped in; the image's ENTRYPOINT and CMD,
// read from the Dockerfile, serve a data dir; its HEALTHCHECK command
// passes on the served server and fails when it is gone.
func TestContainerImagePieces(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	dockerfile := string(raw)
	if !strings.Contains(dockerfile, `RUN VERSION="$VERSION" OUT=/out/tutorbase sh deploy/build.sh`) {
		t.Fatal("the Dockerfile's build stage does not run deploy/build.sh")
	}
	bin := filepath.Join(t.TempDir(), "tutorbase")
	build := exec.Command("sh", "deploy/build.sh")
	build.Env = cleanEnv([]string{"VERSION=v9.9.9-test", "OUT=" + bin})
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("deploy/build.sh: %v\n%s", err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Fatal("the binary is dynamically linked: the distroless static image cannot run it")
		}
	}
	f.Close()
	if code, out := exitCode(t, bin, nil, "--version"); code != 0 || !strings.Contains(out, "v9.9.9-test") {
		t.Fatalf("--version: exit %d: %s", code, out)
	}

	entry := dockerfileJSON(t, dockerfile, "ENTRYPOINT", "[")
	args := dockerfileJSON(t, dockerfile, "CMD", "[")
	health := dockerfileJSON(t, dockerfile, "HEALTHCHECK", "CMD [")
	if len(entry) != 1 || entry[0] != "/tutorbase" || health[0] != "/tutorbase" {
		t.Fatalf("ENTRYPOINT %v, HEALTHCHECK %v: want the binary /tutorbase", entry, health)
	}
	addr := freeAddr(t)
	data := filepath.Join(t.TempDir(), "pb_data")
	subst := strings.NewReplacer("/pb_data", data, "0.0.0.0:8090", addr, "127.0.0.1:8090", addr)
	for i := range args {
		args[i] = subst.Replace(args[i])
	}
	c := exec.Command(bin, args...)
	c.Env = cleanEnv(nil)
	srv := start(t, c, addr)
	for i := range health {
		health[i] = subst.Replace(health[i])
	}
	if code, out := exitCode(t, bin, nil, health[1:]...); code != 0 {
		t.Fatalf("HEALTHCHECK on the served image: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(data, "data.db")); err != nil {
		t.Fatalf("CMD did not serve the volume's data dir: %v", err)
	}
	if err := srv.stop(t); err != nil {
		t.Fatal(err)
	}
	if code, _ := exitCode(t, bin, nil, health[1:]...); code != 1 {
		t.Fatalf("HEALTHCHECK with the server gone: exit %d, want 1", code)
	}
}
