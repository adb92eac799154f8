package storetest

import (
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// newAdmit is a create of a plain bot due now, and its admission onto pl.
func newAdmit(userID int64, pl []store.PlatformLimit, now time.Time, opts ...func(*store.NewBot)) store.CreateAdmit {
	nb := store.NewBot{Bot: store.Bot{UserID: userID, DisplayName: "Bot", Status: api.StatusScheduled, QueueTimeout: time.Hour,
		Meeting: store.Meeting{URL: "https://meet.example/abc", Platform: "google-meet"}}, Now: now, DayStart: now.Truncate(24 * time.Hour)}
	for _, o := range opts {
		o(&nb)
	}
	return store.CreateAdmit{New: nb, Admit: store.AdmitParams{Platforms: pl, Now: now}}
}

func dedup(key string) func(*store.NewBot) {
	return func(nb *store.NewBot) { nb.DedupKey, nb.DedupWindow = key, time.Hour }
}

func dailyLimit(n int) func(*store.NewBot) {
	return func(nb *store.NewBot) { nb.DailyLimit = &n }
}

var createAdmitTests = []namedTest{
	{"Group", func(t *testing.T, s store.Store) {
		// A group: room for two, a duplicate and a create over its quota
		// among them. The refused leave nothing; the rest stand, admitted
		// then queued in the group's order, at one admission time.
		u, v := mkUser(t, s), mkUser(t, s)
		pl := limits("k8s", 2)
		feed0 := allChanges(t, s, store.ChangeQuery{})
		items := []store.CreateAdmit{
			newAdmit(u.ID, pl, t0, dedup("a")),
			newAdmit(u.ID, pl, t0.Add(time.Millisecond), dedup("a")), // the first's duplicate
			newAdmit(v.ID, pl, t0, dailyLimit(1)),
			newAdmit(v.ID, pl, t0, dailyLimit(1)), // over v's quota
			newAdmit(u.ID, pl, t0.Add(2*time.Millisecond)),
			newAdmit(u.ID, pl, t0),
		}
		written := 0
		out, err := s.CreateAndAdmit(t.Context(), items, func() { written++ })
		ok(t, err)
		eq(t, "told once written", written, 1)
		var de *store.DuplicateError
		if !errors.As(out[1].Err, &de) || de.BotID != out[0].Bot.ID {
			t.Fatalf("the duplicate: %v", out[1].Err)
		}
		wantErr(t, out[3].Err, store.ErrQuotaExceeded)
		for _, i := range []int{0, 2, 4, 5} {
			ok(t, out[i].Err)
		}
		eq(t, "first admitted", out[0].Result.Platform, "k8s")
		eq(t, "second admitted", out[2].Result.Platform, "k8s")
		eq(t, "third queued", out[4].Result.Position, 1)
		eq(t, "fourth queued behind", out[5].Result.Position, 2)
		eq(t, "one admission time", out[0].Result.Bot.DeployStartedAt.Equal(*out[2].Result.Bot.DeployStartedAt), true)
		eq(t, "queued at it too", out[4].Result.Bot.QueuedAt.Equal(*out[0].Result.Bot.DeployStartedAt), true)
		for _, id := range []int64{out[1].Bot.ID, out[3].Bot.ID} {
			if id != 0 {
				t.Fatalf("a refused create returned bot %d", id)
			}
		}
		for _, w := range []struct {
			user int64
			n    int
		}{{u.ID, 3}, {v.ID, 1}} {
			bots, err := s.ListBots(t.Context(), store.BotFilter{UserID: w.user})
			ok(t, err)
			eq(t, "bots stored", len(bots), w.n)
		}
		counts, err := s.StatusCounts(t.Context(), u.ID)
		ok(t, err)
		eq(t, "u deploying", counts[api.StatusDeploying], 1)
		eq(t, "u queued", counts[api.StatusQueued], 2)
		feed := allChanges(t, s, store.ChangeQuery{})[len(feed0):]
		for i, c := range feed {
			eq(t, "gapless", c.Seq, feed[0].Seq+int64(i))
			if c.BotID != out[0].Bot.ID && c.BotID != out[2].Bot.ID && c.BotID != out[4].Bot.ID && c.BotID != out[5].Bot.ID {
				t.Fatalf("a change of bot %d, which was refused", c.BotID)
			}
		}
	}},
	{"QueuedTogether", func(t *testing.T, s store.Store) {
		// A group queued behind a full fleet and a queue: each bot's
		// place, in its result and its QUEUED event, is the one it had
		// when admitted in the group's order, priorities mixed (a
		// later, more urgent create goes ahead of an earlier one, which
		// keeps the place it was given).
		u := mkUser(t, s)
		pl := limits("k8s", 1)
		prio := func(p int) func(*store.NewBot) { return func(nb *store.NewBot) { nb.Bot.Priority = p } }
		for range 3 { // one deployed, two queued
			_, err := s.CreateAndAdmit(t.Context(), []store.CreateAdmit{newAdmit(u.ID, pl, t0, prio(5))}, nil)
			ok(t, err)
		}
		items := []store.CreateAdmit{newAdmit(u.ID, pl, t0, prio(5)), newAdmit(u.ID, pl, t0, prio(1)),
			newAdmit(u.ID, pl, t0, prio(5)), newAdmit(u.ID, pl, t0, prio(1))}
		out, err := s.CreateAndAdmit(t.Context(), items, nil)
		ok(t, err)
		for i, want := range []int{3, 1, 5, 2} {
			ok(t, out[i].Err)
			eq(t, "queued", out[i].Result.Queued, true)
			eq(t, "status", out[i].Result.Bot.Status, api.StatusQueued)
			eq(t, "place", out[i].Result.Position, want)
			evs, err := s.ListEvents(t.Context(), out[i].Bot.ID, store.Page{})
			ok(t, err)
			last := evs[len(evs)-1]
			eq(t, "event", last.Type, string(api.StatusQueued))
			var data struct{ Position int }
			ok(t, json.Unmarshal(last.Data, &data))
			eq(t, "event's place", data.Position, want)
		}
		queue, err := s.ListQueue(t.Context(), 0)
		ok(t, err)
		places := map[int64]int{}
		for _, e := range queue {
			places[e.BotID] = e.Position
		}
		for i, want := range []int{5, 1, 6, 2} { // the places now
			eq(t, "place now", places[out[i].Bot.ID], want)
		}
	}},
	{"AheadInGroup", func(t *testing.T, s store.Store) {
		// Room for three and a bot of priority 7 still queued: two
		// creates of priority 5 go before it and deploy, one of priority
		// 9 finds it ahead and queues behind it, room or not.
		u := mkUser(t, s)
		pl := limits("k8s", 4)
		prio := func(p int) func(*store.NewBot) { return func(nb *store.NewBot) { nb.Bot.Priority = p } }
		var running []int64
		for range 4 {
			out, err := s.CreateAndAdmit(t.Context(), []store.CreateAdmit{newAdmit(u.ID, pl, t0)}, nil)
			ok(t, err)
			running = append(running, out[0].Bot.ID)
		}
		waiting, err := s.CreateAndAdmit(t.Context(), []store.CreateAdmit{newAdmit(u.ID, pl, t0, prio(7))}, nil)
		ok(t, err)
		eq(t, "waiting", waiting[0].Result.Queued, true)
		for _, id := range running[:3] {
			move(t, s, id, api.StatusDone)
		}
		out, err := s.CreateAndAdmit(t.Context(), []store.CreateAdmit{newAdmit(u.ID, pl, t0, prio(5)),
			newAdmit(u.ID, pl, t0, prio(5)), newAdmit(u.ID, pl, t0, prio(9))}, nil)
		ok(t, err)
		for i := range 2 {
			ok(t, out[i].Err)
			eq(t, "more urgent deploys", out[i].Result.Platform, "k8s")
		}
		ok(t, out[2].Err)
		eq(t, "less urgent queues", out[2].Result.Queued, true)
		eq(t, "behind the waiting one", out[2].Result.Position, 2)
	}},
	{"DeployedTogether", func(t *testing.T, s store.Store) {
		// A group deploying three bots, one group with routing explained
		// and one without: each bot is stored DEPLOYING at the group's
		// time, with its ROUTED event where explained, and its outcome
		// is the stored bot; the feed has each event after its bot's
		// change.
		u := mkUser(t, s)
		pl := limits("k8s", 6)
		for _, explain := range []bool{true, false} {
			items := []store.CreateAdmit{newAdmit(u.ID, pl, t0), newAdmit(u.ID, pl, t0), newAdmit(u.ID, pl, t0)}
			if explain {
				for i := range items {
					items[i].Admit.Routing = store.Routing{Policy: api.PolicyPriority}
				}
			}
			out, err := s.CreateAndAdmit(t.Context(), items, nil)
			ok(t, err)
			for _, o := range out {
				ok(t, o.Err)
				eq(t, "platform", o.Result.Platform, "k8s")
				eq(t, "outcome's status", o.Result.Bot.Status, api.StatusDeploying)
				b, err := s.GetBot(t.Context(), o.Bot.ID)
				ok(t, err)
				eq(t, "stored status", b.Status, api.StatusDeploying)
				eq(t, "stored platform", b.DeploymentPlatform, "k8s")
				eq(t, "deploy started at the outcome's time", b.DeployStartedAt.Equal(*o.Result.Bot.DeployStartedAt), true)
				evs, err := s.ListEvents(t.Context(), b.ID, store.Page{})
				ok(t, err)
				var routed []store.Event
				for _, e := range evs {
					if e.Type == api.EventRouted {
						routed = append(routed, e)
					}
				}
				if !explain {
					eq(t, "no ROUTED event", len(routed), 0)
					continue
				}
				eq(t, "one ROUTED event", len(routed), 1)
				eq(t, "chosen", routedEvent(t, s, b.ID).Chosen, "k8s")
				cs := allChanges(t, s, store.ChangeQuery{BotID: b.ID})
				var deploying, evAt int
				for i, c := range cs {
					if c.Kind == store.ChangeBot && c.Bot.Status == api.StatusDeploying && deploying == 0 {
						deploying = i + 1
					}
					if c.Event != nil && c.Event.ID == routed[0].ID {
						evAt = i + 1
					}
				}
				if deploying == 0 || evAt <= deploying {
					t.Fatalf("feed of bot %d: DEPLOYING at %d, its ROUTED event at %d", b.ID, deploying, evAt)
				}
			}
		}
		used, err := s.CapacityUsed(t.Context())
		ok(t, err)
		eq(t, "capacity used", used["k8s"], 6)
	}},
	{"CapRefusal", func(t *testing.T, s store.Store) {
		// A create its owner's concurrency cap refuses, after the group's
		// first create took the one bot the cap allows, is rolled back
		// alone; the group's others are admitted.
		u := mkUser(t, s)
		pl := limits("k8s", 5)
		ok(t, s.SetUserLimits(t.Context(), u.ID, store.UserLimitsPatch{ConcurrentBots: store.LimitValue{Set: true, Value: ptr(1)}}))
		v := mkUser(t, s)
		refuse := func(it store.CreateAdmit) store.CreateAdmit {
			it.New.RefuseOverCap, it.Admit.RefuseOverCap = true, true
			return it
		}
		out, err := s.CreateAndAdmit(t.Context(), []store.CreateAdmit{
			refuse(newAdmit(u.ID, pl, t0)), refuse(newAdmit(u.ID, pl, t0)), newAdmit(v.ID, pl, t0),
		}, nil)
		ok(t, err)
		ok(t, out[0].Err)
		var ce *store.ConcurrencyLimitError
		if !errors.As(out[1].Err, &ce) {
			t.Fatalf("over the cap: %v", out[1].Err)
		}
		ok(t, out[2].Err)
		eq(t, "v admitted", out[2].Result.Platform, "k8s")
		bots, err := s.ListBots(t.Context(), store.BotFilter{UserID: u.ID})
		ok(t, err)
		eq(t, "u's bots", len(bots), 1)
	}},
	{"FailureAfterWrites", func(t *testing.T, s store.Store) {
		// The second create fails after its bot and lobby rows were
		// written (its booking finds the platform full): its savepoint
		// takes them back, and the third create stands.
		u := mkUser(t, s)
		pl := limits("local", 1)
		full := func(it store.CreateAdmit) store.CreateAdmit {
			it.New.LobbyNudgeAfter = time.Minute
			it.New.Reserve = &store.ReserveParams{Platforms: pl, Start: t0, End: t0.Add(time.Hour)}
			return it
		}
		out, err := s.CreateAndAdmit(t.Context(), []store.CreateAdmit{
			newAdmit(u.ID, pl, t0), full(newAdmit(u.ID, pl, t0)), newAdmit(u.ID, pl, t0),
		}, nil)
		ok(t, err)
		ok(t, out[0].Err)
		wantErr(t, out[1].Err, store.ErrCapacityUnavailable)
		ok(t, out[2].Err)
		eq(t, "queued behind the first", out[2].Result.Position, 1)
		bots, err := s.ListBots(t.Context(), store.BotFilter{UserID: u.ID})
		ok(t, err)
		eq(t, "bots stored", len(bots), 2)
		for _, b := range bots {
			if b.ID != out[0].Bot.ID && b.ID != out[2].Bot.ID {
				t.Fatalf("bot %d of the failed create was kept", b.ID)
			}
		}
	}},
	{"StatementFails", func(t *testing.T, s store.Store) {
		// A create whose insert the database refuses (its owner does not
		// exist) leaves a PostgreSQL transaction aborted until it rolls
		// back to the savepoint: the creates after it still stand.
		u := mkUser(t, s)
		pl := limits("local", 5)
		out, err := s.CreateAndAdmit(t.Context(), []store.CreateAdmit{
			newAdmit(u.ID, pl, t0), newAdmit(u.ID+1000, pl, t0), newAdmit(u.ID, pl, t0),
		}, nil)
		ok(t, err)
		ok(t, out[0].Err)
		if out[1].Err == nil {
			t.Fatal("a bot of a user that does not exist was stored")
		}
		ok(t, out[2].Err)
		eq(t, "admitted after the refused insert", out[2].Result.Platform, "local")
		bots, err := s.ListBots(t.Context(), store.BotFilter{UserID: u.ID})
		ok(t, err)
		eq(t, "bots stored", len(bots), 2)
	}},
}

// testCreateAndAdmitRace: groups of creates race on several stores (on
// PostgreSQL, several daemons), a tenth of them duplicates. Capacity is
// never exceeded, every create but the duplicates is stored once, and the
// queue holds the rest in distinct places.
func testCreateAndAdmitRace(t *testing.T, stores []store.Store) {
	s := stores[0]
	u := mkUser(t, s)
	pl := limits("k8s", 7)
	const groups, size = workers, 6
	var mu sync.Mutex
	stored, dups := map[int64]bool{}, 0
	race(groups, func(g int) {
		items := make([]store.CreateAdmit, size)
		for i := range items {
			items[i] = newAdmit(u.ID, pl, t0)
			if (g*size+i)%10 == 0 {
				items[i] = newAdmit(u.ID, pl, t0, dedup("same")) // one of these stands
			}
		}
		out, err := stores[g%len(stores)].CreateAndAdmit(t.Context(), items, nil)
		if err != nil {
			t.Error(err)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for _, o := range out {
			var de *store.DuplicateError
			switch {
			case errors.As(o.Err, &de):
				dups++
			case o.Err != nil:
				t.Error(o.Err)
			case stored[o.Bot.ID]:
				t.Errorf("bot %d twice", o.Bot.ID)
			default:
				stored[o.Bot.ID] = true
			}
		}
	})
	withKey := (groups*size + 9) / 10
	eq(t, "duplicates refused", dups, withKey-1)
	eq(t, "bots stored", len(stored), groups*size-dups)
	counts, err := s.StatusCounts(t.Context(), u.ID)
	ok(t, err)
	eq(t, "DEPLOYING", counts[api.StatusDeploying], 7)
	eq(t, "QUEUED", counts[api.StatusQueued], len(stored)-7)
	used, err := s.CapacityUsed(t.Context())
	ok(t, err)
	eq(t, "k8s", used["k8s"], 7)
	q, err := s.ListQueue(t.Context(), 0)
	ok(t, err)
	eq(t, "queue", len(q), len(stored)-7)
	for i, e := range q {
		eq(t, "distinct positions", e.Position, i+1)
	}
}
