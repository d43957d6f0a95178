// Package stripemock runs stripe-mock, Stripe's official API mock, for
// tests: the real stripe-go client talks to it through the production
// code, only the base URL changes.
package stripemock

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Start runs stripe-mock (Stripe's official API mock) on a free
// loopback port for the duration of t and returns its base URL. Without
// the binary on PATH the test is skipped, or fails when require is true
// (`make test` sets TB_REQUIRE_TOOLS=1). Install it with
// `GOBIN=$PWD/.tools/bin go install github.com/stripe/stripe-mock@v0.203.0`.
func Start(t testing.TB, require bool) string {
	t.Helper()
	bin := binary(t, require)
	url, stop, err := run(bin)
	if err != nil {
		t.Fatalf("start stripe-mock: %v", err)
	}
	t.Cleanup(stop)
	return url
}

// shared is the stripe-mock a test binary's tests share (stripe-mock
// keeps no state, and loading its API description takes a second of CPU).
var shared struct {
	sync.Mutex
	url  string
	stop func()
}

// Shared is Start for a stripe-mock that lives until StopShared, started
// on the first call: every test of a binary may use it at once.
func Shared(t testing.TB, require bool) string {
	t.Helper()
	bin := binary(t, require)
	shared.Lock()
	defer shared.Unlock()
	if shared.url == "" {
		url, stop, err := run(bin)
		if err != nil {
			t.Fatalf("start stripe-mock: %v", err)
		}
		shared.url, shared.stop = url, stop
	}
	return shared.url
}

// StopShared stops the shared stripe-mock, if one runs (TestMain calls
// it after the tests).
func StopShared() {
	shared.Lock()
	defer shared.Unlock()
	if shared.stop != nil {
		shared.stop()
		shared.url, shared.stop = "", nil
	}
}

// binary is stripe-mock's path; without one the test is skipped, or fails
// when require is true.
func binary(t testing.TB, require bool) string {
	t.Helper()
	bin, err := exec.LookPath("stripe-mock")
	if err != nil {
		msg := "stripe-mock not on PATH (GOBIN=$PWD/.tools/bin go install github.com/stripe/stripe-mock@v0.203.0)"
		if require {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return bin
}

// run starts stripe-mock on a free port, trying three ports, and returns
// its base URL and how to stop it.
func run(bin string) (string, func(), error) {
	var lastErr error
	for range 3 {
		port, err := freePort()
		if err != nil {
			return "", nil, err
		}
		addr := "127.0.0.1:" + strconv.Itoa(port)
		cmd := exec.Command(bin, "-http-addr", addr, "-https-addr", "127.0.0.1:") // not HTTPS on its default :12112, which a second one could not bind
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			return "", nil, err
		}
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		stop := func() {
			_ = cmd.Process.Kill()
			<-done
		}
		if lastErr = waitHTTP("http://"+addr+"/v1/charges", done, 20*time.Second); lastErr == nil {
			return "http://" + addr, stop, nil
		}
		stop()
		lastErr = fmt.Errorf("%w: %s", lastErr, bytes.TrimSpace(out.Bytes()))
	}
	return "", nil, lastErr
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitHTTP polls url until it answers (any status), the process exits or
// timeout passes.
func waitHTTP(url string, done <-chan struct{}, timeout time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case <-done:
			return errors.New("exited during start")
		default:
		}
		if res, err := client.Get(url); err == nil {
			res.Body.Close()
			return nil
		}
	}
	return fmt.Errorf("not answering after %s", timeout)
}
