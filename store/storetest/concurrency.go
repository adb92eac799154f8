package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// workers is how many goroutines race in each concurrency test.
const workers = 50

// race runs fn(i) on workers goroutines released together.
func race(n int, fn func(i int)) {
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Go(func() {
			start.Wait()
			fn(i)
		})
	}
	start.Done()
	done.Wait()
}

var concurrencyTests = []namedTest{
	{"PoolAdmission", func(t *testing.T, s store.Store) {
		testPoolAdmissionRace(t, []store.Store{s})
	}},
	{"ImagePull", func(t *testing.T, s store.Store) {
		testImagePullRace(t, []store.Store{s})
	}},
	{"AddPoolSlots", func(t *testing.T, s store.Store) {
		testAddPoolSlotsRace(t, []store.Store{s})
	}},
	{"DeployTurns", func(t *testing.T, s store.Store) {
		testDeployTurnRace(t, []store.Store{s})
	}},
	{"Admission", func(t *testing.T, s store.Store) {
		testAdmissionRace(t, []store.Store{s})
	}},
	{"Reservations", func(t *testing.T, s store.Store) {
		testReservationRace(t, []store.Store{s})
	}},
	{"CreateAndAdmit", func(t *testing.T, s store.Store) {
		testCreateAndAdmitRace(t, []store.Store{s})
	}},
	{"Chat", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID)
		var msgs []store.ChatMessage
		for range 2 * workers {
			msgs = append(msgs, store.ChatMessage{BotID: b.ID, UserID: u.ID, Text: "m", EnqueuedAt: t0})
		}
		_, err := s.EnqueueChat(t.Context(), msgs)
		ok(t, err)
		var mu sync.Mutex
		seen := map[int64]bool{}
		race(workers, func(int) {
			for {
				m, err := s.DequeueChat(t.Context(), b.ID, t0)
				if errors.Is(err, store.ErrNotFound) {
					return
				}
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if seen[m.ID] {
					t.Errorf("message %d dequeued twice", m.ID)
				}
				seen[m.ID] = true
				mu.Unlock()
			}
		})
		eq(t, "dequeued", len(seen), 2*workers)
	}},
	{"ClaimDeploys", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		for range 40 {
			deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		}
		var mu sync.Mutex
		owner := map[int64]int{}
		race(workers, func(i int) {
			got, err := s.ClaimDeploys(t.Context(), store.ClaimDeploysParams{Holder: "d", Now: t0, LeaseFor: time.Minute, Limit: 3})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, b := range got {
				if prev, dup := owner[b.ID]; dup {
					t.Errorf("bot %d claimed by %d and %d", b.ID, prev, i)
				}
				owner[b.ID] = i
			}
		})
		eq(t, "claimed", len(owner), 40)
	}},
	{"ClaimDeploysTokens", func(t *testing.T, s store.Store) {
		// Claims racing, each with hashes of its own: every bot stores
		// the hash its one claimer was told, and no hash goes to two.
		u := mkUser(t, s)
		for range 40 {
			deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		}
		var mu sync.Mutex
		told := map[string]int64{}
		race(workers, func(i int) {
			hashes := []string{fmt.Sprintf("w%d-0", i), fmt.Sprintf("w%d-1", i), fmt.Sprintf("w%d-2", i)}
			got, err := s.ClaimDeploys(t.Context(), store.ClaimDeploysParams{Holder: "d", Now: t0, LeaseFor: time.Minute, Limit: 3, TokenHashes: hashes})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for k, b := range got {
				eq(t, "the claimer's hashes in order", b.TokenHash, hashes[k])
				told[b.TokenHash] = b.ID
			}
		})
		eq(t, "tokens", len(told), 40)
		for hash, id := range told {
			st, err := s.BotStateByToken(t.Context(), hash)
			ok(t, err)
			eq(t, "stored for its bot", st.ID, id)
		}
	}},
	{"SameEnd", func(t *testing.T, s store.Store) {
		// One end reported many times at once (a bot retrying its DONE
		// while the API stops it): one makes it, with one event and one
		// bot.ended delivery; the rest are conflicts.
		u := mkUser(t, s)
		b := deployOn(t, s, mkBot(t, s, u.ID, func(b *store.Bot) { b.CallbackURL = "https://hooks.example/end" }).ID, "k8s")
		move(t, s, b.ID, api.StatusInCall)
		var mu sync.Mutex
		ended, conflicts := 0, 0
		race(workers, func(int) {
			_, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusDone, Reason: api.ReasonCompleted, Now: t0,
				Event: &store.Event{BotID: b.ID, Type: string(api.StatusDone), Time: t0}})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ended++
			case errors.Is(err, store.ErrConflict):
				conflicts++
			default:
				t.Error(err)
			}
		})
		eq(t, "ended once", ended, 1)
		eq(t, "the rest conflict", conflicts, workers-1)
		evs, err := s.ListEvents(t.Context(), b.ID, store.Page{Limit: 1000})
		ok(t, err)
		done := 0
		for _, e := range evs {
			if e.Type == string(api.StatusDone) {
				done++
			}
		}
		eq(t, "one DONE event", done, 1)
		ds, err := s.ListWebhookDeliveries(t.Context(), b.ID)
		ok(t, err)
		endedHooks := 0
		for _, d := range ds {
			if d.Event == api.WebhookBotEnded {
				endedHooks++
			}
		}
		eq(t, "one bot.ended", endedHooks, 1)
	}},
	{"DailyLimit", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		var mu sync.Mutex
		created, refused := 0, 0
		race(workers, func(int) {
			_, err := s.CreateBot(t.Context(), store.NewBot{Bot: store.Bot{UserID: u.ID}, DailyLimit: ptr(10), DayStart: t0, Now: t0})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				created++
			case errors.Is(err, store.ErrQuotaExceeded):
				refused++
			default:
				t.Error(err)
			}
		})
		eq(t, "created", created, 10)
		eq(t, "refused", refused, workers-10)
	}},
}

