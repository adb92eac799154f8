package local_test

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/local"
)

// threads reads this process's OS thread count.
func threads(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc")
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "Threads:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	t.Fatal("no thread count in /proc/self/status")
	return 0
}

// TestReap_NoThreadPerBot: hundreds of running bots hold no OS thread
// each (not parallel, so no other test's threads are counted), and each
// is still reaped with its exit status when it ends.
func TestReap_NoThreadPerBot(t *testing.T) {
	const n = 300
	p := newLocal(t, `[ "$BOT_ID" -le 2 ] && exit "$BOT_ID"; exec sleep 60`, func(c *local.Config) { c.Limit = n })
	ids := make([]string, n)
	for i := range n {
		id, err := p.Deploy(t.Context(), platforms.DeploySpec{BotID: int64(i + 1), Env: map[string]string{"BOT_ID": strconv.Itoa(i + 1)}})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	for i, want := range []string{"exit status 1", "exit status 2"} {
		r := waitState(t, p, ids[i], platforms.StateFailed)
		if r.Detail != want {
			t.Errorf("bot %d: %q, want %q", i+1, r.Detail, want)
		}
	}
	time.Sleep(200 * time.Millisecond) // every shell has exec'd its sleep
	if got := threads(t); got >= 64 {
		t.Fatalf("%d OS threads with %d bots running", got, n)
	}
	if err := p.Stop(t.Context(), ids[n-1]); err != nil {
		t.Fatal(err)
	}
}

// waitState polls a resource until it is in state.
func waitState(t *testing.T, p *local.Local, id string, state platforms.ResourceState) platforms.Resource {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		r, err := p.Status(t.Context(), id)
		if err == nil && r.State == state {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %+v, %v; want %s", id, r, err, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
