package tui

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestTmux runs the real binary: a daemon in local mode with sandbox bots,
// and "meeboter dashboard" in a tmux pane whose screen the test reads. It
// needs tmux and a working daemon, so it only runs with MEEBOTER_TMUX_TEST=1.
func TestTmux(t *testing.T) {
	if os.Getenv("MEEBOTER_TMUX_TEST") != "1" {
		t.Skip("set MEEBOTER_TMUX_TEST=1 to run the dashboard in tmux against a real daemon")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	e := startDaemon(t)
	for range 3 {
		e.run(t, "bot", "create", "--meeting-url", "https://meet.google.com/abc-defg-hij")
	}
	pane := e.startDashboard(t)
	first := pane.waitFor(t, 30*time.Second, func(s string) bool { return strings.Contains(s, "live") })
	t.Logf("overview:\n%s", first)
	pane.keys(t, "2")
	list := pane.waitFor(t, 30*time.Second, func(s string) bool { return len(statuses(s)) > 0 })
	seen := statuses(list)
	t.Logf("bots:\n%s", list)
	pane.waitFor(t, 90*time.Second, func(s string) bool { return changed(seen, statuses(s)) })

	pane.keys(t, "Enter")
	pane.waitFor(t, 10*time.Second, func(s string) bool { return strings.Contains(s, "Bot #3") })
	pane.keys(t, "l")
	pane.waitFor(t, 10*time.Second, func(s string) bool { return strings.Contains(s, "Leave bot 3? [y/n]") })
	pane.keys(t, "y")
	left := pane.waitFor(t, 60*time.Second, func(s string) bool { return leftRE.MatchString(s) })
	t.Logf("bot after leave:\n%s", left)
}

// leftRE matches the bot view's title once the bot is on its way out.
var leftRE = regexp.MustCompile(`Bot #3 .*(LEAVING|CALL_ENDED|DONE)`)

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

var statusRE = regexp.MustCompile(`\b(SCHEDULED|QUEUED|DEPLOYING|JOINING_CALL|IN_WAITING_ROOM|IN_CALL|LEAVING|CALL_ENDED|DONE|FATAL)\b`)

// statuses lists the statuses in the bot table's rows, in order.
func statuses(screen string) []string {
	var out []string
	for _, line := range strings.Split(screen, "\n") {
		if m := statusRE.FindString(line); m != "" && strings.Contains(line, "meet") {
			out = append(out, m)
		}
	}
	return out
}

func changed(before, now []string) bool {
	return len(now) > 0 && strings.Join(before, ",") != strings.Join(now, ",")
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
