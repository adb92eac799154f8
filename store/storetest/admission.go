package storetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

func limits(pairs ...any) []store.PlatformLimit {
	var out []store.PlatformLimit
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, store.PlatformLimit{Name: pairs[i].(string), Limit: pairs[i+1].(int)})
	}
	return out
}

func admit(t *testing.T, s store.Store, id int64, now time.Time, pl []store.PlatformLimit, exclude ...string) store.AdmitResult {
	t.Helper()
	res, err := s.Admit(t.Context(), store.AdmitParams{BotID: id, Platforms: pl, Exclude: exclude, Now: now})
	ok(t, err)
	return res
}

var admissionTests = []namedTest{
	{"FirstWithRoom", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		bots := mkBots(t, s, u.ID, 4, func(b *store.Bot) { b.QueueTimeout = time.Hour })
		pl := limits("k8s", 1, "ecs", 2)
		eq(t, "1st", admit(t, s, bots[0].ID, t0, pl).Platform, "k8s")
		eq(t, "2nd", admit(t, s, bots[1].ID, t0, pl).Platform, "ecs")
		r := admit(t, s, bots[2].ID, t0, pl, "ecs")
		eq(t, "excluded ecs: queued", r.Queued, true)
		eq(t, "position", r.Position, 1)
		eq(t, "status", r.Bot.Status, api.StatusQueued)
		eqTime(t, "queued at", r.Bot.QueuedAt, t0)
		// ecs has room, but a bot waits ahead: FIFO queues the newcomer.
		r = admit(t, s, bots[3].ID, t0.Add(time.Second), pl)
		eq(t, "behind the queue", r.Queued, true)
		eq(t, "behind position", r.Position, 2)
		admitted, err := s.AdmitQueued(t.Context(), store.AdmitQueuedParams{Platforms: pl, Now: t0.Add(2 * time.Second)})
		ok(t, err)
		eq(t, "queue head admitted", len(admitted), 1)
		eq(t, "head", admitted[0].ID, bots[2].ID)
		eq(t, "head platform", admitted[0].DeploymentPlatform, "ecs")
		eqTime(t, "deploy start", admitted[0].DeployStartedAt, t0.Add(2*time.Second))
		used, err := s.CapacityUsed(t.Context())
		ok(t, err)
		eq(t, "k8s used", used["k8s"], 1)
		eq(t, "ecs used", used["ecs"], 2)
	}},
	{"QueuedKeepsPlace", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		bots := mkBots(t, s, u.ID, 3, func(b *store.Bot) { b.QueueTimeout = time.Hour })
		full := limits("k8s", 0)
		for i, b := range bots {
			eq(t, "position", admit(t, s, b.ID, t0.Add(time.Duration(i)*time.Second), full).Position, i+1)
		}
		r := admit(t, s, bots[0].ID, t0.Add(time.Minute), full)
		eq(t, "still first", r.Position, 1)
		eqTime(t, "queued at kept", r.Bot.QueuedAt, t0)
		q, err := s.ListQueue(t.Context(), 0)
		ok(t, err)
		eq(t, "queue", len(q), 3)
		eqTime(t, "timeout kept", &q[0].TimeoutAt, t0.Add(time.Hour))
	}},
	{"NotAdmissible", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		ok(t, s.SetDeployed(t.Context(), store.DeployedParams{BotID: b.ID, Platform: "k8s", PlatformID: "job-1", DeployedBy: "d1", Now: t0}))
		_, err := s.Admit(t.Context(), store.AdmitParams{BotID: b.ID, Platforms: limits("k8s", 9), Now: t0})
		wantErr(t, err, store.ErrConflict)
		move(t, s, b.ID, api.StatusInCall)
		_, err = s.Admit(t.Context(), store.AdmitParams{BotID: b.ID, Platforms: limits("k8s", 9), Now: t0})
		wantErr(t, err, store.ErrConflict)
		_, err = s.Admit(t.Context(), store.AdmitParams{BotID: b.ID + 100, Platforms: limits("k8s", 9), Now: t0})
		wantErr(t, err, store.ErrNotFound)
		c := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		_, err = s.ClaimDeploys(t.Context(), store.ClaimDeploysParams{Holder: "d1", BotID: c.ID, Now: t0, LeaseFor: time.Minute, Limit: 1})
		ok(t, err)
		_, err = s.Admit(t.Context(), store.AdmitParams{BotID: c.ID, Platforms: limits("ecs", 9), Now: t0})
		wantErr(t, err, store.ErrConflict)
	}},
	{"Failover", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		other := deployOn(t, s, mkBot(t, s, u.ID).ID, "ecs")
		b := mkBot(t, s, u.ID, func(b *store.Bot) { b.QueueTimeout = time.Hour })
		first := admit(t, s, b.ID, t0, limits("k8s", 0)) // queued at t0
		eq(t, "queued", first.Queued, true)
		pl := limits("k8s", 5, "ecs", 1)
		eq(t, "admitted", admit(t, s, b.ID, t0.Add(time.Minute), pl).Platform, "k8s")
		// The k8s deploy failed: fail over, excluding k8s; ecs is full.
		r := admit(t, s, b.ID, t0.Add(2*time.Minute), pl, "k8s")
		eq(t, "back in queue", r.Queued, true)
		eqTime(t, "original place", r.Bot.QueuedAt, t0)
		eq(t, "platform cleared", r.Bot.DeploymentPlatform, "")
		move(t, s, other.ID, api.StatusFatal)
		r = admit(t, s, b.ID, t0.Add(3*time.Minute), pl, "k8s")
		eq(t, "on ecs", r.Platform, "ecs")
		r = admit(t, s, b.ID, t0.Add(4*time.Minute), limits("ecs", 1, "k8s", 1), "ecs")
		eq(t, "DEPLOYING fails over directly", r.Platform, "k8s")
	}},
	{"AdmitQueuedOrder", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		full := limits("k8s", 0)
		var order []int64
		for i, prio := range []int{5, 1, 5, 1} {
			b := mkBot(t, s, u.ID, func(b *store.Bot) { b.Priority = prio })
			admit(t, s, b.ID, t0.Add(time.Duration(i)*time.Second), full)
			order = append(order, b.ID)
		}
		want := []int64{order[1], order[3], order[0], order[2]}
		q, err := s.ListQueue(t.Context(), u.ID)
		ok(t, err)
		for i, e := range q {
			eq(t, "queue order", e.BotID, want[i])
			eq(t, "position", e.Position, i+1)
		}
		got, err := s.AdmitQueued(t.Context(), store.AdmitQueuedParams{Platforms: limits("k8s", 1, "ecs", 5), Now: t0, Max: 3})
		ok(t, err)
		eq(t, "admitted", len(got), 3)
		for i, b := range got {
			eq(t, "admitted order", b.ID, want[i])
			eq(t, "status", b.Status, api.StatusDeploying)
		}
		eq(t, "head on first platform", got[0].DeploymentPlatform, "k8s")
		eq(t, "next on second", got[1].DeploymentPlatform, "ecs")
		q, _ = s.ListQueue(t.Context(), 0)
		eq(t, "left", len(q), 1)
		eq(t, "left position", q[0].Position, 1)
		none, err := s.AdmitQueued(t.Context(), store.AdmitQueuedParams{Platforms: limits("k8s", 1), Now: t0})
		ok(t, err)
		eq(t, "no room", len(none), 0)
	}},
	{"QueueForecast", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		run := deployOn(t, s, mkBot(t, s, u.ID, func(b *store.Bot) { b.MaxDuration = time.Hour }).ID, "k8s")
		zoom := func(b *store.Bot) {
			b.Meeting, b.DisplayName, b.MaxDuration = store.Meeting{URL: "https://zoom.example/j/1", Platform: "zoom"}, "Zoom bot", 10*time.Minute
			b.Priority = 5
		}
		late := mkBot(t, s, u.ID, zoom)
		early := mkBot(t, s, u.ID, func(b *store.Bot) { b.Priority = 1 })
		admit(t, s, late.ID, t0, limits("k8s", 0))
		admit(t, s, early.ID, t0.Add(time.Second), limits("k8s", 0))
		mkBot(t, s, u.ID) // SCHEDULED: neither holding nor queued
		holding, queued, err := s.QueueForecast(t.Context())
		ok(t, err)
		eq(t, "holding", len(holding), 1)
		eq(t, "the running bot", holding[0].BotID, run.ID)
		eq(t, "its max duration", holding[0].MaxDuration, time.Hour)
		if holding[0].DeployStartedAt == nil || !holding[0].DeployStartedAt.Equal(t0) {
			t.Fatalf("deploy started at %v, want %v", holding[0].DeployStartedAt, t0)
		}
		eq(t, "queued", len(queued), 2)
		eq(t, "priority first", queued[0].BotID, early.ID)
		eq(t, "then", queued[1].BotID, late.ID)
		eq(t, "meeting platform", queued[1].MeetingPlatform, "zoom")
		eq(t, "queued max duration", queued[1].MaxDuration, 10*time.Minute)
		q, err := s.ListQueue(t.Context(), 0)
		ok(t, err)
		eq(t, "listing names the bot", q[1].DisplayName, "Zoom bot")
		eq(t, "and its meeting platform", q[1].MeetingPlatform, "zoom")
	}},
	{"ListQueueByUser", func(t *testing.T, s store.Store) {
		u, other := mkUser(t, s), mkUser(t, s)
		admit(t, s, mkBot(t, s, other.ID).ID, t0, nil)
		admit(t, s, mkBot(t, s, u.ID).ID, t0.Add(time.Second), nil)
		q, err := s.ListQueue(t.Context(), u.ID)
		ok(t, err)
		eq(t, "mine", len(q), 1)
		eq(t, "global position", q[0].Position, 2)
		eq(t, "user", q[0].UserID, u.ID)
		admit(t, s, q[0].BotID, t0.Add(2*time.Second), nil) // still no room: queued once, not twice
		events, err := s.ListEvents(t.Context(), q[0].BotID, store.Page{})
		ok(t, err)
		eq(t, "one QUEUED event", len(events), 1)
		eq(t, "its type", events[0].Type, string(api.StatusQueued))
		var data struct{ Position int }
		ok(t, json.Unmarshal(events[0].Data, &data))
		eq(t, "its position", data.Position, 2)
	}},
	{"ExpireQueue", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		short := mkBot(t, s, u.ID, func(b *store.Bot) { b.QueueTimeout = time.Minute })
		long := mkBot(t, s, u.ID, func(b *store.Bot) { b.QueueTimeout = time.Hour })
		never := mkBot(t, s, u.ID)
		for _, b := range []store.Bot{short, long, never} {
			admit(t, s, b.ID, t0, nil)
		}
		got, err := s.ExpireQueue(t.Context(), t0.Add(2*time.Minute))
		ok(t, err)
		eq(t, "expired", len(got), 1)
		eq(t, "which", got[0].ID, short.ID)
		eq(t, "status", got[0].Status, api.StatusFatal)
		eq(t, "reason", got[0].EndReason, api.ReasonQueueTimeout)
		eqTime(t, "ended", got[0].EndedAt, t0.Add(2*time.Minute))
		evs, _ := s.ListEvents(t.Context(), short.ID, store.Page{})
		eq(t, "events", len(evs), 2)
		eq(t, "queued first", evs[0].Type, "QUEUED")
		eq(t, "then the expiry", evs[1].Type, "FATAL")
		q, _ := s.ListQueue(t.Context(), 0)
		eq(t, "left", len(q), 2)
		got, err = s.AdmitQueued(t.Context(), store.AdmitQueuedParams{Platforms: limits("k8s", 9), Now: t0.Add(2 * time.Hour)})
		ok(t, err)
		eq(t, "expired ones not admitted", len(got), 1)
		eq(t, "never expires", got[0].ID, never.ID)
	}},
	{"CapacityCountsCallEnded", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := deployOn(t, s, mkBot(t, s, u.ID).ID, "k8s")
		move(t, s, b.ID, api.StatusCallEnded)
		r, err := s.Admit(t.Context(), store.AdmitParams{BotID: mkBot(t, s, u.ID).ID, Platforms: limits("k8s", 1), Now: t0})
		ok(t, err)
		if !r.Queued {
			t.Fatal("CALL_ENDED bot did not hold capacity")
		}
		move(t, s, b.ID, api.StatusDone)
		used, _ := s.CapacityUsed(t.Context())
		eq(t, "used", used["k8s"], 0)
	}},
}
