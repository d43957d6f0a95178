package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"tutorbase/testkit/syncbuf"
)

// These tests run the binary itself, built by README's own `make build`:
// what a school owner types is what is tested.

var build struct {
	once sync.Once
	err  error
	out  []byte
}

// makeBuild runs `make build` in the repository once per test binary and
// returns the binary's path.
func makeBuild(t *testing.T) string {
	t.Helper()
	build.once.Do(func() {
		c := exec.Command("make", "build")
		c.Env = cleanEnv(nil)
		build.out, build.err = c.CombinedOutput()
	})
	if build.err != nil {
		t.Fatalf("make build: %v\n%s", build.err, build.out)
	}
	bin, err := filepath.Abs(filepath.Join("bin", "tutorbase"))
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// cleanEnv is the test's environment without make's own variables (a
// nested make must not join the outer one's job server), plus extra.
func cleanEnv(extra []string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "MAKEFLAGS" || k == "MFLAGS" || k == "MAKELEVEL" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// freeAddr is a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// server is a running `tutorbase serve`.
type server struct {
	cmd            *exec.Cmd
	url            string
	stdout, stderr *syncbuf.Buffer
	exited         chan error
}

// start starts c (a serve command listening on addr) and waits until it
// answers /api/health; it is stopped when the test ends.
func start(t *testing.T, c *exec.Cmd, addr string) *server {
	t.Helper()
	s := &server{cmd: c, url: "http://" + addr, stdout: &syncbuf.Buffer{}, stderr: &syncbuf.Buffer{}, exited: make(chan error, 1)}
	c.Stdout, c.Stderr = s.stdout, s.stderr
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.exited <- c.Wait() }()
	t.Cleanup(func() { s.stop(t) })
	deadline := time.Now().Add(60 * time.Second)
	for {
		select {
		case err := <-s.exited:
			s.exited <- err
			t.Fatalf("the server exited (%v):\n%s\n%s", err, s.stdout, s.stderr)
		default:
		}
		if res, err := http.Get(s.url + "/api/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not start:\n%s\n%s", s.stdout, s.stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop sends SIGTERM and returns the exit error (nil: exit 0).
func (s *server) stop(t *testing.T) error {
	if s.cmd.ProcessState != nil {
		return nil
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.exited:
		s.exited <- err
		return err
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		t.Errorf("the server did not stop on SIGTERM")
		return errors.New("killed")
	}
}

// post sends JSON and decodes the answer.
func post(t *testing.T, url string, body any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	res, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return res.StatusCode, m
}

// exitCode runs the binary with args and returns its exit code and output
// (a command still running after a minute is killed: a failure).
func exitCode(t *testing.T, bin string, env []string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := exec.CommandContext(ctx, bin, args...)
	c.Env = cleanEnv(env)
	out, err := c.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &ee):
		return ee.ExitCode(), string(out)
	}
	t.Fatalf("%s %v: %v", bin, args, err)
	return 0, ""
}

// TestFailuresExitNonZero: every error is an exit status scripts and
// systemd can see (PocketBase's Execute drops the command's error).
func TestFailuresExitNonZero(t *testing.T) {
	t.Parallel()
	bin := makeBuild(t)
	dir := t.TempDir()
	cases := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"unknown command", nil, []string{"sreve", "--dir", dir}, `unknown command "sreve"`},
		{"seed without --demo", nil, []string{"seed", "--dir", dir}, "pass --demo"},
		{"a malformed setting", []string{"STRIPE_SECRET_KEY=pk_live_x", "STRIPE_WEBHOOK_SECRET=whsec_x"}, []string{"serve", "--http", freeAddr(t), "--dir", dir}, "STRIPE_SECRET_KEY"},
	}
	for _, tc := range cases {
		code, out := exitCode(t, bin, tc.env, tc.args...)
		if code == 0 || !strings.Contains(out, tc.want) {
			t.Errorf("%s: exit %d, output %q; want non-zero and %q", tc.name, code, out, tc.want)
		}
	}
	if code, out := exitCode(t, bin, nil, "--help"); code != 0 {
		t.Errorf("--help exits %d: %s", code, out)
	}

	// a busy port: the second server fails to listen and says why
	addr := freeAddr(t)
	start(t, exec.Command(bin, "serve", "--http", addr, "--dir", dir), addr)
	code, out := exitCode(t, bin, nil, "serve", "--http", addr, "--dir", t.TempDir())
	if code == 0 || !strings.Contains(out, "address already in use") {
		t.Errorf("serve on a busy port: exit %d, output %q", code, out)
	}
}