// testAdmissionRace admits workers bots at once through the given stores
// (one per daemon) against a total limit of 5 and checks nobody overshoots.
func testAdmissionRace(t *testing.T, stores []store.Store) {
	s := stores[0]
	u := mkUser(t, s)
	bots := mkBots(t, s, u.ID, workers, func(b *store.Bot) { b.QueueTimeout = time.Hour })
	pl := limits("k8s", 2, "ecs", 3)
	results := make([]store.AdmitResult, workers)
	race(workers, func(i int) {
		res, err := stores[i%len(stores)].Admit(t.Context(), store.AdmitParams{BotID: bots[i].ID, Platforms: pl, Now: t0})
		if err != nil {
			t.Error(err)
		}
		results[i] = res
	})
	deploying, queued := 0, map[int64]bool{}
	for i, r := range results {
		if !r.Queued {
			deploying++
			continue
		}
		// Bots queued at the same instant order by id, so a position handed
		// out earlier may since have moved back; it is never out of range.
		if r.Position < 1 || r.Position > workers-5 {
			t.Fatalf("position %d out of range", r.Position)
		}
		queued[bots[i].ID] = true
	}
	eq(t, "deploying", deploying, 5)
	eq(t, "queued", len(queued), workers-5)
	counts, err := s.StatusCounts(t.Context(), u.ID)
	ok(t, err)
	eq(t, "DEPLOYING in db", counts[api.StatusDeploying], 5)
	eq(t, "QUEUED in db", counts[api.StatusQueued], workers-5)
	used, err := s.CapacityUsed(t.Context())
	ok(t, err)
	eq(t, "k8s", used["k8s"], 2)
	eq(t, "ecs", used["ecs"], 3)
	q, err := s.ListQueue(t.Context(), 0)
	ok(t, err)
	eq(t, "queue", len(q), workers-5)
	for i, e := range q {
		eq(t, "distinct positions", e.Position, i+1)
		eq(t, "queued bot", queued[e.BotID], true)
	}
}
