package lifecycle

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// groupStore counts the groups a real store is given, and can fail a
// group as a whole. Its first call waits until line creates wait behind
// it, so that a group of several forms whatever the scheduler does.
type groupStore struct {
	store.Store
	line            *createGroup
	held            atomic.Bool
	groups, largest atomic.Int64
	failFirst       atomic.Bool // fail the first group of several as a whole
	panicFirst      atomic.Bool // panic in the first group of several
}

// holdFirst makes the first call wait until n creates wait in g.
func (g *groupStore) holdFirst(line *createGroup) { g.line = line }

func (g *groupStore) waitForLine(n int) {
	for {
		g.line.mu.Lock()
		waiting := len(g.line.waiting)
		g.line.mu.Unlock()
		if waiting >= n {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

func (g *groupStore) CreateAndAdmit(ctx context.Context, items []store.CreateAdmit, written func()) ([]store.CreateAdmitted, error) {
	if g.line != nil && g.held.CompareAndSwap(false, true) {
		g.waitForLine(5)
	}
	g.groups.Add(1)
	for n := int64(len(items)); ; {
		old := g.largest.Load()
		if n <= old || g.largest.CompareAndSwap(old, n) {
			break
		}
	}
	if len(items) > 1 && g.failFirst.CompareAndSwap(true, false) {
		return nil, store.ErrUnavailable
	}
	if len(items) > 1 && g.panicFirst.CompareAndSwap(true, false) {
		panic("the group's transaction")
	}
	return g.Store.CreateAndAdmit(ctx, items, written)
}

// TestCreateGroup: concurrent creates share transactions, each hears its
// own outcome (a duplicate its refusal), and a group that fails as a whole
// is tried again create by create, so none is lost.
func TestCreateGroup(t *testing.T) {
	for name, open := range storetest.Engines(t) {
		t.Run(name, func(t *testing.T) {
			st := &groupStore{Store: open(t)}
			st.failFirst.Store(true)
			u, err := st.CreateUser(t.Context(), store.NewUser{Email: "g@example.test", Name: "G", Role: store.RoleMember, Now: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			var g createGroup
			st.holdFirst(&g)
			const n = 200
			pl := []store.PlatformLimit{{Name: "local", Limit: 20}}
			outs := make([]store.CreateAdmitted, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					now := time.Now()
					nb := store.NewBot{Bot: store.Bot{UserID: u.ID, Status: api.StatusScheduled, QueueTimeout: time.Hour,
						Meeting: store.Meeting{URL: "https://meet.example/g", Platform: "google-meet"}}, Now: now}
					if i%10 == 0 {
						nb.DedupKey, nb.DedupWindow = "same", time.Hour
					}
					out, err := g.run(t.Context(), st, store.CreateAdmit{New: nb, Admit: store.AdmitParams{Platforms: pl, Now: now}})
					if err != nil {
						t.Error(err)
					}
					outs[i] = out
				})
			}
			wg.Wait()
			seen, dups := map[int64]bool{}, 0
			for _, o := range outs {
				var de *store.DuplicateError
				switch {
				case errors.As(o.Err, &de):
					dups++
				case o.Err != nil:
					t.Fatal(o.Err)
				case seen[o.Bot.ID] || o.Bot.ID == 0:
					t.Fatalf("bot %d handed to two creates", o.Bot.ID)
				default:
					seen[o.Bot.ID] = true
				}
			}
			if dups != n/10-1 || len(seen) != n-dups {
				t.Fatalf("%d stored, %d duplicates; want %d and %d", len(seen), dups, n-n/10+1, n/10-1)
			}
			counts, err := st.StatusCounts(t.Context(), u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if counts[api.StatusDeploying] != 20 || counts[api.StatusQueued] != len(seen)-20 {
				t.Fatalf("status counts %v", counts)
			}
			if st.failFirst.Load() {
				t.Fatal("no group of several formed")
			}
			if l := st.largest.Load(); l > maxGroup {
				t.Fatalf("a group of %d", l)
			}
			t.Logf("%d creates in %d transactions, the largest %d", n, st.groups.Load(), st.largest.Load())
		})
	}
}

// TestCreateGroupPanic: a group whose transaction panics wakes its members,
// who create alone, and passes the lead on: later creates do not hang.
func TestCreateGroupPanic(t *testing.T) {
	st := &groupStore{Store: storetest.OpenSQLite(t)}
	st.panicFirst.Store(true)
	u, err := st.CreateUser(t.Context(), store.NewUser{Email: "p@example.test", Name: "P", Role: store.RoleMember, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	var g createGroup
	st.holdFirst(&g)
	pl := []store.PlatformLimit{{Name: "local", Limit: 100}}
	create := func() (out store.CreateAdmitted, panicked bool) {
		defer func() { panicked = recover() != nil }()
		now := time.Now()
		nb := store.NewBot{Bot: store.Bot{UserID: u.ID, Status: api.StatusScheduled,
			Meeting: store.Meeting{URL: "https://meet.example/p", Platform: "google-meet"}}, Now: now}
		out, err := g.run(t.Context(), st, store.CreateAdmit{New: nb, Admit: store.AdmitParams{Platforms: pl, Now: now}})
		if err != nil || out.Err != nil {
			t.Error(err, out.Err)
		}
		return out, false
	}
	for round := range 3 {
		var panics, created atomic.Int64
		var wg sync.WaitGroup
		for range 40 {
			wg.Go(func() {
				if out, p := create(); p {
					panics.Add(1)
				} else if out.Bot.ID != 0 {
					created.Add(1)
				}
			})
		}
		wg.Wait()
		if st.panicFirst.Load() {
			t.Fatal("no group of several formed")
		}
		if panics.Load()+created.Load() != 40 || panics.Load() > 1 {
			t.Fatalf("round %d: %d created, %d panicked", round, created.Load(), panics.Load())
		}
	}
}
