package tui

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmuxEnv is a daemon's binary, config home and address.
type tmuxEnv struct {
	bin, config, addr string
}

func startDaemon(t *testing.T) *tmuxEnv {
	t.Helper()
	tmp := t.TempDir()
	e := &tmuxEnv{bin: filepath.Join(tmp, "meeboter"), config: filepath.Join(tmp, "config"), addr: freeAddr(t)}
	build := exec.Command("go", "build", "-o", e.bin, "./cmd/meeboter")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	serve := exec.CommandContext(ctx, e.bin, "serve", "--listen", e.addr, "--data-dir", filepath.Join(tmp, "data"))
	serve.Env = append(os.Environ(), "XDG_CONFIG_HOME="+e.config)
	serve.Stderr = &testLog{t: t}
	if err := serve.Start(); err != nil {
		t.Fatalf("start daemon: %v", err)
	}
	t.Cleanup(func() { cancel(); _ = serve.Wait() })
	e.waitReady(t)
	return e
}

func (e *tmuxEnv) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := e.cmd("bot", "list").CombinedOutput(); err == nil {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("daemon not ready after 30s")
}

func (e *tmuxEnv) cmd(args ...string) *exec.Cmd {
	c := exec.Command(e.bin, args...)
	c.Env = append(os.Environ(), "XDG_CONFIG_HOME="+e.config)
	return c
}

func (e *tmuxEnv) run(t *testing.T, args ...string) {
	t.Helper()
	if out, err := e.cmd(args...).CombinedOutput(); err != nil {
		t.Fatalf("meeboter %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// tmuxPane is one dashboard in a tmux server of its own, so the test never
// touches the user's sessions.
type tmuxPane struct{ socket string }

func (e *tmuxEnv) startDashboard(t *testing.T) *tmuxPane {
	t.Helper()
	p := &tmuxPane{socket: "meeboter-test-" + filepath.Base(t.TempDir())}
	shell := "env XDG_CONFIG_HOME=" + e.config + " TERM=xterm-256color " + e.bin + " dashboard"
	p.tmux(t, "new-session", "-d", "-s", "dash", "-x", "120", "-y", "40", shell)
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", p.socket, "kill-server").Run() })
	return p
}

func (p *tmuxPane) tmux(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", p.socket}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (p *tmuxPane) keys(t *testing.T, keys ...string) {
	t.Helper()
	p.tmux(t, append([]string{"send-keys", "-t", "dash"}, keys...)...)
}

// waitFor polls the screen until ok accepts it.
func (p *tmuxPane) waitFor(t *testing.T, d time.Duration, ok func(string) bool) string {
	t.Helper()
	var screen string
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		if screen = p.tmux(t, "capture-pane", "-p", "-t", "dash"); ok(screen) {
			return screen
		}
	}
	t.Fatalf("screen not as expected after %s:\n%s", d, screen)
	return ""
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// testLog sends the daemon's log to the test log.
type testLog struct{ t *testing.T }

func (w *testLog) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
