package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

var plansTests = []namedTest{
	{"SeededAndCreated", func(t *testing.T, s store.Store) {
		free, err := s.GetPlan(t.Context(), store.PlanFree)
		ok(t, err)
		eq(t, "free daily", *free.DailyBots, 5)
		if free.ConcurrentBots != nil {
			t.Fatalf("free plan has a concurrency cap %d", *free.ConcurrentBots)
		}
		p, err := s.CreatePlan(t.Context(), store.Plan{Name: "team", DailyBots: ptr(50), ConcurrentBots: ptr(2), MaxBotDuration: time.Hour})
		ok(t, err)
		eq(t, "concurrent", *p.ConcurrentBots, 2)
		eq(t, "max duration", p.MaxBotDuration, time.Hour)
		_, err = s.CreatePlan(t.Context(), store.Plan{Name: "team"})
		wantErr(t, err, store.ErrConflict)
		_, err = s.CreatePlan(t.Context(), store.Plan{Name: "no spaces"})
		wantErr(t, err, store.ErrConflict)
		_, err = s.CreatePlan(t.Context(), store.Plan{Name: "neg", ConcurrentBots: ptr(-1)})
		wantErr(t, err, store.ErrConflict)
		all, err := s.ListPlans(t.Context())
		ok(t, err)
		eq(t, "plans", len(all), 5)
		eq(t, "sorted", all[0].Name, "CUSTOM")
		_, err = s.GetPlan(t.Context(), "nope")
		wantErr(t, err, store.ErrNotFound)
	}},
	{"SetPlanAndLimits", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		wantErr(t, s.SetUserPlan(t.Context(), u.ID, ptr("nope")), store.ErrConflict)
		wantErr(t, s.SetUserPlan(t.Context(), u.ID+1000, ptr(store.PlanPro)), store.ErrNotFound)
		ok(t, s.SetUserPlan(t.Context(), u.ID, ptr(store.PlanPro)))
		ok(t, s.SetUserLimits(t.Context(), u.ID, store.UserLimitsPatch{
			ConcurrentBots: store.LimitValue{Set: true, Value: ptr(3)}, DedupWindowSeconds: store.LimitValue{Set: true, Value: ptr(300)}}))
		got, err := s.GetUser(t.Context(), u.ID)
		ok(t, err)
		eq(t, "plan", *got.Plan, store.PlanPro)
		eq(t, "concurrent", *got.MaxConcurrentBots, 3)
		eq(t, "window", got.DedupWindow, 5*time.Minute)
		// Clearing one limit keeps the others.
		ok(t, s.SetUserLimits(t.Context(), u.ID, store.UserLimitsPatch{ConcurrentBots: store.LimitValue{Set: true}}))
		got, _ = s.GetUser(t.Context(), u.ID)
		if got.MaxConcurrentBots != nil || got.DedupWindow != 5*time.Minute {
			t.Fatalf("after clearing: concurrent %v window %v", got.MaxConcurrentBots, got.DedupWindow)
		}
		wantErr(t, s.SetUserLimits(t.Context(), u.ID+1000, store.UserLimitsPatch{}), store.ErrNotFound)
		ok(t, s.SetUserPlan(t.Context(), u.ID, nil))
		got, _ = s.GetUser(t.Context(), u.ID)
		if got.Plan != nil {
			t.Fatalf("plan not cleared: %v", *got.Plan)
		}
	}},
	{"ResolveLimits", func(t *testing.T, s store.Store) {
		_, err := s.CreatePlan(t.Context(), store.Plan{Name: "team", DailyBots: ptr(50), ConcurrentBots: ptr(2)})
		ok(t, err)
		u := mkUser(t, s)
		l, err := s.UserLimits(t.Context(), u.ID, t0)
		ok(t, err)
		eq(t, "default plan", l.Plan, store.PlanFree)
		eq(t, "free daily", *l.DailyBots, 5)
		_, err = s.CreateSubscription(t.Context(), store.Subscription{UserID: u.ID, Plan: store.PlanPro, Active: true, StartsAt: t0.Add(-time.Hour)})
		ok(t, err)
		l, _ = s.UserLimits(t.Context(), u.ID, t0)
		eq(t, "subscribed", l.Plan, store.PlanPro)
		eq(t, "pro daily", *l.DailyBots, 200)
		ok(t, s.SetUserPlan(t.Context(), u.ID, ptr("team")))
		l, _ = s.UserLimits(t.Context(), u.ID, t0)
		eq(t, "own plan wins", l.Plan, "team")
		eq(t, "team concurrent", *l.ConcurrentBots, 2)
		ok(t, s.SetUserLimits(t.Context(), u.ID, store.UserLimitsPatch{DailyBots: store.LimitValue{Set: true, Value: ptr(9)},
			ConcurrentBots: store.LimitValue{Set: true, Value: ptr(7)}}))
		l, _ = s.UserLimits(t.Context(), u.ID, t0)
		eq(t, "override daily", *l.DailyBots, 9)
		eq(t, "override concurrent", *l.ConcurrentBots, 7)
		admin, err := s.CreateUser(t.Context(), store.NewUser{Email: "root@example.test", Role: store.RoleAdmin, Now: t0})
		ok(t, err)
		l, _ = s.UserLimits(t.Context(), admin.ID, t0)
		if l.DailyBots != nil || l.ConcurrentBots != nil {
			t.Fatalf("admin limited: %+v", l)
		}
		ok(t, s.SetUserPlan(t.Context(), admin.ID, ptr("team")))
		l, _ = s.UserLimits(t.Context(), admin.ID, t0)
		eq(t, "admin on a plan", *l.ConcurrentBots, 2)
	}},
	{"CapRefusesAtAdmission", func(t *testing.T, s store.Store) {
		u := capped(t, s, 2)
		pl := limits("k8s", 100)
		bots := mkBots(t, s, u.ID, 3)
		for i, b := range bots {
			res, err := s.Admit(t.Context(), store.AdmitParams{BotID: b.ID, Platforms: pl, Now: t0, RefuseOverCap: true})
			ok(t, err)
			if i < 2 && (res.Refused != nil || res.Queued) {
				t.Fatalf("bot %d not admitted: %+v", i, res)
			}
			if i == 2 {
				if res.Refused == nil || res.Refused.Running != 2 || res.Refused.Limit != 2 || res.Refused.Scope != "user" {
					t.Fatalf("third bot: refused = %+v", res.Refused)
				}
				_, err := s.GetBot(t.Context(), b.ID)
				wantErr(t, err, store.ErrNotFound)
			}
		}
		// Refused at create, before any row exists, while at the cap.
		_, err := s.CreateBot(t.Context(), store.NewBot{Bot: botOf(u.ID), Now: t0, RefuseOverCap: true})
		var ce *store.ConcurrencyLimitError
		if !errors.As(err, &ce) || ce.Running != 2 {
			t.Fatalf("create at cap: %v", err)
		}
	}},
	{"CapQueuesWithoutBlockingOthers", func(t *testing.T, s store.Store) {
		u := capped(t, s, 1)
		other := mkUser(t, s)
		pl := limits("k8s", 100)
		first, second := mkBot(t, s, u.ID), mkBot(t, s, u.ID)
		deployOn(t, s, first.ID, "k8s")
		res, err := s.Admit(t.Context(), store.AdmitParams{BotID: second.ID, Platforms: pl, Now: t0})
		ok(t, err)
		eq(t, "capped bot queued", res.Queued, true)
		res, err = s.Admit(t.Context(), store.AdmitParams{BotID: mkBot(t, s, other.ID).ID, Platforms: pl, Now: t0.Add(time.Second)})
		ok(t, err)
		eq(t, "another user's bot passes the capped one", res.Queued, false)
		admitted, err := s.AdmitQueued(t.Context(), store.AdmitQueuedParams{Platforms: pl, Now: t0.Add(2 * time.Second)})
		ok(t, err)
		eq(t, "nothing admitted while at the cap", len(admitted), 0)
		move(t, s, first.ID, api.StatusDone)
		admitted, err = s.AdmitQueued(t.Context(), store.AdmitQueuedParams{Platforms: pl, Now: t0.Add(3 * time.Second)})
		ok(t, err)
		if len(admitted) != 1 || admitted[0].ID != second.ID {
			t.Fatalf("after the first ended: admitted %v", admitted)
		}
	}},
	{"KeyCap", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		k, err := s.CreateAPIKey(t.Context(), store.NewAPIKey{UserID: u.ID, Name: "ci", Prefix: "p", Hash: "h-keycap", Now: t0, MaxConcurrentBots: ptr(1)})
		ok(t, err)
		eq(t, "key cap", *k.MaxConcurrentBots, 1)
		pl := limits("k8s", 100)
		a, err := s.CreateBot(t.Context(), store.NewBot{Bot: botOf(u.ID), Now: t0, APIKeyID: k.ID})
		ok(t, err)
		deployOn(t, s, a.ID, "k8s")
		b, err := s.CreateBot(t.Context(), store.NewBot{Bot: botOf(u.ID), Now: t0, APIKeyID: k.ID})
		ok(t, err)
		res, err := s.Admit(t.Context(), store.AdmitParams{BotID: b.ID, Platforms: pl, Now: t0, RefuseOverCap: true})
		ok(t, err)
		if res.Refused == nil || res.Refused.Scope != "key" {
			t.Fatalf("second bot of the key: %+v", res)
		}
		// The user's other bots are not the key's.
		c := mkBot(t, s, u.ID)
		res, err = s.Admit(t.Context(), store.AdmitParams{BotID: c.ID, Platforms: pl, Now: t0, RefuseOverCap: true})
		ok(t, err)
		eq(t, "keyless bot admitted", res.Refused == nil && !res.Queued, true)
	}},
	{"Duplicates", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		nb := func(key string, at time.Time) store.NewBot {
			return store.NewBot{Bot: botOf(u.ID), Now: at, DedupKey: key, DedupWindow: 5 * time.Minute}
		}
		first, err := s.CreateBot(t.Context(), nb("meet:abc", t0))
		ok(t, err)
		_, err = s.CreateBot(t.Context(), nb("meet:abc", t0.Add(time.Minute)))
		var de *store.DuplicateError
		if !errors.As(err, &de) || de.BotID != first.ID {
			t.Fatalf("second bot in the window: %v", err)
		}
		_, err = s.CreateBot(t.Context(), nb("meet:other", t0.Add(time.Minute)))
		ok(t, err)
		_, err = s.CreateBot(t.Context(), nb("meet:abc", t0.Add(6*time.Minute)))
		ok(t, err) // the window has passed
		third, err := s.CreateBot(t.Context(), nb("meet:xyz", t0))
		ok(t, err)
		move(t, s, third.ID, api.StatusFatal)
		_, err = s.CreateBot(t.Context(), nb("meet:xyz", t0.Add(time.Minute)))
		ok(t, err) // the first has ended
		_, err = s.CreateBot(t.Context(), store.NewBot{Bot: botOf(mkUser(t, s).ID), Now: t0, DedupKey: "meet:abc", DedupWindow: time.Hour})
		ok(t, err) // another user's meeting is theirs
	}},
	{"DuplicateRace", func(t *testing.T, s store.Store) { testDuplicateRace(t, []store.Store{s}) }},
	{"CapRace", func(t *testing.T, s store.Store) { testCapRace(t, []store.Store{s}) }},
}

