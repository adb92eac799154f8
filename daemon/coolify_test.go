package daemon_test

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify/coolifytest"
	"github.com/meeboter/meeboter/store"
)

// createMany creates bots for the meeting URLs at once, one goroutine each.
func createMany(t *testing.T, c *api.Client, urls []string) []int64 {
	t.Helper()
	ids := make([]int64, len(urls))
	var wg sync.WaitGroup
	errs := make(chan error, len(urls))
	for i, u := range urls {
		wg.Go(func() {
			b, err := c.Bots().Create(context.Background(), api.CreateBotRequest{Meeting: api.Meeting{MeetingURL: u}})
			if err != nil {
				errs <- err
				return
			}
			ids[i] = b.ID
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return ids
}

// allEndDone waits for every bot to end and requires each to be DONE.
func allEndDone(t *testing.T, c *api.Client, ids []int64) []*api.Bot {
	t.Helper()
	out := make([]*api.Bot, 0, len(ids))
	// A pool runs its bots a few at a time: the last ones wait for all the
	// others, so the wait is for the whole run, not for one bot.
	deadline := time.Now().Add(5 * time.Minute)
	for _, id := range ids {
		var b *api.Bot
		for {
			var err error
			if b, err = c.Bots().Get(context.Background(), id); err != nil {
				t.Fatal(err)
			}
			if b.Status.Terminal() {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("bot %d is still %s", id, b.Status)
			}
			time.Sleep(50 * time.Millisecond)
		}
		if b.Status != api.StatusDone {
			t.Fatalf("bot %d ended %s/%s: %s", id, b.Status, b.EndReason, b.EndDetail)
		}
		out = append(out, b)
	}
	return out
}

// slotsSettle waits until no slot is busy and returns them.
func slotsSettle(t *testing.T, c *api.Client) []api.PoolSlot {
	t.Helper()
	var slots []api.PoolSlot
	eventually(t, "every slot idle", func() bool {
		var err error
		if slots, err = c.PoolSlots(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, s := range slots {
			if s.Status != store.SlotIdle {
				return false
			}
		}
		return len(slots) > 0
	})
	return slots
}

var slotNameRe = regexp.MustCompile(`^pool-(google-meet|microsoft-teams|zoom)-00[1-9]$`)

// checkSlotNames requires pool-<meeting platform>-NNN names matching each
// slot's meeting platform.
func checkSlotNames(t *testing.T, slots []api.PoolSlot) {
	t.Helper()
	for _, s := range slots {
		m := slotNameRe.FindStringSubmatch(s.Name)
		if m == nil || m[1] != s.MeetingPlatform {
			t.Errorf("slot %d is named %q for %s", s.ID, s.Name, s.MeetingPlatform)
		}
	}
}

// TestCoolifyEightBotsFourSlots is the pool as a new user first tries it:
// COOLIFY_BOT_LIMIT=4, COOLIFY_POOL_MAX=4, eight Meet and Zoom bots made at
// once. Four run at a time on slots of their own meeting platform, the
// rest queue and run on released slots, all end DONE, and every slot is
// IDLE afterwards. Each container really asks getSlot and heartbeats.
func TestCoolifyEightBotsFourSlots(t *testing.T) {
	t.Parallel()
	forEachEngine(t, func(t *testing.T, open func(testing.TB) store.Store) {
		ps := newPoolSetup(t, 4, 4, coolifytest.Options{})
		st := open(t)
		most := watchSlots(t, st)
		d := ps.start(t, st)
		var urls []string
		for i := range 8 {
			urls = append(urls, []string{meetURL, zoomURL}[i%2])
		}
		ids := createMany(t, d.Admin, urls)
		bots := allEndDone(t, d.Admin, ids)
		for _, b := range bots {
			if b.DeploymentPlatform != platforms.Coolify {
				t.Errorf("bot %d ran on %q", b.ID, b.DeploymentPlatform)
			}
		}
		slots := slotsSettle(t, d.Admin)
		checkSlotNames(t, slots)
		if most.Load() > 4 || len(slots) > 4 {
			t.Errorf("%d slots existed at most, %d now; COOLIFY_POOL_MAX is 4", most.Load(), len(slots))
		}
		if n := ps.containers.maxLive.Load(); n > 4 {
			t.Errorf("%d bots ran at once; COOLIFY_BOT_LIMIT is 4", n)
		}
		if n := ps.containers.bots.Load(); n != 8 {
			t.Errorf("%d containers found their bot through getSlot, want 8", n)
		}
		t.Logf("Coolify calls for 8 bots: %v", fmt.Sprint(ps.fake.Calls()))
	})
}
