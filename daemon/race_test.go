package daemon_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/sandbox"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// raceBots and raceLimit size the admission race: many more bots than
// capacity, so most of them queue.
const (
	raceBots  = 200
	raceLimit = 3
)

// quickBots is a platform whose sandbox bots stay in the call briefly.
func quickBots(limit int) *daemontest.InProc {
	p := daemontest.NewInProc(platforms.Local, limit)
	p.Tune = func(c *sandbox.Config) { c.CallEndsAfter = 100 * time.Millisecond }
	return p
}

func TestAdmissionRaceSQLite(t *testing.T) {
	t.Parallel()
	plat := quickBots(raceLimit)
	t.Cleanup(func() { _ = plat.Close() })
	d := daemontest.Start(t, daemontest.Options{Platforms: []platforms.Platform{plat}})
	runAdmissionRace(t, []*daemontest.Daemon{d}, plat)
}

// TestAdmissionRacePostgres runs three daemons on one database, sharing one
// platform the way replicas share a cluster.
func TestAdmissionRacePostgres(t *testing.T) {
	t.Parallel()
	cfg := storetest.PostgresConfig(t) // skips when no PostgreSQL is configured
	plat := quickBots(raceLimit)
	t.Cleanup(func() { _ = plat.Close() })
	var ds []*daemontest.Daemon
	for range 3 {
		ds = append(ds, daemontest.Start(t, daemontest.Options{Store: storetest.OpenConfig(t, cfg), Platforms: []platforms.Platform{plat}}))
	}
	runAdmissionRace(t, ds, plat)
}

// runAdmissionRace creates raceBots bots at once across the daemons while
// leaving and cancelling a third of them, and checks the invariants: never
// above the limit, never a bot deployed twice, FIFO among queued bots, and
// every bot ends with its capacity returned.
func runAdmissionRace(t *testing.T, ds []*daemontest.Daemon, plat *daemontest.InProc) {
	ctx := t.Context()
	var over atomic.Int64
	stopWatch := watchCapacity(ctx, ds[0].Store, &over)
	ids := createConcurrently(t, ds)
	disturb(t, ds, ids)
	waitAllEnded(t, ds[0].Admin, ids)
	stopWatch()
	if n := over.Load(); n > 0 {
		t.Errorf("capacity exceeded the limit %d times", n)
	}
	for id, n := range plat.Deploys() {
		if n > 1 {
			t.Errorf("bot %d deployed %d times", id, n)
		}
	}
	checkFIFO(t, ds[0].Admin, ids)
	assertDrained(t, ds[0].Store)
}

// watchCapacity samples the capacity in use until stopped, counting
// samples above the limit.
func watchCapacity(ctx context.Context, st store.Store, over *atomic.Int64) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			if used, err := st.CapacityUsed(ctx); err == nil && used[platforms.Local] > raceLimit {
				over.Add(1)
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	return func() { cancel(); <-done }
}

func createConcurrently(t *testing.T, ds []*daemontest.Daemon) []int64 {
	t.Helper()
	var mu sync.Mutex
	var ids []int64
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for i := range raceBots {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			b, err := ds[i%len(ds)].Admin.Bots().Create(context.Background(), api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: meetURL}})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			ids = append(ids, b.ID)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(ids) != raceBots {
		t.Fatalf("created %d bots, want %d", len(ids), raceBots)
	}
	return ids
}

// disturb leaves or cancels a third of the bots, concurrently, through
// random daemons.
func disturb(t *testing.T, ds []*daemontest.Daemon, ids []int64) {
	t.Helper()
	var wg sync.WaitGroup
	for i, id := range ids {
		if i%3 != 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(rand.IntN(300)) * time.Millisecond)
			c := ds[rand.IntN(len(ds))].Admin
			var err error
			if i%2 == 0 {
				_, err = c.Bots().Leave(context.Background(), id)
			} else {
				_, err = c.Bots().Cancel(context.Background(), id)
			}
			// A bot may have ended or joined meanwhile: that refusal is fine.
			if err != nil && !isRefusal(err) {
				t.Errorf("bot %d: %v", id, err)
			}
		}()
	}
	wg.Wait()
}

func isRefusal(err error) bool {
	var e *api.Error
	return asAPIError(err, &e) && (e.Code == api.CodeInvalidTransition || e.Code == api.CodeConflict)
}

func waitAllEnded(t *testing.T, c *api.Client, ids []int64) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for _, id := range ids {
		for {
			b, err := c.Bots().Get(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if b.Status.Terminal() {
				if b.Status == api.StatusFatal {
					t.Errorf("bot %d ended FATAL: %s %s", id, b.EndReason, b.EndDetail)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("bot %d still %s", id, b.Status)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// checkFIFO: of two queued bots that were both deployed, the one queued
// first was deployed no later.
func checkFIFO(t *testing.T, c *api.Client, ids []int64) {
	t.Helper()
	var queued []*api.Bot
	for _, id := range ids {
		b, err := c.Bots().Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if b.QueuedAt != nil && b.DeployStartedAt != nil {
			queued = append(queued, b)
		}
	}
	slices.SortFunc(queued, func(a, b *api.Bot) int {
		if c := a.QueuedAt.Compare(*b.QueuedAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	for i := 1; i < len(queued); i++ {
		if queued[i].DeployStartedAt.Before(*queued[i-1].DeployStartedAt) {
			t.Errorf("bot %d queued before bot %d but deployed after it", queued[i-1].ID, queued[i].ID)
		}
	}
	if len(queued) < raceBots/2 {
		t.Errorf("only %d bots went through the queue; the race did not queue", len(queued))
	}
}

func assertDrained(t *testing.T, st store.Store) {
	t.Helper()
	used, err := st.CapacityUsed(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if used[platforms.Local] != 0 {
		t.Errorf("capacity still held after every bot ended: %v", used)
	}
	q, err := st.ListQueue(t.Context(), 0)
	if err != nil || len(q) != 0 {
		t.Errorf("queue not empty after every bot ended: %d entries (%v)", len(q), err)
	}
}
