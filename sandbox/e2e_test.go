package sandbox_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/meeboter/meeboter/blob/s3blob/s3test"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/local"
	"github.com/meeboter/meeboter/platforms/platformtest"
	"github.com/meeboter/meeboter/sandbox"
)

// childEnv marks a copy of the test binary started by the local platform:
// it then is a sandbox bot process, as `meeboter sandbox-bot` would be.
const childEnv = "SANDBOX_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(runChild())
	}
	code := m.Run()
	s3test.StopShared()
	os.Exit(code)
}

func runChild() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	cfg := sandbox.ConfigFromEnv(os.Getenv)
	cfg.RetryBase, cfg.LogFlushInterval = 5*time.Millisecond, 10*time.Millisecond
	if err := sandbox.Run(ctx, cfg); err != nil {
		slog.Error("sandbox bot", "error", err)
		return 1
	}
	return 0
}

// startBot runs one sandbox bot process on a local platform against f.
func startBot(t *testing.T, f *fakeDaemon) (*local.Local, string, *[]string) {
	t.Helper()
	var mu sync.Mutex
	lines := []string{}
	p, err := local.New(local.Config{
		Command:     "exec " + shellQuote(os.Args[0]) + " -test.run=^$",
		StateDir:    t.TempDir(),
		GracePeriod: 5 * time.Second,
		Logger:      slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		LogSink: func(_ int64, stream, line string) {
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, stream+": "+line)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	spec := platformtest.DefaultSpec(7)
	spec.Env["MILO_URL"], spec.Env["MILO_AUTH_TOKEN"], spec.Env[childEnv] = f.srv.URL, testToken, "1"
	// Under -race a process sleeps a second at exit by default.
	spec.Env["GORACE"] = "atexit_sleep_ms=0"
	id, err := p.Deploy(t.Context(), spec)
	if err != nil {
		t.Fatal(err)
	}
	return p, id, &lines
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func fastMetadata(f *fakeDaemon, scenario string) {
	f.conf.Metadata = map[string]string{
		sandbox.MetaScenario: scenario, sandbox.MetaStepDelay: "5ms", sandbox.MetaCallEndsAfter: "50ms",
		sandbox.MetaHeartbeatInterval: "10ms", sandbox.MetaChatInterval: "10ms",
	}
}

// TestLocalPlatform_RunsSandbox runs real bot processes on the local
// platform: a normal bot exits 0 after DONE, a crashing one exits 1, and
// both print their log lines to stdout for the platform's LogSink.
func TestLocalPlatform_RunsSandbox(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scenario string
		state    platforms.ResourceState
		path     string
	}{
		{"normal", platforms.StateSucceeded, "JOINING_CALL>IN_WAITING_ROOM>IN_CALL>CALL_ENDED>DONE"},
		{"crash-in-call", platforms.StateFailed, "JOINING_CALL>IN_WAITING_ROOM>IN_CALL"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			t.Parallel()
			f := newFakeDaemon(t)
			fastMetadata(f, tt.scenario)
			p, id, lines := startBot(t, f)
			r := waitResource(t, p, id)
			if r.State != tt.state || f.statusPath() != tt.path {
				t.Fatalf("resource %+v, statuses %s; want %s, %s", r, f.statusPath(), tt.state, tt.path)
			}
			if !strings.Contains(strings.Join(*lines, "\n"), "stdout: time=") {
				t.Fatalf("no log line reached the sink: %q", *lines)
			}
		})
	}
}

// TestLocalPlatform_StopIsQuiet stops a bot in the call, as the daemon
// does: the bot exits at once, reporting nothing more.
func TestLocalPlatform_StopIsQuiet(t *testing.T) {
	t.Parallel()
	f := newFakeDaemon(t)
	fastMetadata(f, "call-ends-after=1h")
	p, id, _ := startBot(t, f)
	waitFor(t, func() bool { return strings.HasSuffix(f.statusPath(), "IN_CALL") })
	start := time.Now()
	if err := p.Stop(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	t.Logf("Stop took %v", time.Since(start))
	r, err := p.Status(t.Context(), id)
	if err != nil || r.State != platforms.StateSucceeded || time.Since(start) > 3*time.Second {
		t.Fatalf("after Stop: %+v, %v, took %v; want a prompt exit 0", r, err, time.Since(start))
	}
	if got := f.statusPath(); got != "JOINING_CALL>IN_WAITING_ROOM>IN_CALL" {
		t.Fatalf("statuses %s", got)
	}
}

func waitResource(t *testing.T, p *local.Local, id string) platforms.Resource {
	t.Helper()
	var r platforms.Resource
	waitFor(t, func() bool {
		var err error
		r, err = p.Status(t.Context(), id)
		if errors.Is(err, platforms.ErrNotFound) {
			t.Fatalf("Status(%q): %v", id, err)
		}
		return r.State == platforms.StateSucceeded || r.State == platforms.StateFailed
	})
	return r
}
