package s3test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// VirtualDomain is the base domain the server answers virtual-host
// requests for: <bucket>.s3.test. Nothing resolves it; clients reach the
// server through Dialer.
const VirtualDomain = "s3.test"

// Region is the region the server signs and checks with.
const Region = "us-east-1"

// Server is one running versitygw.
type Server struct {
	// Addr is the host:port it listens on, on 127.0.0.1.
	Addr string
	// AccessKey and SecretKey are its root credentials, fresh per server.
	AccessKey, SecretKey string

	cmd  *exec.Cmd
	done chan struct{}
	log  string
}

// Start runs versitygw with its buckets under dir and waits until it
// answers. Stop ends it.
func Start(dir string) (*Server, error) {
	bin, err := BinPath()
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o700); err != nil {
		return nil, err
	}
	s := &Server{Addr: "127.0.0.1:" + strconv.Itoa(port), AccessKey: "test" + rand.Text()[:12], SecretKey: rand.Text(), done: make(chan struct{})}
	if err := s.start(bin, dir, data); err != nil {
		return nil, err
	}
	if err := s.waitReady(30 * time.Second); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w\n%s", err, s.tail())
	}
	return s, nil
}

// start launches the process with a minimal environment, so no AWS_* or
// VGW_* variable of the caller's changes how it runs.
func (s *Server) start(bin, dir, data string) error {
	s.log = filepath.Join(dir, "versitygw.log")
	logFile, err := os.Create(s.log)
	if err != nil {
		return err
	}
	s.cmd = exec.Command(bin, "--port", s.Addr, "--virtual-domain", VirtualDomain, "--health", "/health", "--quiet", "posix", data)
	s.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "ROOT_ACCESS_KEY=" + s.AccessKey, "ROOT_SECRET_KEY=" + s.SecretKey}
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	setDeathSignal(s.cmd)
	if err := s.cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("start versitygw: %w", err)
	}
	go func() {
		_ = s.cmd.Wait()
		logFile.Close()
		close(s.done)
	}()
	return nil
}

// waitReady polls the health endpoint: the server is another process, so
// there is no signal to wait on but its answer.
func (s *Server) waitReady(timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+s.Addr+"/health", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.done:
			return errors.New("versitygw exited during start")
		case <-ctx.Done():
			return fmt.Errorf("versitygw not ready after %s", timeout)
		case <-tick.C:
		}
	}
}

// Stop ends the server and waits for it to exit.
func (s *Server) Stop() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// tail returns the end of the server's log, for start failures.
func (s *Server) tail() string {
	b, _ := os.ReadFile(s.log)
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return "versitygw log:\n" + string(b)
}

// Dialer dials the server for any host name, so virtual-host requests to
// <bucket>.s3.test reach it without DNS, and records each host asked for.
func (s *Server) Dialer(seen func(host string)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := strings.Cut(addr, ":")
		if seen != nil {
			seen(host)
		}
		return d.DialContext(ctx, network, s.Addr)
	}
}

// freePort asks the kernel for an unused loopback port. Another process
// could take it before the server binds it; Start then fails with the
// server's log.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