// capped makes a member whose own concurrency cap is n.
func capped(t *testing.T, s store.Store, n int) store.User {
	t.Helper()
	u := mkUser(t, s)
	ok(t, s.SetUserLimits(t.Context(), u.ID, store.UserLimitsPatch{ConcurrentBots: store.LimitValue{Set: true, Value: ptr(n)}}))
	return u
}

func botOf(userID int64) store.Bot {
	return store.Bot{UserID: userID, DisplayName: "Bot", Status: api.StatusScheduled,
		Meeting: store.Meeting{URL: "https://meet.example/abc", Platform: "google-meet"}, QueueTimeout: time.Hour}
}

// testDuplicateRace creates bots for one meeting from many goroutines
// (spread over the stores): exactly one is created, and every other
// create names it.
func testDuplicateRace(t *testing.T, stores []store.Store) {
	u := mkUser(t, stores[0])
	var mu sync.Mutex
	var created []int64
	named := map[int64]int{}
	race(workers, func(i int) {
		b, err := stores[i%len(stores)].CreateBot(t.Context(), store.NewBot{Bot: botOf(u.ID), Now: t0, DedupKey: "meet:race", DedupWindow: time.Hour})
		var de *store.DuplicateError
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			created = append(created, b.ID)
		case errors.As(err, &de):
			named[de.BotID]++
		default:
			t.Error(err)
		}
	})
	if len(created) != 1 || named[created[0]] != workers-1 {
		t.Fatalf("created %v, refusals naming %v", created, named)
	}
}

