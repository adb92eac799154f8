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

// BenchmarkInsertLogs measures one batch of 50 log lines of one bot: the
// hot path, which also writes the batch to the change feed.
func BenchmarkInsertLogs(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			bot := benchBots(b, s, 1)[0]
			n := 0
			for b.Loop() {
				lines := make([]store.LogEntry, 50)
				for i := range lines {
					n++
					lines[i] = store.LogEntry{BotID: bot.ID, EntryID: fmt.Sprint(n), Time: time.Now(), Level: "INFO", Message: "a line of the bot's log"}
				}
				if err := s.InsertLogs(context.Background(), lines); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTransition measures one status change of a bot with a callback
// URL: the row, its event, its webhooks and its change in one transaction.
func BenchmarkTransition(b *testing.B) {
	for name, open := range storetest.Engines(b) {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			bots := benchBots(b, s, 1)
			ctx := context.Background()
			if _, err := s.UpdateBot(ctx, bots[0].UserID, bots[0].ID, store.BotPatch{CallbackURL: ptr("https://hooks.example/x"), Now: time.Now()}); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Admit(ctx, store.AdmitParams{BotID: bots[0].ID, Platforms: []store.PlatformLimit{{Name: "k8s", Limit: 10}}, Now: time.Now()}); err != nil {
				b.Fatal(err)
			}
			// Waiting room and call, back and forth: every step is a change.
			steps := []api.BotStatus{api.StatusJoiningCall, api.StatusInWaitingRoom}
			i := 0
			for b.Loop() {
				ev := &store.Event{Type: string(steps[i%2]), Time: time.Now()}
				if _, err := s.Transition(ctx, store.TransitionParams{BotID: bots[0].ID, To: steps[i%2], Event: ev, Now: time.Now()}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
