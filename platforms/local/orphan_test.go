package local_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/local"
)

// TestOrphan_Adopted plays a daemon restart: a second platform sharing the
// state dir finds the bot the first one started, reports it and stops it.
func TestOrphan_Adopted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := newLocal(t, "sleep 30", func(c *local.Config) { c.StateDir = dir })
	id := deploy(t, first, 21)

	second := newLocal(t, "sleep 30", func(c *local.Config) { c.StateDir = dir })
	rs, err := second.List(t.Context())
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if len(rs) != 1 || rs[0].ID != id || rs[0].BotID != 21 || rs[0].State != platforms.StateRunning {
		t.Fatalf("List of the second platform = %+v, want %s running", rs, id)
	}
	if err := second.Stop(t.Context(), id); err != nil {
		t.Fatalf("Stop of an adopted process: %v", err)
	}
	r, err := second.Status(t.Context(), id)
	if err != nil || r.State != platforms.StateFailed || !strings.HasPrefix(r.Detail, "stopped: ") {
		t.Fatalf("Status after Stop = %+v, %v", r, err)
	}
	if got := waitEnded(t, first, id); got.Detail != "signal: terminated" {
		t.Fatalf("the first platform saw %+v", got)
	}
	if _, err := os.Stat(filepath.Join(dir, id+".json")); !os.IsNotExist(err) {
		t.Fatalf("pid file still there: %v", err)
	}
}

// TestOrphan_StatusAdopts checks that Status alone finds an orphan, as the
// daemon may ask about a recorded identifier before it lists anything.
func TestOrphan_StatusAdopts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := newLocal(t, "sleep 30", func(c *local.Config) { c.StateDir = dir })
	id := deploy(t, first, 22)
	second := newLocal(t, "sleep 30", func(c *local.Config) { c.StateDir = dir })
	r, err := second.Status(t.Context(), id)
	if err != nil || r.State != platforms.StateRunning || r.BotID != 22 {
		t.Fatalf("Status = %+v, %v", r, err)
	}
	if err := first.Stop(t.Context(), id); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if got := waitEnded(t, second, id); got.Reason != local.ReasonExited {
		t.Fatalf("adopted end = %+v", got)
	}
}

// TestOrphan_RecycledPid checks that a pid file naming a live process with
// another start time (the pid was reused) or a dead pid is not a bot, and
// that the stale file goes away.
func TestOrphan_RecycledPid(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	self := os.Getpid()
	stale := map[string]int{
		"local-31-" + strconv.Itoa(self): self,      // alive, but not started when recorded
		"local-32-999999999":             999999999, // no such process
	}
	for id, pid := range stale {
		data, _ := json.Marshal(map[string]any{"id": id, "botId": 31, "pid": pid, "startTicks": 1, "startedAt": time.Now()})
		if err := os.WriteFile(filepath.Join(dir, id+".json"), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p := newLocal(t, "sleep 30", func(c *local.Config) { c.StateDir = dir })
	rs, err := p.List(t.Context())
	if err != nil || len(rs) != 0 {
		t.Fatalf("List = %+v, %v; want nothing", rs, err)
	}
	for id := range stale {
		if err := p.Stop(t.Context(), id); err != nil {
			t.Errorf("Stop(%q): %v", id, err)
		}
		if _, err := os.Stat(filepath.Join(dir, id+".json")); !os.IsNotExist(err) {
			t.Errorf("stale pid file %s kept: %v", id, err)
		}
	}
	if err := syscall.Kill(self, 0); err != nil {
		t.Fatalf("the test process was signalled: %v", err)
	}
}