// TestNoSuperuserHint: a server without a superuser prints the command that
// creates one, with its data dir; run as printed, it works, and the hint
// is gone.
func TestNoSuperuserHint(t *testing.T) {
	t.Parallel()
	bin := makeBuild(t)
	dir := filepath.Join(t.TempDir(), "school data") // a dir that needs quoting
	addr := freeAddr(t)
	s := start(t, exec.Command(bin, "serve", "--http", addr, "--dir", dir), addr)
	want := fmt.Sprintf("%s superuser upsert EMAIL PASSWORD --dir '%s'", bin, dir)
	var hint string
	for deadline := time.Now().Add(10 * time.Second); hint == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, l := range strings.Split(s.stderr.String(), "\n") {
			if strings.Contains(l, "superuser upsert") {
				hint = strings.TrimSpace(l)
			}
		}
	}
	if hint != want {
		t.Fatalf("the hint is %q, want %q; stderr:\n%s", hint, want, s.stderr)
	}
	if err := s.stop(t); err != nil {
		t.Fatalf("a server stopped by SIGTERM exits %v", err)
	}
	command, quoted, _ := strings.Cut(hint, " --dir ")
	args := append(strings.Fields(strings.NewReplacer("EMAIL", "owner@school.example", "PASSWORD", "a-long-owner-passphrase").Replace(command)),
		"--dir", strings.Trim(quoted, "'"))
	if code, out := exitCode(t, args[0], nil, args[1:]...); code != 0 {
		t.Fatalf("the printed command failed (%d): %s", code, out)
	}
	s = start(t, exec.Command(bin, "serve", "--http", addr, "--dir", dir), addr)
	if status, _ := post(t, s.url+"/api/collections/_superusers/auth-with-password", map[string]any{
		"identity": "owner@school.example", "password": "a-long-owner-passphrase"}); status != http.StatusOK {
		t.Fatalf("the superuser cannot sign in: %d", status)
	}
	time.Sleep(300 * time.Millisecond)
	if strings.Contains(s.stderr.String(), "No superuser yet") {
		t.Errorf("the hint is printed with a superuser:\n%s", s.stderr)
	}
}

// TestDemoBanner: the demo's accounts are printed with the address the
// server really listens on (make run HTTP=...); unknown API paths are JSON
// 404s.
func TestDemoBanner(t *testing.T) {
	t.Parallel()
	bin := makeBuild(t)
	dir := t.TempDir()
	code, out := exitCode(t, bin, nil, "seed", "--demo", "--dir", dir)
	if code != 0 || strings.Contains(out, "8090") {
		t.Fatalf("seed: exit %d, output claims an address it cannot know:\n%s", code, out)
	}
	addr := freeAddr(t)
	s := start(t, exec.Command(bin, "serve", "--http", addr, "--dir", dir), addr)
	want := "Demo school: open " + s.url + " and sign in"
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(s.stdout.String(), want); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in:\n%s", want, s.stdout)
		}
	}
	if !strings.Contains(s.stdout.String(), "Dashboard "+s.url+"/_/") {
		t.Errorf("the dashboard's address is not %s/_/:\n%s", s.url, s.stdout)
	}

	// an unknown API path is a JSON 404 through the whole server, an
	// unknown page the app (which shows its not-found page)
	for path, want := range map[string]string{"/api/nope": "application/json", "/api/collections/nope/records/x/y": "application/json", "/no-such-page": "text/html"} {
		res, err := http.Get(s.url + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		status := http.StatusNotFound
		if want == "text/html" {
			status = http.StatusOK
		}
		if res.StatusCode != status || !strings.HasPrefix(res.Header.Get("Content-Type"), want) {
			t.Errorf("GET %s: %d %s, want %d %s", path, res.StatusCode, res.Header.Get("Content-Type"), status, want)
		}
	}
}
