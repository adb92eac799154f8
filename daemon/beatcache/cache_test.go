package beatcache_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/beatcache"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

var t0 = time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC)

var emails atomic.Int64

// liveBot stores a deployed bot with a token hash.
func liveBot(t *testing.T, s store.Store) (store.Bot, string) {
	t.Helper()
	u, err := s.CreateUser(t.Context(), store.NewUser{Email: fmt.Sprintf("c%d@example.test", emails.Add(1)), Name: "U", Role: store.RoleMember, Now: t0})
	must(t, err)
	b, err := s.CreateBot(t.Context(), store.NewBot{Bot: store.Bot{UserID: u.ID, DisplayName: "Bot", Status: api.StatusScheduled,
		Meeting: store.Meeting{URL: "https://meet.example/abc", Platform: "google-meet"}}, Now: t0})
	must(t, err)
	_, err = s.Admit(t.Context(), store.AdmitParams{BotID: b.ID, Platforms: []store.PlatformLimit{{Name: "k8s", Limit: 100}}, Now: t0})
	must(t, err)
	hash := fmt.Sprintf("hash-%d", b.ID)
	must(t, s.SetBotToken(t.Context(), b.ID, hash))
	return b, hash
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// running starts c and waits until it serves from memory.
func running(t *testing.T, c *beatcache.Cache, s store.Store, hash string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); c.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "the cache to serve from memory", func() bool {
		_, err := c.Get(t.Context(), hash)
		must(t, err)
		return c.Len() > 0
	})
}

func waitFor(t *testing.T, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}

// TestCache_FollowsTheFeed: a write the cache is not told of (another
// daemon's) reaches it through the feed within the poll interval, and
// hits read nothing.
func TestCache_FollowsTheFeed(t *testing.T) {
	t.Parallel()
	for name, open := range storetest.Engines(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			b, hash := liveBot(t, s)
			c := beatcache.New(beatcache.Config{Poll: 50 * time.Millisecond}, s, slog.New(slog.DiscardHandler))
			running(t, c, s, hash)
			_, before := c.Stats()
			for range 100 {
				st, err := c.Get(t.Context(), hash)
				must(t, err)
				if st.Status != api.StatusDeploying {
					t.Fatalf("status %s, want DEPLOYING", st.Status)
				}
			}
			if _, after := c.Stats(); after != before {
				t.Fatalf("%d reads for 100 cached beats", after-before)
			}
			_, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusJoiningCall, Now: t0})
			must(t, err)
			took := waitFor(t, "the new status", func() bool {
				st, err := c.Get(t.Context(), hash)
				must(t, err)
				return st.Status == api.StatusJoiningCall
			})
			if took > time.Second {
				t.Fatalf("the change took %s to reach the cache", took)
			}
		})
	}
}

// TestCache_OwnWritesAtOnce: a write of this process, told by the store,
// shows on the very next read.
func TestCache_OwnWritesAtOnce(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	b, hash := liveBot(t, s)
	c := beatcache.New(beatcache.Config{Poll: time.Hour}, s, slog.New(slog.DiscardHandler))
	s.WatchBotWrites(c.Drop)
	running(t, c, s, hash)
	_, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusLeaving, Now: t0})
	must(t, err)
	st, err := c.Get(t.Context(), hash)
	must(t, err)
	if st.Status != api.StatusLeaving {
		t.Fatalf("status %s right after the write, want LEAVING", st.Status)
	}
	must(t, s.SetBotToken(t.Context(), b.ID, "new-hash"))
	if _, err := c.Get(t.Context(), hash); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the replaced token still answers: %v", err)
	}
}

// slowSource holds one token read until released, to race a write.
type slowSource struct {
	store.Store
	hold    chan struct{}
	reading chan struct{}
	armed   atomic.Bool
}

func (s *slowSource) BotStateByToken(ctx context.Context, hash string) (store.BotState, error) {
	st, err := s.Store.BotStateByToken(ctx, hash)
	if s.armed.CompareAndSwap(true, false) {
		close(s.reading)
		<-s.hold
	}
	return st, err
}

// TestCache_FillRacingAWrite: a state read before a write but kept after
// it would be stale; the cache does not keep it.
func TestCache_FillRacingAWrite(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	b, hash := liveBot(t, s)
	src := &slowSource{Store: s, hold: make(chan struct{}), reading: make(chan struct{})}
	c := beatcache.New(beatcache.Config{Poll: time.Hour}, src, slog.New(slog.DiscardHandler))
	s.WatchBotWrites(c.Drop)
	_, other := liveBot(t, s)
	running(t, c, s, other)
	src.armed.Store(true)
	got := make(chan store.BotState)
	go func() {
		st, _ := c.Get(context.Background(), hash)
		got <- st
	}()
	<-src.reading // the old state is read, not yet kept
	_, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusLeaving, Now: t0})
	must(t, err)
	close(src.hold)
	if st := <-got; st.Status != api.StatusDeploying {
		t.Fatalf("the racing read saw %s", st.Status)
	}
	st, err := c.Get(t.Context(), hash)
	must(t, err)
	if st.Status != api.StatusLeaving {
		t.Fatalf("the cache kept the state read before the write: %s", st.Status)
	}
}

// failingFeed fails the feed's reads while set.
type failingFeed struct {
	store.Store
	fail atomic.Bool
}

func (f *failingFeed) ChangedBots(ctx context.Context, after int64, n int) ([]store.BotChange, error) {
	if f.fail.Load() {
		return nil, store.ErrUnavailable
	}
	return f.Store.ChangedBots(ctx, after, n)
}

// TestCache_NothingWhileBlind: while the feed cannot be read, the cache
// holds nothing, so every beat asks the database; it serves again once
// the feed answers.
func TestCache_NothingWhileBlind(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	_, hash := liveBot(t, s)
	src := &failingFeed{Store: s}
	c := beatcache.New(beatcache.Config{Poll: 10 * time.Millisecond}, src, slog.New(slog.DiscardHandler))
	running(t, c, s, hash)
	src.fail.Store(true)
	waitFor(t, "the cache to empty", func() bool { return c.Len() == 0 })
	_, before := c.Stats()
	for range 5 {
		_, err := c.Get(t.Context(), hash)
		must(t, err)
	}
	if _, after := c.Stats(); after-before != 5 {
		t.Fatalf("%d of 5 beats read the database while the feed was failing", after-before)
	}
	src.fail.Store(false)
	waitFor(t, "the cache to serve again", func() bool {
		_, err := c.Get(t.Context(), hash)
		must(t, err)
		return c.Len() == 1
	})
}
