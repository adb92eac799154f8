package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

func benchBots(b *testing.B, s store.Store, n int) []store.Bot {
	b.Helper()
	ctx := context.Background()
	u, err := s.CreateUser(ctx, store.NewUser{Email: "bench@example.test", Now: time.Now()})
	if err != nil {
		b.Fatal(err)
	}
	bots := make([]store.Bot, n)
	for i := range bots {
		bots[i], err = s.CreateBot(ctx, store.NewBot{Bot: store.Bot{UserID: u.ID, Status: api.StatusScheduled}, Now: time.Now()})
		if err != nil {
			b.Fatal(err)
		}
	}
	return bots
}

// BenchmarkRecordHeartbeats measures one flush of 100 bots' heartbeats.
func BenchmarkRecordHeartbeats(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			bots := benchBots(b, s, 100)
			now := time.Now()
			for b.Loop() {
				now = now.Add(time.Millisecond)
				beats := make(map[int64]time.Time, len(bots))
				for _, bot := range bots {
					beats[bot.ID] = now
				}
				if err := s.RecordHeartbeats(context.Background(), beats); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAdmit measures one admission decision against a full fleet, the
// path every queued bot takes.
func BenchmarkAdmit(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			bots := benchBots(b, s, 200)
			pl := []store.PlatformLimit{{Name: "k8s", Limit: 100}}
			i := 0
			for b.Loop() {
				_, err := s.Admit(context.Background(), store.AdmitParams{BotID: bots[i%len(bots)].ID, Platforms: pl, Now: time.Now()})
				if err != nil {
					b.Fatal(fmt.Errorf("admit: %w", err))
				}
				i++
			}
		})
	}
}

// BenchmarkAdmitSlot measures the admission of one bot onto a pooled
// platform, a fleet of 100 slots around it: taking an idle slot (the warm
// path), and creating a new slot row (the pool growing). Only Admit is
// timed; making the bot and handing its slot back are not.
func BenchmarkAdmitSlot(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		for _, grow := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/new=%v", name, grow), func(b *testing.B) { benchAdmitSlot(b, open(b), grow) })
		}
	}
}

func benchAdmitSlot(b *testing.B, s store.Store, grow bool) {
	ctx := context.Background()
	now := time.Now()
	pl := []store.PlatformLimit{{Name: "coolify", Limit: 1 << 30, Pool: &store.SlotPool{Max: 1 << 30,
		Name: func(mp string, n int) string { return fmt.Sprintf("pool-%s-%03d", mp, n) }}}}
	u, err := s.CreateUser(ctx, store.NewUser{Email: "bench@example.test", Now: now})
	if err != nil {
		b.Fatal(err)
	}
	newBot := func(meeting string) store.Bot {
		bot, err := s.CreateBot(ctx, store.NewBot{Bot: store.Bot{UserID: u.ID, Status: api.StatusScheduled,
			Meeting: store.Meeting{Platform: meeting}}, Now: now})
		if err != nil {
			b.Fatal(err)
		}
		return bot
	}
	// The fleet: 100 Google Meet and Zoom slots, half of them running bots.
	for i := range 100 {
		meeting := []string{"google-meet", "zoom"}[i%2]
		if _, err := s.CreatePoolSlot(ctx, store.PoolSlot{Platform: "coolify", MeetingPlatform: meeting,
			Name: fmt.Sprint("fleet-", i), ApplicationUUID: fmt.Sprint("app-", i), CreatedAt: now}); err != nil {
			b.Fatal(err)
		}
		if i%4 < 2 {
			if _, err := s.Admit(ctx, store.AdmitParams{BotID: newBot(meeting).ID, Platforms: pl, Now: now}); err != nil {
				b.Fatal(err)
			}
		}
	}
	// Zoom bots find an idle slot; Teams bots never do, so each makes one.
	meeting := "zoom"
	if grow {
		meeting = "microsoft-teams"
	}
	for b.Loop() {
		b.StopTimer()
		bot := newBot(meeting)
		b.StartTimer()
		res, err := s.Admit(ctx, store.AdmitParams{BotID: bot.ID, Platforms: pl, Now: now})
		b.StopTimer()
		if err != nil || res.Slot == nil {
			b.Fatalf("admit: %v, %+v", err, res)
		}
		if !grow {
			benchRecycle(b, s, bot.ID, res.Slot.ID, now)
		}
		b.StartTimer()
	}
}

// benchRecycle ends the bot and makes its slot idle again, as the daemon
// does once the slot's container is stopped.
func benchRecycle(b *testing.B, s store.Store, botID, slotID int64, now time.Time) {
	ctx := context.Background()
	if _, err := s.Transition(ctx, store.TransitionParams{BotID: botID, To: api.StatusDone, Reason: api.ReasonCompleted, Now: now}); err != nil {
		b.Fatal(err)
	}
	if _, err := s.UpdatePoolSlot(ctx, store.UpdatePoolSlotParams{ID: slotID, To: store.SlotIdle, Now: now}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAdmitCapped is BenchmarkAdmit for a user with a concurrency
// cap it never reaches: what a cap adds to every admission (counting the
// user's running bots, and looking for capped users in the queue).
func BenchmarkAdmitCapped(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			bots := benchBots(b, s, 200)
			limit := 1000
			if err := s.SetUserLimits(context.Background(), bots[0].UserID, store.UserLimitsPatch{ConcurrentBots: store.LimitValue{Set: true, Value: &limit}}); err != nil {
				b.Fatal(err)
			}
			pl := []store.PlatformLimit{{Name: "k8s", Limit: 100}}
			i := 0
			for b.Loop() {
				_, err := s.Admit(context.Background(), store.AdmitParams{BotID: bots[i%len(bots)].ID, Platforms: pl, Now: time.Now()})
				if err != nil {
					b.Fatal(fmt.Errorf("admit: %w", err))
				}
				i++
			}
		})
	}
}
