package storetest

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
)

// poolMax is the pool maximum the admission races run against.
const poolMax = 12

// testPoolAdmissionRace admits workers bots of three meeting platforms at
// once, through the given stores (one per daemon), onto a pooled platform
// whose pool may hold poolMax slots, four of them idle already. Nobody
// may overshoot the maximum, get a slot of another meeting platform, or
// share a slot. (An idle slot may stay idle: once a bot of another
// meeting platform finds the pool full and queues, every later bot queues
// behind it, FIFO.)
func testPoolAdmissionRace(t *testing.T, stores []store.Store) {
	s := stores[0]
	u := mkUser(t, s)
	meetings := []string{"google-meet", "microsoft-teams", "zoom"}
	for i := range 4 {
		mkSlot(t, s, "coolify", meetings[i%3], nil)
	}
	bots := make([]store.Bot, workers)
	for i := range bots {
		bots[i] = mkBot(t, s, u.ID, onMeeting(meetings[i%3]), func(b *store.Bot) { b.QueueTimeout = time.Hour })
	}
	pl := []store.PlatformLimit{pooled("coolify", 100, poolMax)}
	results := make([]store.AdmitResult, workers)
	race(workers, func(i int) {
		res, err := stores[i%len(stores)].Admit(t.Context(), store.AdmitParams{BotID: bots[i].ID, Platforms: pl, Now: t0})
		if err != nil {
			t.Error(err)
		}
		results[i] = res
	})
	owner := map[int64]int64{}
	for i, r := range results {
		if r.Queued {
			continue
		}
		if r.Slot == nil {
			t.Fatalf("bot %d deployed without a slot", bots[i].ID)
		}
		if prev, dup := owner[r.Slot.ID]; dup {
			t.Fatalf("slot %d given to bots %d and %d", r.Slot.ID, prev, bots[i].ID)
		}
		owner[r.Slot.ID] = bots[i].ID
		eq(t, "slot of the bot's meeting platform", r.Slot.MeetingPlatform, bots[i].Meeting.Platform)
	}
	slots, err := s.ListPoolSlots(t.Context(), "coolify")
	ok(t, err)
	eq(t, "slots", len(slots), poolMax)
	names := map[string]bool{}
	for _, x := range slots {
		if x.Status == store.SlotIdle && x.AssignedBotID == nil && owner[x.ID] == 0 {
			continue // one of the idle four, never reached
		}
		if x.AssignedBotID == nil || owner[x.ID] != *x.AssignedBotID {
			t.Fatalf("slot %+v disagrees with admission (%d)", x, owner[x.ID])
		}
		key := fmt.Sprint(x.MeetingPlatform, x.Number)
		if names[key] {
			t.Fatalf("number %s given twice", key)
		}
		names[key] = true
	}
	if len(owner) < poolMax-4 {
		t.Fatalf("%d slots handed out; the %d new ones at least should be", len(owner), poolMax-4)
	}
}

// testImagePullRace lets workers holders race for one pull: exactly one
// pulls, and once it finished nobody waits.
func testImagePullRace(t *testing.T, stores []store.Store) {
	const key = "server-1/zoom/ghcr.io/meeboter/meeboter-zoom-bot:latest"
	var mine atomic.Int32
	race(workers, func(i int) {
		p, err := stores[i%len(stores)].TryImagePull(t.Context(), store.ImagePullParams{Key: key,
			Holder: fmt.Sprint("d", i), Now: t0, LeaseFor: time.Minute})
		if err != nil {
			t.Error(err)
			return
		}
		if p.State == store.PullMine {
			mine.Add(1)
			if err := stores[i%len(stores)].FinishImagePull(t.Context(), store.FinishImagePullParams{Key: key,
				Holder: p.Holder, Pulled: true, Now: t0}); err != nil {
				t.Error(err)
			}
		}
	})
	eq(t, "pullers", mine.Load(), int32(1))
	p, err := stores[0].TryImagePull(t.Context(), store.ImagePullParams{Key: key, Holder: "late", Now: t0, LeaseFor: time.Minute})
	ok(t, err)
	eq(t, "pulled", p.State, store.PullDone)
}

// testDeployTurnRace queues 30 entries in a known order, then lets their
// holders poll for turns at once, several at a time holding one. At no
// moment may more than three run, and an entry is granted only after
// every entry queued before it.
func testDeployTurnRace(t *testing.T, stores []store.Store) {
	const entries, max = 30, 3
	params := func(i int) store.DeployTurnParams {
		return store.DeployTurnParams{Scope: "coolify", Entry: fmt.Sprint("slot-", i), Holder: fmt.Sprint("d", i), Max: max,
			Now: t0, LeaseFor: time.Hour, WaitFor: time.Hour}
	}
	seqs := make([]int64, entries)
	for i := range entries {
		d, err := stores[i%len(stores)].AcquireDeployTurn(t.Context(), params(i))
		ok(t, err)
		seqs[i] = d.Seq
	}
	var active, most atomic.Int32
	var mu sync.Mutex
	race(entries, func(i int) {
		s := stores[i%len(stores)]
		for {
			d, err := s.AcquireDeployTurn(t.Context(), params(i))
			if err != nil {
				t.Error(err)
				return
			}
			if d.Granted {
				break
			}
			time.Sleep(10 * time.Millisecond) // the deploy limit is polled, as the daemon does
		}
		n := active.Add(1)
		mu.Lock()
		most.Store(max32(most.Load(), n))
		mu.Unlock()
		if err := checkTurnsBefore(t, s, seqs[i]); err != nil {
			t.Error(err)
		}
		active.Add(-1)
		if err := s.ReleaseDeployTurn(t.Context(), "coolify", params(i).Entry, params(i).Holder); err != nil {
			t.Error(err)
		}
	})
	if most.Load() > max {
		t.Fatalf("%d deploys at once, the limit is %d", most.Load(), max)
	}
	left, err := stores[0].ListDeployTurns(t.Context(), "coolify")
	ok(t, err)
	eq(t, "all released", len(left), 0)
}

// checkTurnsBefore fails when an entry queued before seq still waits.
func checkTurnsBefore(t *testing.T, s store.Store, seq int64) error {
	list, err := s.ListDeployTurns(t.Context(), "coolify")
	if err != nil {
		return err
	}
	var granted int
	for _, d := range list {
		if d.Granted {
			granted++
		}
		if d.Seq < seq && !d.Granted {
			return fmt.Errorf("entry %d granted while %d, queued before it, waits", seq, d.Seq)
		}
	}
	if granted > 3 {
		return errors.New("more turns granted than the limit")
	}
	return nil
}

func max32(a, b int32) int32 {
	if a > b {
		return a
	}
	return b
}
