package daemon_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/daemontest"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// errEnough ends a stream from its callback.
var errEnough = errors.New("enough")

// streamUntil follows c's fleet stream from opts in the background; ready
// closes at its first message, and the result arrives once stop accepts a
// message.
func streamUntil(c *api.Client, opts api.StreamOptions, stop func(seen []api.StreamEvent) bool) (ready <-chan struct{}, result <-chan []api.StreamEvent) {
	r, out := make(chan struct{}), make(chan []api.StreamEvent, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var seen []api.StreamEvent
		first := true
		_ = c.Stream(ctx, opts, func(ev api.StreamEvent) error {
			if first {
				first = false
				close(r)
			}
			if ev.Type == api.StreamPing || ev.Type == api.StreamHeartbeats {
				return nil
			}
			seen = append(seen, ev)
			if stop(seen) {
				return errEnough
			}
			return nil
		})
		out <- seen
	}()
	return r, out
}

func receive[T any](tb testing.TB, ch <-chan T, what string) T {
	tb.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Minute):
		tb.Fatalf("timed out waiting for %s", what)
	}
	var zero T
	return zero
}

// TestStreamAcrossReplicasPostgres follows a fleet stream on one daemon
// while its bots are created, admitted, deployed and ended through another
// sharing the database, and reconnects twice with the last id seen, once
// to the other daemon: the states it shows of each bot are exactly the
// ones the database committed, in order, none missed and none twice.
func TestStreamAcrossReplicasPostgres(t *testing.T) {
	t.Parallel()
	cfg := storetest.PostgresConfig(t) // skips when no PostgreSQL is configured
	plat := quickBots(10)
	t.Cleanup(func() { _ = plat.Close() })
	var ds []*daemontest.Daemon
	for range 2 {
		ds = append(ds, daemontest.Start(t, daemontest.Options{Store: storetest.OpenConfig(t, cfg), Platforms: []platforms.Platform{plat}}))
	}
	watcher, maker := ds[0], ds[1]
	const n = 6
	var ids []int64
	botCount := func(seen []api.StreamEvent) int {
		return len(slices.DeleteFunc(slices.Clone(seen), func(e api.StreamEvent) bool { return e.Bot == nil }))
	}

	ready, first := streamUntil(watcher.Admin, api.StreamOptions{}, func(seen []api.StreamEvent) bool { return botCount(seen) >= 8 })
	receive(t, ready, "the stream to open")
	for range n {
		ids = append(ids, createBot(t, maker.Admin, api.CreateBotRequest{}).ID)
	}
	seen := receive(t, first, "the first stretch of the stream")
	// Away for a while: the bots go on without a client watching.
	waitStatus(t, maker.Admin, ids[0], api.StatusDone)
	_, second := streamUntil(maker.Admin, api.StreamOptions{LastEventID: lastID(t, seen)},
		func(more []api.StreamEvent) bool { return botCount(more) >= 8 })
	seen = append(seen, receive(t, second, "the stretch from the other daemon")...)
	_, third := streamUntil(watcher.Admin, api.StreamOptions{LastEventID: lastID(t, seen)}, func(more []api.StreamEvent) bool {
		return allDone(append(slices.Clone(seen), more...), ids)
	})
	seen = append(seen, receive(t, third, "every bot to end")...)
	for _, m := range seen {
		if m.Type == api.StreamReset {
			t.Fatal("a reconnect was reset: the daemon should have replayed what was missed")
		}
	}
	committed := committedStates(t, watcher.Store, ids)
	for _, id := range ids {
		if got, want := statuses(seen, id), committed[id]; !slices.Equal(got, want) {
			t.Errorf("bot %d: the stream showed %v, the database committed %v", id, got, want)
		}
	}
}

// allDone reports whether a stream showed every bot DONE.
func allDone(seen []api.StreamEvent, ids []int64) bool {
	for _, id := range ids {
		st := statuses(seen, id)
		if len(st) == 0 || st[len(st)-1] != api.StatusDone {
			return false
		}
	}
	return true
}

// committedStates reads the bot states the change feed holds, per bot, in
// commit order: the ground truth a stream must match.
func committedStates(t *testing.T, s store.Store, ids []int64) map[int64][]api.BotStatus {
	t.Helper()
	out := map[int64][]api.BotStatus{}
	var after int64
	for {
		cs, err := s.ReadChanges(t.Context(), store.ChangeQuery{After: after, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Bot != nil && slices.Contains(ids, c.BotID) {
				out[c.BotID] = append(out[c.BotID], c.Bot.Status)
			}
		}
		if len(cs) < 500 {
			return out
		}
		after = cs[len(cs)-1].Seq
	}
}
