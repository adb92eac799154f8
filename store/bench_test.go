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
