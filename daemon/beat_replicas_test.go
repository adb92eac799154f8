package daemon_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store/storetest"
	"github.com/meeboter/meeboter/trpc/trpcclient"
)

// nativeBeat sends one native heartbeat and decodes the answer.
func nativeBeat(t *testing.T, base, token string) api.AgentHeartbeat {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, base+"/v1/agent/heartbeat", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var hb api.AgentHeartbeat
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&hb) != nil {
		t.Fatalf("heartbeat: %s", resp.Status)
	}
	return hb
}

// TestLeaveReachesHeartbeatsOnEveryDaemonPostgres: two daemons share a
// database and answer heartbeats from memory; a leave asked through one
// reaches the bot's next heartbeat on the other, on both protocols,
// within a second, and the same holds for a log level. Then the same
// daemon answers its own writes at once.
func TestLeaveReachesHeartbeatsOnEveryDaemonPostgres(t *testing.T) {
	t.Parallel()
	cfg := storetest.PostgresConfig(t) // skips when no PostgreSQL is configured
	plat := daemontest.NewInstant(platforms.Local, 10)
	var ds []*daemontest.Daemon
	for range 2 {
		ds = append(ds, daemontest.Start(t, daemontest.Options{Store: storetest.OpenConfig(t, cfg), Platforms: []platforms.Platform{plat},
			Config: daemon.Config{WorkerInterval: time.Hour}}))
	}
	beater, asker := ds[0], ds[1]
	ids := createDeployed(t, asker.Admin, plat, 2)
	native, old := ids[0], ids[1]
	nt, ot := plat.Token(native), plat.Token(old)
	tc := trpcclient.New(beater.URL, ot, nil)
	for range 3 { // the answers are cached now
		if hb := nativeBeat(t, beater.URL, nt); hb.ShouldLeave {
			t.Fatal("a running bot was told to leave")
		}
		if hb, err := tc.SendHeartbeat(t.Context(), old); err != nil || hb.ShouldLeave {
			t.Fatalf("tRPC heartbeat: %+v, %v", hb, err)
		}
	}
	_, err := asker.Admin.Bots().SetLogLevel(t.Context(), native, "DEBUG")
	must(t, err)
	within(t, time.Second, "the log level on the other daemon", func() bool { return nativeBeat(t, beater.URL, nt).LogLevel == "DEBUG" })
	for _, id := range ids {
		_, err := asker.Admin.Bots().Leave(t.Context(), id)
		must(t, err)
	}
	within(t, time.Second, "a native leave on the other daemon", func() bool { return nativeBeat(t, beater.URL, nt).ShouldLeave })
	within(t, time.Second, "a tRPC leave on the other daemon", func() bool {
		hb, err := tc.SendHeartbeat(t.Context(), old)
		must(t, err)
		return hb.ShouldLeave
	})
	// On the daemon that wrote it, the change is in the next answer.
	_, err = asker.Admin.Bots().SetLogLevel(t.Context(), native, "TRACE")
	must(t, err)
	if hb := nativeBeat(t, asker.URL, nt); hb.LogLevel != "TRACE" {
		t.Fatalf("own write not in the next answer: %+v", hb)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// within polls cond every 10 ms and fails unless it holds within d.
func within(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > d {
			t.Fatalf("%s: not seen within %s", what, d)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("%s: seen after %s", what, time.Since(start).Round(time.Millisecond))
}

// createDeployed creates n bots and waits until the platform ran them.
func createDeployed(t *testing.T, c *api.Client, plat *daemontest.Instant, n int) []int64 {
	t.Helper()
	var ids []int64
	for range n {
		b, err := c.Bots().Create(t.Context(), api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
		must(t, err)
		ids = append(ids, b.ID)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	for _, id := range ids {
		for plat.Token(id) == "" {
			if ctx.Err() != nil {
				t.Fatalf("bot %d not deployed", id)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return ids
}
