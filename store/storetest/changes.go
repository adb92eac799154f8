package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// allChanges reads the whole feed after after, page by page.
func allChanges(t *testing.T, s store.Store, q store.ChangeQuery) []store.Change {
	t.Helper()
	var out []store.Change
	q.Limit = 500
	for {
		page, err := s.ReadChanges(t.Context(), q)
		ok(t, err)
		out = append(out, page...)
		if len(page) < 500 {
			return out
		}
		q.After = page[len(page)-1].Seq
	}
}

// statusesOf lists the statuses a bot's changes show, in feed order.
func statusesOf(cs []store.Change, botID int64) []string {
	var out []string
	for _, c := range cs {
		if c.Kind == store.ChangeBot && c.BotID == botID {
			out = append(out, string(c.Bot.Status))
		}
	}
	return out
}

var changesTests = []namedTest{
	{"EveryWrite", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID)
		deployOn(t, s, b.ID, "k8s")
		ok(t, s.SetDeployed(t.Context(), store.DeployedParams{BotID: b.ID, Platform: "k8s", PlatformID: "job-1", DeployedBy: "d1", Now: t0}))
		move(t, s, b.ID, api.StatusJoiningCall)
		ok(t, s.InsertEvents(t.Context(), []store.Event{{BotID: b.ID, Type: "PARTICIPANT_JOIN", Time: t0}}))
		ok(t, s.InsertLogs(t.Context(), []store.LogEntry{
			{BotID: b.ID, EntryID: "1", Time: t0, Level: "INFO", Message: "one"},
			{BotID: b.ID, EntryID: "2", Time: t0, Level: "INFO", Message: "two"},
		}))
		ok(t, s.InsertLogs(t.Context(), []store.LogEntry{{BotID: b.ID, EntryID: "2", Time: t0, Level: "INFO", Message: "two again"}}))
		cs := allChanges(t, s, store.ChangeQuery{})
		for i, c := range cs {
			eq(t, "numbered from 1 without gaps", c.Seq, int64(i+1))
			eq(t, "owner", c.UserID, u.ID)
			eq(t, "bot", c.BotID, b.ID)
		}
		eqStrings(t, "bot states", statusesOf(cs, b.ID), "SCHEDULED", "DEPLOYING", "DEPLOYING", "JOINING_CALL")
		var events []store.Event
		var logs [][]store.LogEntry
		for _, c := range cs {
			if c.Event != nil {
				events = append(events, *c.Event)
			}
			if c.Kind == store.ChangeLogs {
				logs = append(logs, c.Logs)
			}
		}
		stored, err := s.ListEvents(t.Context(), b.ID, store.Page{})
		ok(t, err)
		eq(t, "events", len(events), len(stored))
		for i := range events {
			eq(t, "event id", events[i].ID, stored[i].ID)
		}
		eq(t, "one change per stored batch; a repeated line is none", len(logs), 1)
		eq(t, "lines", len(logs[0]), 2)
		lines, err := s.ListLogs(t.Context(), b.ID, store.Page{})
		ok(t, err)
		eq(t, "line id", logs[0][1].ID, lines[1].ID)
		eq(t, "message", logs[0][1].Message, "two")
		eq(t, "resource", cs[2].Bot.PlatformID, "job-1")
	}},
	{"TransitionEvent", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID)
		end := store.TransitionParams{BotID: b.ID, To: api.StatusDone, Reason: api.ReasonCancelled, Now: t0,
			Event: &store.Event{Type: "USER_CANCELLED_DEPLOYMENT", Data: []byte(`{"description":"cancelled"}`)}}
		_, err := s.Transition(t.Context(), end)
		ok(t, err)
		_, err = s.Transition(t.Context(), end)
		wantErr(t, err, store.ErrConflict)
		stored, err := s.ListEvents(t.Context(), b.ID, store.Page{})
		ok(t, err)
		eq(t, "one event: the refused transition wrote none", len(stored), 1)
		eq(t, "type", stored[0].Type, "USER_CANCELLED_DEPLOYMENT")
		eq(t, "time", stored[0].Time.Equal(t0), true)
		var data map[string]string
		ok(t, json.Unmarshal(stored[0].Data, &data))
		eq(t, "data", data["description"], "cancelled")
		var kinds []string
		var ev *store.Event
		for _, c := range allChanges(t, s, store.ChangeQuery{BotID: b.ID}) {
			kinds = append(kinds, c.Kind)
			if c.Event != nil {
				ev = c.Event
			}
		}
		eqStrings(t, "the end, then its event", kinds, store.ChangeBot, store.ChangeBot, store.ChangeEvent)
		eq(t, "the feed's event is the stored one", ev.ID, stored[0].ID)
	}},
	{"RouteEvent", func(t *testing.T, s store.Store) {
		// An admission's ROUTED event is written with its move to
		// DEPLOYING, from a fresh admission and from the queue alike, and
		// the feed has it after the bot's change.
		u := mkUser(t, s)
		one := []store.PlatformLimit{{Name: "k8s", Limit: 1}}
		prio := store.Routing{Policy: api.PolicyPriority}
		a, err := s.Admit(t.Context(), store.AdmitParams{BotID: mkBot(t, s, u.ID).ID, Platforms: one, Now: t0, Routing: prio})
		ok(t, err)
		eq(t, "deploying", a.Bot.Status, api.StatusDeploying)
		b, err := s.Admit(t.Context(), store.AdmitParams{BotID: mkBot(t, s, u.ID).ID, Platforms: one, Now: t0, Routing: prio})
		ok(t, err)
		eq(t, "queued", b.Queued, true)
		move(t, s, a.Bot.ID, api.StatusJoiningCall)
		_, admitted, err := s.EndAndAdmit(t.Context(), store.TransitionParams{BotID: a.Bot.ID, To: api.StatusDone, Reason: api.ReasonCompleted, Now: t0},
			store.AdmitQueuedParams{Platforms: one, Now: t0.Add(time.Second), Routing: prio})
		ok(t, err)
		eq(t, "admitted from the queue", len(admitted), 1)
		for _, id := range []int64{a.Bot.ID, b.Bot.ID} {
			eq(t, "chosen", routedEvent(t, s, id).Chosen, "k8s")
			stored, err := s.ListEvents(t.Context(), id, store.Page{})
			ok(t, err)
			var routed int64
			for _, e := range stored {
				if e.Type == api.EventRouted {
					routed = e.ID
				}
			}
			cs := allChanges(t, s, store.ChangeQuery{BotID: id})
			var deploying, evAt int
			for i, c := range cs {
				if c.Kind == store.ChangeBot && c.Bot.Status == api.StatusDeploying && deploying == 0 {
					deploying = i + 1
				}
				if c.Event != nil && c.Event.ID == routed {
					evAt = i + 1
				}
			}
			if deploying == 0 || evAt <= deploying {
				t.Errorf("bot %d: the ROUTED event (change %d) is not after its move to DEPLOYING (change %d)", id, evAt, deploying)
			}
		}
	}},
	{"NothingOnRollback", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID)
		err := s.InTx(t.Context(), func(tx store.Store) error {
			move(t, tx, b.ID, api.StatusDone)
			return store.ErrConflict
		})
		wantErr(t, err, store.ErrConflict)
		move(t, s, b.ID, api.StatusDone)
		cs := allChanges(t, s, store.ChangeQuery{})
		eqStrings(t, "states", statusesOf(cs, b.ID), "SCHEDULED", "DONE")
		eq(t, "the rollback gave its numbers back", cs[len(cs)-1].Seq, int64(len(cs)))
	}},
	{"Filters", func(t *testing.T, s store.Store) {
		u, other := mkUser(t, s), mkUser(t, s)
		a := mkBot(t, s, u.ID)
		mkBot(t, s, u.ID)
		mkBot(t, s, other.ID)
		move(t, s, a.ID, api.StatusDone)
		eq(t, "the user's", len(allChanges(t, s, store.ChangeQuery{UserID: u.ID})), 3)
		eq(t, "one bot's", len(allChanges(t, s, store.ChangeQuery{UserID: u.ID, BotID: a.ID})), 2)
		eq(t, "the other's", len(allChanges(t, s, store.ChangeQuery{UserID: other.ID})), 1)
		all := allChanges(t, s, store.ChangeQuery{})
		eq(t, "after", len(allChanges(t, s, store.ChangeQuery{After: all[1].Seq})), 2)
		eq(t, "through", len(allChanges(t, s, store.ChangeQuery{Through: all[1].Seq})), 2)
	}},
	{"BoundsAndPurge", func(t *testing.T, s store.Store) {
		bounds, err := s.ChangeBounds(t.Context())
		ok(t, err)
		eq(t, "empty", bounds, store.ChangeBounds{})
		u := mkUser(t, s)
		mkBots(t, s, u.ID, 3)
		bounds, err = s.ChangeBounds(t.Context())
		ok(t, err)
		eq(t, "after three", bounds, store.ChangeBounds{Oldest: 1, Newest: 3})
		n, err := s.PurgeChanges(t.Context(), time.Now().Add(-time.Hour))
		ok(t, err)
		eq(t, "nothing that old", n, int64(0))
		n, err = s.PurgeChanges(t.Context(), time.Now().Add(time.Hour))
		ok(t, err)
		eq(t, "purged", n, int64(3))
		bounds, err = s.ChangeBounds(t.Context())
		ok(t, err)
		eq(t, "numbers go on", bounds, store.ChangeBounds{Oldest: 0, Newest: 3})
		mkBot(t, s, u.ID)
		bounds, _ = s.ChangeBounds(t.Context())
		eq(t, "after a purge", bounds, store.ChangeBounds{Oldest: 4, Newest: 4})
	}},
	{"CommitOrder", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		bots := mkBots(t, s, u.ID, 10)
		steps := []api.BotStatus{api.StatusDeploying, api.StatusJoiningCall, api.StatusInWaitingRoom, api.StatusInCall,
			api.StatusLeaving, api.StatusCallEnded, api.StatusDone}
		race(len(bots), func(i int) {
			for _, st := range steps {
				p := store.TransitionParams{BotID: bots[i].ID, To: st, Now: t0}
				if st.Terminal() {
					p.Reason = api.ReasonCompleted
				}
				if _, err := s.Transition(t.Context(), p); err != nil {
					t.Error(err)
					return
				}
			}
		})
		cs := allChanges(t, s, store.ChangeQuery{})
		for i, c := range cs {
			eq(t, "gapless", c.Seq, int64(i+1))
		}
		for _, b := range bots {
			eqStrings(t, "each bot's states in order", statusesOf(cs, b.ID), "SCHEDULED", "DEPLOYING", "JOINING_CALL",
				"IN_WAITING_ROOM", "IN_CALL", "LEAVING", "CALL_ENDED", "DONE")
		}
	}},
	{"LiveHeartbeats", func(t *testing.T, s store.Store) {
		u, other := mkUser(t, s), mkUser(t, s)
		live := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		move(t, s, live.ID, api.StatusInCall)
		starting := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		theirs := deployOn(t, s, mkBot(t, s, other.ID).ID, "k8s")
		move(t, s, theirs.ID, api.StatusInCall)
		ok(t, s.RecordHeartbeats(t.Context(), map[int64]time.Time{live.ID: t0, starting.ID: t0, theirs.ID: t0}))
		got, err := s.LiveHeartbeats(t.Context(), u.ID)
		ok(t, err)
		eq(t, "only the user's bots that heartbeat", len(got), 1)
		eq(t, "bot", got[0].BotID, live.ID)
		eqTime(t, "at", &got[0].At, t0)
	}},
	{"ListenReturnsOnCancel", func(t *testing.T, s store.Store) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		ok(t, s.ListenChanges(ctx, func() {}))
	}},
}

