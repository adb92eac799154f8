package local_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/local"
	"github.com/meeboter/meeboter/platforms/platformtest"
)

// newLocal builds a platform running command with a short grace period,
// closed when the test ends.
func newLocal(t testing.TB, command string, mod func(*local.Config)) *local.Local {
	t.Helper()
	cfg := local.Config{
		Command:      command,
		Limit:        8,
		StateDir:     t.TempDir(),
		GracePeriod:  2 * time.Second,
		PollInterval: 50 * time.Millisecond,
		Logger:       slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	if mod != nil {
		mod(&cfg)
	}
	p, err := local.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// shellQuote quotes a temp dir for the command lines of the tests.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// TestConformance runs the shared suite with a command that waits for a
// control file naming its exit status, so the hooks can end a running bot
// well or badly at will.
func TestConformance(t *testing.T) {
	platformtest.Run(t, func(t *testing.T) platformtest.Harness {
		ctl := t.TempDir()
		cmd := `f=` + shellQuote(ctl) + `/"$BOT_ID"; while [ ! -e "$f" ]; do sleep 0.05; done; exit "$(cat "$f")"`
		p := newLocal(t, cmd, func(c *local.Config) { c.Limit = 5 })
		finish := func(id, code string) error {
			r, err := p.Status(context.Background(), id)
			if err != nil {
				return err
			}
			return writeAtomic(filepath.Join(ctl, strconv.FormatInt(r.BotID, 10)), code)
		}
		return platformtest.Harness{
			Platform:      p,
			Capacity:      5,
			UnknownID:     "local-1-999999999",
			MakeRunning:   func(string) error { return nil }, // a deployed process runs at once
			MakeSucceeded: func(id string) error { return finish(id, "0") },
			MakeFailed:    func(id, _ string) error { return finish(id, "1") },
			FailReasons:   []string{local.ReasonExited},
		}
	})
}

// TestConformance_Sleep runs the suite against a plain long-running
// command, the shape of a real bot that never ends on its own.
func TestConformance_Sleep(t *testing.T) {
	platformtest.Run(t, func(t *testing.T) platformtest.Harness {
		p := newLocal(t, "sleep 30", func(c *local.Config) { c.Limit = 3 })
		return platformtest.Harness{Platform: p, Capacity: 3, UnknownID: "local-1-999999999"}
	})
}

func writeAtomic(path, content string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// deploy deploys a bot with the default spec and fails the test on error.
func deploy(t testing.TB, p *local.Local, botID int64) string {
	t.Helper()
	id, err := p.Deploy(context.Background(), platformtest.DefaultSpec(botID))
	if err != nil {
		t.Fatalf("Deploy(%d): %v", botID, err)
	}
	return id
}

// waitEnded polls Status until the resource has ended and returns it.
func waitEnded(t testing.TB, p platforms.Platform, id string) platforms.Resource {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r, err := p.Status(context.Background(), id)
		if err != nil {
			t.Fatalf("Status(%q): %v", id, err)
		}
		if r.State == platforms.StateSucceeded || r.State == platforms.StateFailed {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("Status(%q) still %s", id, r.State)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestExitStates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, cmd  string
		wantState  platforms.ResourceState
		wantReason string
		wantDetail string
	}{
		{"Success", "exit 0", platforms.StateSucceeded, "", "exit status 0"},
		{"ExitCode", "exit 3", platforms.StateFailed, local.ReasonExited, "exit status 3"},
		{"Signal", "kill -KILL $$", platforms.StateFailed, local.ReasonExited, "signal: killed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newLocal(t, tt.cmd, nil)
			r := waitEnded(t, p, deploy(t, p, 7))
			if r.State != tt.wantState || r.Reason != tt.wantReason || r.Detail != tt.wantDetail || r.BotID != 7 {
				t.Fatalf("got %+v, want state %s reason %q detail %q", r, tt.wantState, tt.wantReason, tt.wantDetail)
			}
		})
	}
}

func TestStatus_Unknown(t *testing.T) {
	t.Parallel()
	p := newLocal(t, "true", nil)
	for _, id := range []string{"local-1-2", "../etc/passwd", ""} {
		if _, err := p.Status(t.Context(), id); !errors.Is(err, platforms.ErrNotFound) {
			t.Errorf("Status(%q): %v, want ErrNotFound", id, err)
		}
	}
}

func TestKeepExited_Bounded(t *testing.T) {
	t.Parallel()
	p := newLocal(t, "exit 0", func(c *local.Config) { c.KeepExited = 1 })
	first := deploy(t, p, 1)
	waitEnded(t, p, first)
	waitEnded(t, p, deploy(t, p, 2))
	if _, err := p.Status(t.Context(), first); !errors.Is(err, platforms.ErrNotFound) {
		t.Fatalf("Status of an evicted process: %v, want ErrNotFound", err)
	}
}

func TestDeploy_Full(t *testing.T) {
	t.Parallel()
	p := newLocal(t, "sleep 30", func(c *local.Config) { c.Limit = 2 })
	deploy(t, p, 1)
	deploy(t, p, 2)
	if _, err := p.Deploy(t.Context(), platformtest.DefaultSpec(3)); !errors.Is(err, platforms.ErrFull) {
		t.Fatalf("third Deploy: %v, want ErrFull", err)
	}
}

func TestNew_RequiresStateDir(t *testing.T) {
	t.Parallel()
	if _, err := local.New(local.Config{Command: "true"}); err == nil {
		t.Fatal("New without StateDir succeeded")
	}
}

func TestClose(t *testing.T) {
	t.Parallel()
	p := newLocal(t, "sleep 30", nil)
	ids := []string{deploy(t, p, 1), deploy(t, p, 2)}
	if err := p.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, id := range ids {
		r, err := p.Status(t.Context(), id)
		if err != nil || r.State != platforms.StateFailed || !strings.HasPrefix(r.Detail, "stopped: ") {
			t.Errorf("Status(%q) after Close = %+v, %v", id, r, err)
		}
	}
	if _, err := p.Deploy(t.Context(), platformtest.DefaultSpec(3)); err == nil {
		t.Error("Deploy after Close succeeded")
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func ExampleBotEnv() {
	env := local.BotEnv(
		[]string{"PATH=/bin", "HOME=/root", "DATABASE_URL=postgres://x", "DB_PASS=p", "GITHUB_PAT=g",
			"GOOGLE_APPLICATION_CREDENTIALS=/k.json", "XDG_CONFIG_HOME=/root/.config", "LC_ALL=C", "BOT_ID=9", "PROXY=p"},
		[]string{"PROXY"}, "/data/local/home/42",
		map[string]string{"BOT_ID": "42", "MILO_URL": "http://127.0.0.1:3000"},
	)
	fmt.Println(env)
	// Output: [PATH=/bin LC_ALL=C PROXY=p HOME=/data/local/home/42 BOT_ID=42 MILO_URL=http://127.0.0.1:3000]
}

// TestBotsRunAsAnotherUser: with User set, a bot runs under that uid in a
// HOME of its own, and cannot read the daemon's environment.
func TestBotsRunAsAnotherUser(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("switching users needs root")
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skip("no user nobody")
	}
	shared, err := os.MkdirTemp("", "meeboter-runas-*") // where the bot, as nobody, may write
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(shared) })
	if err := os.Chmod(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(shared, "out")
	script := `exec sh -c 'echo "$(id -u) $HOME"; cat /proc/` + strconv.Itoa(os.Getpid()) + `/environ >/dev/null 2>&1 && echo leaked || echo sealed' > ` + out
	p := newLocal(t, script, func(c *local.Config) { c.User = "nobody" })
	id, err := p.Deploy(t.Context(), platformtest.DefaultSpec(77))
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if r, err := p.Status(t.Context(), id); err == nil && r.State != platforms.StateRunning && r.State != platforms.StatePending {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the bot did not end")
		}
		time.Sleep(20 * time.Millisecond)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(string(got))
	if len(fields) != 3 || fields[0] != nobody.Uid || !strings.HasSuffix(fields[1], "/77") || fields[2] != "sealed" {
		t.Fatalf("the bot saw %q", got)
	}
}
