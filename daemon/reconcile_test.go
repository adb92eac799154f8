package daemon_test

import (
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/sandbox"
	"github.com/meeboter/meeboter/store"
)

// TestReconcileAcrossDaemons: three daemons share one store, each running
// its bots as local processes only it can see. Reconciliation, every 100
// ms and with a short vanish grace, never ends another daemon's bots: all
// end DONE.
func TestReconcileAcrossDaemons(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		st := open(t)
		cfg := daemon.Config{WorkerInterval: 100 * time.Millisecond, VanishGrace: 200 * time.Millisecond}
		var ds []*daemontest.Daemon
		for range 3 {
			p := daemontest.NewInProc(platforms.Local, 2)
			p.Tune = func(c *sandbox.Config) { c.CallEndsAfter = 2 * time.Second }
			t.Cleanup(func() { _ = p.Close() })
			ds = append(ds, daemontest.Start(t, daemontest.Options{Store: st, Platforms: []platforms.Platform{p}, Config: cfg}))
		}
		var ids []int64
		for i := range 6 {
			b := createBot(t, ds[i%3].Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
			ids = append(ids, b.ID)
		}
		for _, id := range ids {
			if b := botReaches(t, ds[0].Admin, id, api.StatusDone, api.StatusFatal); b.Status != api.StatusDone {
				t.Errorf("bot %d ended %s/%s: %s", id, b.Status, b.EndReason, b.EndDetail)
			}
		}
	})
}

// TestReconcileDuringBurst: bots are created while reconciliation runs
// every 100 ms against a platform whose listing lags its deploys. A
// listing that misses a bot is not enough to end it; none ends vanished.
func TestReconcileDuringBurst(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		p := daemontest.NewInstant("k8s", 1000)
		p.ListLag = 300 * time.Millisecond
		d := daemontest.Start(t, daemontest.Options{Store: open(t), Platforms: []platforms.Platform{p},
			Config: daemon.Config{WorkerInterval: 100 * time.Millisecond, VanishGrace: time.Nanosecond}})
		for range 200 {
			createBot(t, d.Admin, api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
		}
		time.Sleep(time.Second) // a few passes over the whole fleet
		fatal, err := d.Admin.Bots().List(t.Context(), api.BotListOptions{Statuses: []api.BotStatus{api.StatusFatal}, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range fatal.Items {
			t.Errorf("bot %d ended FATAL/%s: %s", b.ID, b.EndReason, b.EndDetail)
		}
	})
}