// testCapRace admits many bots of one capped user from many goroutines
// (spread over the stores), half refusing and half queueing over the cap,
// on a platform with room for all: never more than the cap hold capacity.
func testCapRace(t *testing.T, stores []store.Store) {
	const limit = 3
	s := stores[0]
	u := capped(t, s, limit)
	bots := make([]store.Bot, workers)
	for i := range bots {
		b, err := s.CreateBot(t.Context(), store.NewBot{Bot: botOf(u.ID), Now: t0})
		ok(t, err)
		bots[i] = b
	}
	pl := limits("k8s", 1000)
	var mu sync.Mutex
	admitted, refused := 0, 0
	race(workers, func(i int) {
		res, err := stores[i%len(stores)].Admit(t.Context(), store.AdmitParams{BotID: bots[i].ID, Platforms: pl, Now: t0, RefuseOverCap: i%2 == 0})
		if err != nil {
			t.Error(err)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		switch {
		case res.Refused != nil:
			refused++
		case !res.Queued:
			admitted++
		}
	})
	eq(t, "admitted", admitted, limit)
	used, err := s.CapacityUsed(t.Context())
	ok(t, err)
	eq(t, "holding capacity", used["k8s"], limit)
	q, err := s.ListQueue(t.Context(), u.ID)
	ok(t, err)
	eq(t, "every bot admitted, refused or queued", admitted+refused+len(q), workers)
	// Ending the running bots lets the queue in, a cap's worth at a time.
	var running []store.Bot
	for _, b := range bots {
		if got, err := s.GetBot(t.Context(), b.ID); err == nil && got.Status == api.StatusDeploying {
			running = append(running, got)
		}
	}
	for _, b := range running {
		move(t, s, b.ID, api.StatusDone)
	}
	var moved []store.Bot
	race(len(stores)*4, func(i int) {
		out, err := stores[i%len(stores)].AdmitQueued(t.Context(), store.AdmitQueuedParams{Platforms: pl, Now: t0.Add(time.Second)})
		if err != nil {
			t.Error(err)
		}
		mu.Lock()
		moved = append(moved, out...)
		mu.Unlock()
	})
	eq(t, "admitted from the queue", len(moved), min(limit, len(q)))
	used, _ = s.CapacityUsed(t.Context())
	eq(t, "holding capacity after", used["k8s"], min(limit, len(q)))
}