// testChangesAcrossDaemons writes from two stores on one database at once:
// the feed, read from either, numbers every change once and in each bot's
// order, and on PostgreSQL a listener on one hears the other's commits.
func testChangesAcrossDaemons(t *testing.T, cfg store.Config) {
	a, b := OpenConfig(t, cfg), OpenConfig(t, cfg)
	woke := make(chan struct{}, 1)
	ctx, cancel := context.WithCancel(t.Context())
	listening := make(chan error, 1)
	go func() {
		listening <- a.ListenChanges(ctx, func() {
			select {
			case woke <- struct{}{}:
			default:
			}
		})
	}()
	u := mkUser(t, a)
	bots := append(mkBots(t, a, u.ID, 5), mkBots(t, b, u.ID, 5)...)
	// Readers on both stores follow the feed while it is written (on
	// PostgreSQL each read numbers what was committed): what a reader
	// has seen never has a hole that a later read fills.
	following, followed := make(chan struct{}), make(chan int64, 2)
	for _, s := range []store.Store{a, b} {
		go func() {
			var seen int64
			defer func() { followed <- seen }()
			for {
				select {
				case <-following:
					return
				default:
				}
				page, err := s.ReadChanges(t.Context(), store.ChangeQuery{After: seen, Limit: 1000})
				if err != nil {
					t.Error(err)
					return
				}
				for _, c := range page {
					if c.Seq != seen+1 {
						t.Errorf("read change %d after %d", c.Seq, seen)
						return
					}
					seen = c.Seq
				}
			}
		}()
	}
	race(len(bots), func(i int) {
		s := []store.Store{a, b}[i%2]
		for _, st := range []api.BotStatus{api.StatusDeploying, api.StatusJoiningCall, api.StatusInCall} {
			if _, err := s.Transition(t.Context(), store.TransitionParams{BotID: bots[i].ID, To: st, Now: t0}); err != nil {
				t.Error(err)
			}
		}
	})
	close(following)
	for range 2 {
		if seen := <-followed; seen < int64(len(bots)) {
			t.Errorf("a reader followed only %d changes", seen)
		}
	}
	for _, s := range []store.Store{a, b} {
		cs := allChanges(t, s, store.ChangeQuery{})
		eq(t, "changes", len(cs), len(bots)*4)
		for i, c := range cs {
			eq(t, "gapless", c.Seq, int64(i+1))
		}
		for _, bot := range bots {
			eqStrings(t, "in order", statusesOf(cs, bot.ID), "SCHEDULED", "DEPLOYING", "JOINING_CALL", "IN_CALL")
		}
	}
	if engineOf(cfg) == "postgres" {
		waitWake(t, woke, func() { mkBot(t, b, u.ID) })
	}
	cancel()
	ok(t, <-listening)
}

