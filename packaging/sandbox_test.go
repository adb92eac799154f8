//go:build linux

package packaging

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// nonroot is the uid and gid of the image's user (distroless "nonroot").
const nonroot = 65532

// sandbox is the filesystem a container with a read-only root filesystem
// gives the daemon: a home it cannot write, and two writable directories,
// the data dir and /tmp (the emptyDirs of the Kubernetes example).
type sandbox struct {
	home, data, tmp string
	// cred runs the daemon as the image's user when the test runs as
	// root, for whom permission bits would not make home read-only.
	cred *syscall.Credential
}

func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	base := t.TempDir()
	s := &sandbox{home: filepath.Join(base, "home"), data: filepath.Join(base, "data"), tmp: filepath.Join(base, "tmp")}
	for _, d := range []string{s.home, s.data, s.tmp} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if os.Geteuid() == 0 {
		s.cred = &syscall.Credential{Uid: nonroot, Gid: nonroot}
		// The daemon's user must reach the directories through their
		// parents, which TempDir makes private.
		for _, d := range []string{filepath.Dir(base), base} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for _, d := range []string{s.data, s.tmp} {
			if err := os.Chown(d, nonroot, nonroot); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.Chmod(s.home, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(s.home, 0o755) })
	return s
}

// env is the whole environment of the daemon: nothing inherited, no XDG
// directories, the image's defaults with the paths moved into the sandbox,
// and extra.
func (s *sandbox) env(t *testing.T, listen string, extra ...string) []string {
	t.Helper()
	img := loadImage(t)
	env := []string{"PATH=/usr/bin:/bin", "HOME=" + s.home, "TMPDIR=" + s.tmp}
	for k, v := range img.env {
		switch k {
		case "MEEBOTER_DATA_DIR":
			v = s.data
		case "MEEBOTER_CONFIG":
			v = filepath.Join(s.data, strings.TrimPrefix(v, img.workdir))
		case "MEEBOTER_LISTEN":
			v = listen // loopback: the test does not open a port to the network
		}
		env = append(env, k+"="+v)
	}
	return append(env, extra...)
}

// command runs the binary in the sandbox, from / so that its working
// directory is not writable either.
func (s *sandbox) command(bin string, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Dir = env, "/"
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred, Pdeathsig: syscall.SIGKILL}
	return cmd
}

// homeEntries lists what the daemon left in its home: it must be nothing.
func (s *sandbox) homeEntries(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(s.home)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// daemon is a running `meeboter serve`.
type daemon struct {
	cmd    *exec.Cmd
	url    string
	exited chan struct{}
	err    error // the exit status, once exited is closed

	mu   sync.Mutex
	logs []string
}

// startDaemon runs serve in the sandbox and returns once it logged that
// it listens, failing the test if it exits first.
func startDaemon(t *testing.T, s *sandbox, bin string, extraEnv ...string) *daemon {
	t.Helper()
	addr := freeAddr(t)
	d := &daemon{url: "http://" + addr, exited: make(chan struct{})}
	d.cmd = s.command(bin, s.env(t, addr, extraEnv...), "serve")
	stderr, err := d.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := make(chan struct{})
	go d.read(stderr, listening)
	t.Cleanup(func() { d.stop(t) })
	select {
	case <-listening:
		return d
	case <-d.exited:
		t.Fatalf("serve exited before listening: %v\n%s", d.err, d.log())
	case <-time.After(2 * time.Minute):
		t.Fatalf("serve not listening after 2m\n%s", d.log())
	}
	return nil
}

// read collects the daemon's log lines, closes listening at the
// "listening" line, then records the exit.
func (d *daemon) read(r io.Reader, listening chan struct{}) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		d.mu.Lock()
		d.logs = append(d.logs, sc.Text())
		d.mu.Unlock()
		var line struct{ Msg string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" && listening != nil {
			close(listening)
			listening = nil
		}
	}
	d.err = d.cmd.Wait()
	close(d.exited)
}

func (d *daemon) log() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return strings.Join(d.logs, "\n")
}

// stop sends SIGTERM, as a container runtime does, and returns the exit
// status; it kills the daemon if it has not exited within the grace
// period the manifests give it.
func (d *daemon) stop(t *testing.T) error {
	t.Helper()
	select {
	case <-d.exited:
		return d.err
	default:
	}
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.exited:
	case <-time.After(30 * time.Second):
		_ = d.cmd.Process.Kill()
		<-d.exited
		t.Errorf("serve did not stop within 30s of SIGTERM\n%s", d.log())
	}
	return d.err
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}
