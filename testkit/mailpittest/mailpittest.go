// Package mailpittest runs a real SMTP server, mailpit, for tests: Start
// launches it on free loopback ports in the test's temp dir, and the
// Server's methods read what it received through mailpit's HTTP API.
//
// The mailpit binary is found on PATH (the Makefile puts .tools/bin there;
// install it with `GOBIN=$PWD/.tools/bin go install
// github.com/axllent/mailpit@v1.33.1`). Like net/http/httptest this package
// is only imported by tests.
package mailpittest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
	"tutorbase/testkit/syncbuf"
)

// Server is a running mailpit. SMTP accepts any credentials or none
// (PLAIN and LOGIN are allowed without TLS), and mailpit's chaos triggers
// are enabled so a test can make it refuse mail ([Server.SetChaos]).
type Server struct {
	SMTPHost string // "127.0.0.1"
	SMTPPort int
	APIURL   string // "http://127.0.0.1:PORT", mailpit's web UI and API

	cmd    *exec.Cmd
	done   chan struct{} // closed when the process has exited
	output *syncbuf.Buffer
}

// Start runs mailpit for the duration of t and stops it in t.Cleanup.
// When the binary is not on PATH the test is skipped, or fails when
// require is true; callers pass config.RequireTestTools(), so
// `make test` fails where a plain `go test` skips.
func Start(t testing.TB, require bool) *Server {
	t.Helper()
	bin, err := exec.LookPath("mailpit")
	if err != nil {
		msg := "mailpit not on PATH (GOBIN=$PWD/.tools/bin go install github.com/axllent/mailpit@v1.33.1)"
		if require {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	var lastErr error
	for try := range 3 { // a free port can be taken between probe and use
		s, err := launch(bin, filepath.Join(dir, "mailpit-"+strconv.Itoa(try)+".db"))
		if err == nil {
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("stop mailpit: %v", err)
				}
			})
			return s
		}
		lastErr = err
	}
	t.Fatalf("start mailpit: %v", lastErr)
	return nil
}

// launch starts mailpit on two free loopback ports and waits until both its
// HTTP API and its SMTP port answer.
func launch(bin, db string) (*Server, error) {
	ports, err := freePorts(2)
	if err != nil {
		return nil, err
	}
	s := &Server{
		SMTPHost: "127.0.0.1",
		SMTPPort: ports[0],
		APIURL:   "http://127.0.0.1:" + strconv.Itoa(ports[1]),
		done:     make(chan struct{}),
		output:   &syncbuf.Buffer{},
	}
	s.cmd = exec.Command(bin,
		"--smtp", net.JoinHostPort(s.SMTPHost, strconv.Itoa(s.SMTPPort)),
		"--listen", "127.0.0.1:"+strconv.Itoa(ports[1]),
		"--database", db,
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure",
		"--smtp-disable-rdns", "--disable-version-check", "--enable-chaos", "--quiet",
	)
	s.cmd.Stdout, s.cmd.Stderr = s.output, s.output
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("run %s: %w", bin, err)
	}
	go func() {
		_ = s.cmd.Wait()
		close(s.done)
	}()
	if err := s.waitReady(15 * time.Second); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("%w; output:\n%s", err, s.output.String())
	}
	return s, nil
}

// waitReady polls until the API says ready and the SMTP port accepts a
// connection, the process exits, or timeout passes.
func (s *Server) waitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: time.Second}
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return errors.New("mailpit exited during start")
		default:
		}
		resp, err := client.Get(s.APIURL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				conn, err := net.DialTimeout("tcp", net.JoinHostPort(s.SMTPHost, strconv.Itoa(s.SMTPPort)), time.Second)
				if err == nil {
					conn.Close()
					return nil
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("mailpit not ready after %s", timeout)
}

// Close stops mailpit (interrupt, then kill after 5 s) and waits for it.
func (s *Server) Close() error {
	select {
	case <-s.done:
		return nil
	default:
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	return nil
}

// Output is what mailpit has logged (errors only), for failure messages.
func (s *Server) Output() string { return s.output.String() }

// freePorts finds n free TCP ports on 127.0.0.1.
func freePorts(n int) ([]int, error) {
	var ports []int
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find a free port: %w", err)
		}
		listeners = append(listeners, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// Address is a mail address as mailpit reports it.
type Address struct {
	Name    string
	Address string
}

// Summary is a message in mailpit's list.
type Summary struct {
	ID        string
	MessageID string
	From      *Address
	To        []Address
	Subject   string
	Username  string // the SMTP AUTH user, "" without auth
	Snippet   string
}

// Message is one stored message with its bodies.
type Message struct {
	ID        string
	MessageID string
	From      *Address
	To        []Address
	Subject   string
	Username  string
	Text      string
	HTML      string
}

// Messages lists the stored messages (up to 1,000), newest first.
func (s *Server) Messages(ctx context.Context) ([]Summary, error) {
	var list struct {
		Messages []Summary `json:"messages"`
	}
	err := s.api(ctx, http.MethodGet, "/api/v1/messages?limit=1000", nil, &list) // mailpit's page is 50 unless told
	return list.Messages, err
}

// WaitMessages polls until at least n messages are stored or ctx ends.
func (s *Server) WaitMessages(ctx context.Context, n int) ([]Summary, error) {
	for {
		list, err := s.Messages(ctx)
		if err == nil && len(list) >= n {
			return list, nil
		}
		select {
		case <-ctx.Done():
			return list, fmt.Errorf("waiting for %d messages, have %d: %w", n, len(list), errors.Join(ctx.Err(), err))
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// Message returns one message by its mailpit ID.
func (s *Server) Message(ctx context.Context, id string) (Message, error) {
	var m Message
	err := s.api(ctx, http.MethodGet, "/api/v1/message/"+url.PathEscape(id), nil, &m)
	return m, err
}

// Headers returns one message's headers by its mailpit ID.
func (s *Server) Headers(ctx context.Context, id string) (map[string][]string, error) {
	var h map[string][]string
	err := s.api(ctx, http.MethodGet, "/api/v1/message/"+url.PathEscape(id)+"/headers", nil, &h)
	return h, err
}

// DeleteAll deletes every stored message.
func (s *Server) DeleteAll(ctx context.Context) error {
	return s.api(ctx, http.MethodDelete, "/api/v1/messages", map[string]any{}, nil)
}

// Trigger makes mailpit answer a stage with ErrorCode (400-599) in
// Probability percent of the cases (0 disables it).
type Trigger struct {
	ErrorCode   int
	Probability int
}

// Chaos is mailpit's failure injection for the SMTP stages; a zero
// Trigger is off.
type Chaos struct {
	Sender         Trigger // MAIL FROM
	Recipient      Trigger // RCPT TO
	Authentication Trigger // AUTH
}

// SetChaos replaces mailpit's failure injection; SetChaos(ctx, Chaos{})
// turns it off.
func (s *Server) SetChaos(ctx context.Context, c Chaos) error {
	return s.api(ctx, http.MethodPut, "/api/v1/chaos", c, nil)
}

// api calls mailpit's HTTP API, sending in as JSON when not nil and
// decoding the answer into out when not nil.
func (s *Server) api(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.APIURL+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("mailpit %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("mailpit %s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("mailpit %s %s: http %d: %s", method, path, resp.StatusCode, raw)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("mailpit %s %s: decode: %w", method, path, err)
	}
	return nil
}
