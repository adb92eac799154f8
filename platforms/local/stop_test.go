package local_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/local"
	"github.com/meeboter/meeboter/platforms/platformtest"
)

// TestStop_KillsShellChildren checks that Stop reaches the processes the
// shell started, not just the shell.
func TestStop_KillsShellChildren(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := shellQuote(dir) + `/"$BOT_ID"`
	p := newLocal(t, `sleep 300 & echo $! > `+out+`.tmp; sleep 300 & echo $! >> `+out+`.tmp; mv `+out+`.tmp `+out+`; wait`, nil)
	id := deploy(t, p, 41)
	pids := waitPids(t, filepath.Join(dir, "41"))
	if err := p.Stop(t.Context(), id); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	for _, pid := range pids {
		waitGone(t, pid)
	}
}

// TestStop_IgnoredTerm checks the SIGKILL after the grace period for a
// bot that ignores SIGTERM (the ignored disposition is inherited by the
// shell's children too).
func TestStop_IgnoredTerm(t *testing.T) {
	t.Parallel()
	p := newLocal(t, `trap '' TERM; sleep 300`, func(c *local.Config) { c.GracePeriod = 200 * time.Millisecond })
	id := deploy(t, p, 42)
	time.Sleep(100 * time.Millisecond) // let the shell install its trap
	start := time.Now()
	if err := p.Stop(t.Context(), id); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("Stop took %v", took)
	}
	r, _ := p.Status(t.Context(), id)
	if r.Detail != "stopped: signal: killed" {
		t.Fatalf("Status after Stop = %+v", r)
	}
}

func waitPids(t *testing.T, path string) []int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(path); err == nil {
			var pids []int
			for _, f := range strings.Fields(string(data)) {
				pid, err := strconv.Atoi(f)
				if err != nil {
					t.Fatalf("bad pid %q", f)
				}
				pids = append(pids, pid)
			}
			return pids
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never written", path)
	return nil
}

// waitGone waits until pid no longer runs (a zombie waiting for init to
// reap it counts as gone).
func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil || strings.Contains(string(data), ") Z ") {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	syscall.Kill(pid, syscall.SIGKILL)
	t.Fatalf("child %d of the shell survived Stop", pid)
}

// TestConcurrency deploys, watches, lists and stops many bots at once; run
// under -race it checks the locking.
func TestConcurrency(t *testing.T) {
	t.Parallel()
	const n = 24
	p := newLocal(t, "sleep 30", func(c *local.Config) { c.Limit = n })
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go p.Watch(ctx, func(platforms.Resource) {})
	var wg sync.WaitGroup
	errs := make(chan error, 4*n)
	for i := range n {
		wg.Go(func() {
			id, err := p.Deploy(ctx, platformtest.DefaultSpec(int64(100+i)))
			if err != nil {
				errs <- err
				return
			}
			if _, err := p.List(ctx); err != nil {
				errs <- err
			}
			if _, err := p.Status(ctx, id); err != nil {
				errs <- err
			}
			for range 2 { // concurrent double stops must be harmless
				wg.Go(func() {
					if err := p.Stop(ctx, id); err != nil {
						errs <- err
					}
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	rs, err := p.List(ctx)
	if err != nil || len(rs) != 0 {
		t.Fatalf("List after stopping everything = %d resources, %v", len(rs), err)
	}
	if _, err := p.Deploy(ctx, platformtest.DefaultSpec(999)); errors.Is(err, platforms.ErrFull) {
		t.Fatal("capacity not released after Stop")
	}
}
