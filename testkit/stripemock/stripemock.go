// Package stripemock runs stripe-mock, Stripe's official API mock, for
// tests: the real stripe-go client talks to it through the production
// code, only the base URL changes.
package stripemock

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"strconv"
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
	bin, err := exec.LookPath("stripe-mock")
	if err != nil {
		msg := "stripe-mock not on PATH (GOBIN=$PWD/.tools/bin go install github.com/stripe/stripe-mock@v0.203.0)"
		if require {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	var lastErr error
	for range 3 {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		addr := "127.0.0.1:" + strconv.Itoa(port)
		// its HTTPS listener on a port of its own: the default (12112) may be
		// taken by another stripe-mock on the machine
		cmd := exec.Command(bin, "-http-addr", addr, "-https-addr", "127.0.0.1:")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		if lastErr = waitHTTP("http://"+addr+"/v1/charges", done, 20*time.Second); lastErr == nil {
			t.Cleanup(func() {
				_ = cmd.Process.Kill()
				<-done
			})
			return "http://" + addr
		}
		_ = cmd.Process.Kill()
		<-done
	}
	t.Fatalf("start stripe-mock: %v", lastErr)
	return ""
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
