package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// server is one built binary serving a data dir on a loopback port.
type server struct {
	name, bin, dir string
	env            []string
	base           string // http://127.0.0.1:PORT
	cmd            *exec.Cmd
	exited         chan struct{}
	logPath        string
}

func newServer(name, bin, dir string, env ...string) *server {
	return &server{name: name, bin: bin, dir: dir, env: env, logPath: filepath.Join(filepath.Dir(dir), name+".log")}
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// start runs `BIN serve --http 127.0.0.1:PORT --dir DIR` and waits for
// /api/health.
func (s *server) start() error {
	if s.running() {
		return nil
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(logf, "\n=== %s serve --http %s --dir %s (%s)\n", s.bin, addr, s.dir, time.Now().Format(time.RFC3339))
	cmd := exec.Command(s.bin, "serve", "--http", addr, "--dir", s.dir)
	cmd.Env = append(os.Environ(), s.env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start %s: %w", s.name, err)
	}
	s.cmd, s.base, s.exited = cmd, "http://"+addr, make(chan struct{})
	go func() {
		cmd.Wait()
		logf.Close()
		close(s.exited)
	}()
	if err := s.waitHealthy(60 * time.Second); err != nil {
		s.kill()
		return fmt.Errorf("%s did not become healthy (log: %s): %w", s.name, s.logPath, err)
	}
	return nil
}

// pid is the server's process id (0 when not started).
func (s *server) pid() int {
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

func (s *server) running() bool {
	if s.cmd == nil {
		return false
	}
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

func (s *server) waitHealthy(limit time.Duration) error {
	c := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return errors.New("the process exited")
		default:
		}
		res, err := c.Get(s.base + "/api/health")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("timed out")
}

// stop asks the server to shut down (SIGTERM) and kills it if it has not
// exited after 20 seconds.
func (s *server) stop() error {
	if !s.running() {
		return nil
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case <-s.exited:
		return nil
	case <-time.After(20 * time.Second):
		s.kill()
		return fmt.Errorf("%s ignored SIGTERM for 20s and was killed", s.name)
	}
}

// kill is kill -9: no shutdown, no checkpoint, whatever is in flight is lost
// unless SQLite already committed it.
func (s *server) kill() {
	if !s.running() {
		return
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.exited
}