// waitWake makes changes until the listener wakes: it may have started
// listening after the first ones.
func waitWake(t *testing.T, woke <-chan struct{}, change func()) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		change()
		select {
		case <-woke:
			return
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			t.Fatal("the listener never heard the other store's commits")
		}
	}
}

// botWatchTests check what a cache of bot states relies on: the writes of
// this store are told after their commit, and the bot changes of every
// store can be followed by number without their bodies.
var botWatchTests = []namedTest{
	{"WatchBotWrites", func(t *testing.T, s store.Store) {
		var mu sync.Mutex
		var told []int64
		s.WatchBotWrites(func(ids []int64) {
			mu.Lock()
			defer mu.Unlock()
			told = append(told, ids...)
		})
		saw := func() []int64 {
			mu.Lock()
			defer mu.Unlock()
			out := told
			told = nil
			return out
		}
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID)
		eq(t, "create", fmt.Sprint(saw()), fmt.Sprint([]int64{b.ID}))
		ok(t, s.SetBotToken(t.Context(), b.ID, "h-watch"))
		eq(t, "token", fmt.Sprint(saw()), fmt.Sprint([]int64{b.ID}))
		ok(t, s.SetLogLevel(t.Context(), u.ID, b.ID, "DEBUG"))
		eq(t, "log level", fmt.Sprint(saw()), fmt.Sprint([]int64{b.ID}))
		ok(t, s.RecordHeartbeats(t.Context(), map[int64]time.Time{b.ID: t0}))
		eq(t, "heartbeat", len(saw()), 0)
		failed := errors.New("roll back")
		wantErr(t, s.InTx(t.Context(), func(tx store.Store) error {
			ok(t, tx.SetLogLevel(t.Context(), u.ID, b.ID, "TRACE"))
			ok(t, tx.SetBotToken(t.Context(), b.ID, "h-rolled-back"))
			return failed
		}), failed)
		eq(t, "rolled back", len(saw()), 0)
		ok(t, s.InTx(t.Context(), func(tx store.Store) error { return tx.SetBotToken(t.Context(), b.ID, "h-tx") }))
		eq(t, "token in a transaction", fmt.Sprint(saw()), fmt.Sprint([]int64{b.ID}))
		ok(t, s.DeleteBot(t.Context(), u.ID, b.ID))
		eq(t, "delete", fmt.Sprint(saw()), fmt.Sprint([]int64{b.ID}))
	}},
	{"WatchOutbox", func(t *testing.T, s store.Store) {
		var told atomic.Int64
		s.WatchOutbox(func() { told.Add(1) })
		saw := func() int64 { return told.Swap(0) }
		quiet, hooked := mkUser(t, s), mkUser(t, s)
		move(t, s, mkBot(t, s, quiet.ID).ID, api.StatusDone)
		eq(t, "no endpoint anywhere", saw(), int64(0))
		e := mkEndpoint(t, s, hooked.ID, "https://hooks.example/watch")
		move(t, s, mkBot(t, s, quiet.ID).ID, api.StatusDone)
		eq(t, "an owner without endpoints", saw(), int64(0))
		b := mkBot(t, s, hooked.ID)
		failed := errors.New("roll back")
		wantErr(t, s.InTx(t.Context(), func(tx store.Store) error {
			_, err := tx.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusDone, Reason: api.ReasonCompleted, Now: t0})
			ok(t, err)
			return failed
		}), failed)
		eq(t, "rolled back", saw(), int64(0))
		move(t, s, b.ID, api.StatusDone)
		eq(t, "an end told to an endpoint", saw(), int64(1))
		ds, err := s.ListEndpointDeliveries(t.Context(), hooked.ID, e.ID, store.Page{})
		ok(t, err)
		if len(ds) == 0 {
			t.Fatal("the end enqueued no delivery")
		}
		_, err = s.ResendWebhook(t.Context(), hooked.ID, ds[0].ID, t0)
		ok(t, err)
		eq(t, "a resend", saw(), int64(1))
	}},
	{"ChangedBots", func(t *testing.T, s store.Store) {
		head, err := s.ChangeBounds(t.Context())
		ok(t, err)
		u := mkUser(t, s)
		a, b := mkBot(t, s, u.ID), mkBot(t, s, u.ID)
		ok(t, s.InsertLogs(t.Context(), []store.LogEntry{{BotID: a.ID, EntryID: "1", Time: t0, Level: "INFO", Message: "x"}}))
		ok(t, s.SetLogLevel(t.Context(), u.ID, a.ID, "DEBUG"))
		got, err := s.ChangedBots(t.Context(), head.Newest, 10)
		ok(t, err)
		var ids []int64
		for i, c := range got {
			if i > 0 && c.Seq <= got[i-1].Seq {
				t.Fatalf("changes out of order: %v", got)
			}
			ids = append(ids, c.BotID)
		}
		eq(t, "bots changed", fmt.Sprint(ids), fmt.Sprint([]int64{a.ID, b.ID, a.ID}))
		rest, err := s.ChangedBots(t.Context(), got[0].Seq, 1)
		ok(t, err)
		eq(t, "a page after the first", fmt.Sprint(rest), fmt.Sprint(got[1:2]))
	}},
}
