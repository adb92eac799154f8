package storetest

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

const callbackURL = "https://hooks.example/meeboter"

// withCallback gives a bot a callback URL and some metadata.
func withCallback(b *store.Bot) {
	b.CallbackURL = callbackURL
	b.Metadata = map[string]string{"team": "a"}
}

// deliveries lists a bot's webhook deliveries, failing the test on error.
func deliveries(t *testing.T, s store.Store, botID int64) []store.WebhookDelivery {
	t.Helper()
	got, err := s.ListWebhookDeliveries(t.Context(), botID)
	ok(t, err)
	return got
}

// ofType keeps the deliveries of one event type.
func ofType(ds []store.WebhookDelivery, typ string) []store.WebhookDelivery {
	var out []store.WebhookDelivery
	for _, d := range ds {
		if d.Event == typ {
			out = append(out, d)
		}
	}
	return out
}

// types lists the event types of deliveries, in order.
func types(ds []store.WebhookDelivery) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Event
	}
	return out
}

func eqStrings(t testing.TB, what string, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s = %q, want %q", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s = %q, want %q", what, got, want)
		}
	}
}

// claimWebhooks claims due deliveries for holder with a one-minute lease.
func claimWebhooks(t *testing.T, s store.Store, holder string, now time.Time) []store.WebhookDelivery {
	t.Helper()
	got, err := s.ClaimWebhooks(t.Context(), store.ClaimWebhooksParams{Holder: holder, Now: now, LeaseFor: time.Minute, Limit: 50})
	ok(t, err)
	return got
}

// deliver records a successful attempt of a claimed delivery.
func deliver(t *testing.T, s store.Store, d store.WebhookDelivery, holder string, now time.Time) {
	t.Helper()
	_, err := s.RecordWebhookAttempt(t.Context(), store.WebhookAttempt{ID: d.ID, Holder: holder, Delivered: true, StatusCode: 200, Now: now})
	ok(t, err)
}

// endedWithCallback creates a bot with a callback URL and ends it FATAL.
func endedWithCallback(t *testing.T, s store.Store, userID int64) store.Bot {
	t.Helper()
	b := mkBot(t, s, userID, withCallback)
	b, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusFatal,
		Reason: api.ReasonPlatformError, Detail: "no pods", Now: t0})
	ok(t, err)
	return b
}

var webhooksTests = append(append([]namedTest{
	{"EventsOfAnEnd", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := endedWithCallback(t, s, u.ID)
		got := deliveries(t, s, b.ID)
		eqStrings(t, "events", types(got), api.WebhookBotStatusChanged, api.WebhookBotEnded)
		for _, d := range got {
			eq(t, "url", d.URL, callbackURL)
			eq(t, "user", d.UserID, u.ID)
			eq(t, "to the callback", d.EndpointID, int64(0))
			eq(t, "status", d.Status, api.StatusFatal)
			eq(t, "attempts", d.Attempts, 0)
			eq(t, "sequence", d.SequenceKey, got[0].SequenceKey)
			eqTime(t, "due at once", d.NextAttemptAt, t0)
		}
		if got[0].MessageID == got[1].MessageID || got[0].MessageID == "" {
			t.Fatalf("message ids %q and %q: want two distinct ids", got[0].MessageID, got[1].MessageID)
		}
		var sc api.BotStatusChangedWebhook
		ok(t, json.Unmarshal(got[0].Payload, &sc))
		eq(t, "changed from", sc.From, api.StatusScheduled)
		eq(t, "changed to", sc.To, api.StatusFatal)
		eq(t, "sub code", sc.SubCode, api.ReasonPlatformError)
		eq(t, "detail", sc.Detail, "no pods")
		eq(t, "bot", sc.BotID, b.ID)
		eqTime(t, "timestamp", &sc.Timestamp, t0)
		var p api.BotEndedWebhook
		ok(t, json.Unmarshal(got[1].Payload, &p))
		eq(t, "payload type", p.Type, api.WebhookBotEnded)
		eq(t, "payload bot", p.BotID, b.ID)
		eq(t, "payload status", p.Status, api.StatusFatal)
		eq(t, "payload reason", p.Reason, api.ReasonPlatformError)
		eq(t, "payload detail", p.Detail, "no pods")
		eq(t, "payload metadata", p.Metadata["team"], "a")
		eqTime(t, "payload endedAt", &p.EndedAt, t0)
		_, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusDone, Reason: api.ReasonCompleted, Now: t0})
		wantErr(t, err, store.ErrConflict)
		eq(t, "no more", len(deliveries(t, s, b.ID)), 2)
	}},
	{"EveryChangeOnce", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := deployOn(t, s, mkBot(t, s, u.ID, withCallback).ID, "k8s")
		move(t, s, b.ID, api.StatusJoiningCall)
		move(t, s, b.ID, api.StatusInCall)
		move(t, s, b.ID, api.StatusInCall) // a repeated report is no change
		_, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusDone, Reason: api.ReasonCompleted,
			RecordingKey: "rec/1.mp4", Now: t0})
		ok(t, err)
		got := deliveries(t, s, b.ID)
		eqStrings(t, "events", types(got), api.WebhookBotStatusChanged, api.WebhookBotStatusChanged, api.WebhookBotStatusChanged,
			api.WebhookBotStatusChanged, api.WebhookBotEnded, api.WebhookBotRecordingReady)
		var froms []string
		for _, d := range ofType(got, api.WebhookBotStatusChanged) {
			var p api.BotStatusChangedWebhook
			ok(t, json.Unmarshal(d.Payload, &p))
			froms = append(froms, string(p.From)+">"+string(p.To))
		}
		eqStrings(t, "changes", froms, "SCHEDULED>DEPLOYING", "DEPLOYING>JOINING_CALL", "JOINING_CALL>IN_CALL", "IN_CALL>DONE")
		var rec api.BotRecordingReadyWebhook
		ok(t, json.Unmarshal(got[5].Payload, &rec))
		eq(t, "recording", rec.Recording, "rec/1.mp4")
	}},
	{"NoneWithoutTargets", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID)
		move(t, s, b.ID, api.StatusDone)
		eq(t, "deliveries", len(deliveries(t, s, b.ID)), 0)
		eq(t, "nothing due", len(claimWebhooks(t, s, "d", t0.Add(time.Hour))), 0)
	}},
	{"Queued", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID, withCallback)
		res, err := s.Admit(t.Context(), store.AdmitParams{BotID: b.ID, Platforms: limits("k8s", 0), RunTime: 30 * time.Minute, Now: t0})
		ok(t, err)
		eq(t, "queued", res.Queued, true)
		got := ofType(deliveries(t, s, b.ID), api.WebhookBotQueued)
		eq(t, "bot.queued", len(got), 1)
		var p api.BotQueuedWebhook
		ok(t, json.Unmarshal(got[0].Payload, &p))
		eq(t, "position", p.Position, 1)
		eq(t, "estimate", p.EstimatedWaitSeconds, int64(1800))
		admit(t, s, b.ID, t0, limits("k8s", 0))
		eq(t, "still one: a queued bot keeps its place", len(ofType(deliveries(t, s, b.ID), api.WebhookBotQueued)), 1)
	}},
	{"QueueTimeout", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID, withCallback, func(b *store.Bot) { b.QueueTimeout = time.Minute })
		admit(t, s, b.ID, t0, nil)
		_, err := s.ExpireQueue(t.Context(), t0.Add(2*time.Minute))
		ok(t, err)
		got := ofType(deliveries(t, s, b.ID), api.WebhookBotEnded)
		eq(t, "bot.ended", len(got), 1)
		var p api.BotEndedWebhook
		ok(t, json.Unmarshal(got[0].Payload, &p))
		eq(t, "reason", p.Reason, api.ReasonQueueTimeout)
	}},
	{"DeployFailure", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := deployOn(t, s, mkBot(t, s, u.ID, withCallback).ID, "k8s")
		claimed, err := s.ClaimDeploys(t.Context(), store.ClaimDeploysParams{Holder: "d", Now: t0, LeaseFor: time.Minute, BotID: b.ID})
		ok(t, err)
		eq(t, "claimed", len(claimed), 1)
		ok(t, s.RecordDeployFailure(t.Context(), store.DeployFailure{BotID: b.ID, Platform: "k8s", Error: "quota", FailedOver: true, Now: t0}))
		got := ofType(deliveries(t, s, b.ID), api.WebhookBotDeployFailed)
		eq(t, "bot.deploy_failed", len(got), 1)
		var p api.BotDeployFailedWebhook
		ok(t, json.Unmarshal(got[0].Payload, &p))
		eq(t, "platform", p.Platform, "k8s")
		eq(t, "error", p.Error, "quota")
		eq(t, "failed over", p.FailedOver, true)
		evs, err := s.ListEvents(t.Context(), b.ID, store.Page{})
		ok(t, err)
		eq(t, "event", evs[len(evs)-1].Type, "DEPLOY_FAILED")
		again, err := s.ClaimDeploys(t.Context(), store.ClaimDeploysParams{Holder: "d2", Now: t0, LeaseFor: time.Minute, BotID: b.ID})
		ok(t, err)
		eq(t, "claim released", len(again), 1)
	}},
	{"ClaimLease", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := endedWithCallback(t, s, u.ID)
		eq(t, "not due before enqueue", len(claimWebhooks(t, s, "d1", t0.Add(-time.Second))), 0)
		got := claimWebhooks(t, s, "d1", t0)
		eq(t, "the first of the sequence", len(got), 1)
		eq(t, "holder", got[0].ClaimHolder, "d1")
		eqTime(t, "lease", got[0].ClaimUntil, t0.Add(time.Minute))
		eq(t, "held", len(claimWebhooks(t, s, "d2", t0.Add(30*time.Second))), 0)
		got = claimWebhooks(t, s, "d2", t0.Add(2*time.Minute))
		eq(t, "lease expired", len(got), 1)
		eq(t, "bot", got[0].BotID, b.ID)
		_, err := s.RecordWebhookAttempt(t.Context(), store.WebhookAttempt{ID: got[0].ID, Holder: "d1", Delivered: true, StatusCode: 200, Now: t0})
		wantErr(t, err, store.ErrConflict)
		_, err = s.RecordWebhookAttempt(t.Context(), store.WebhookAttempt{ID: got[0].ID + 100, Holder: "d2", Now: t0})
		wantErr(t, err, store.ErrNotFound)
	}},
	{"RecordAttempts", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		endedWithCallback(t, s, u.ID)
		id := claimWebhooks(t, s, "d", t0)[0].ID
		retry := t0.Add(10 * time.Second)
		res, err := s.RecordWebhookAttempt(t.Context(), store.WebhookAttempt{ID: id, Holder: "d", StatusCode: 500,
			Error: "HTTP 500", NextAttemptAt: &retry, Latency: 1500 * time.Millisecond, Response: "oops", Now: t0})
		ok(t, err)
		d := res.Delivery
		eq(t, "attempts", d.Attempts, 1)
		eq(t, "last status", d.LastStatus, 500)
		eq(t, "last error", d.LastError, "HTTP 500")
		eq(t, "latency", d.LastLatency, 1500*time.Millisecond)
		eq(t, "response", d.LastResponse, "oops")
		eqTime(t, "attempted", d.LastAttemptAt, t0)
		eq(t, "claim ended", d.ClaimHolder, "")
		eqTime(t, "retry", d.NextAttemptAt, retry)
		eq(t, "not due yet", len(claimWebhooks(t, s, "d", retry.Add(-time.Millisecond))), 0)
		eq(t, "due again", len(claimWebhooks(t, s, "d", retry)), 1)
		res, err = s.RecordWebhookAttempt(t.Context(), store.WebhookAttempt{ID: id, Holder: "d", Delivered: true, StatusCode: 204, Now: retry})
		ok(t, err)
		d = res.Delivery
		eq(t, "attempts", d.Attempts, 2)
		eqTime(t, "delivered", d.DeliveredAt, retry)
		eq(t, "no longer due", d.NextAttemptAt == nil, true)
		eq(t, "error cleared", d.LastError, "")
		eq(t, "not given up", d.GivenUp(), false)
		next := claimWebhooks(t, s, "d", retry.Add(time.Hour))
		eq(t, "the next of the sequence", len(next), 1)
		eq(t, "which is bot.ended", next[0].Event, api.WebhookBotEnded)
	}},
	{"GiveUp", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		endedWithCallback(t, s, u.ID)
		id := claimWebhooks(t, s, "d", t0)[0].ID
		res, err := s.RecordWebhookAttempt(t.Context(), store.WebhookAttempt{ID: id, Holder: "d", Error: "address refused", Now: t0})
		ok(t, err)
		eq(t, "given up", res.Delivery.GivenUp(), true)
		eq(t, "status", res.Delivery.LastStatus, 0)
		next := claimWebhooks(t, s, "d", t0.Add(time.Hour))
		eq(t, "only the next one", len(next), 1)
		if next[0].ID == id {
			t.Fatal("a delivery given up was claimed again")
		}
	}},
	{"OrderedPerSequence", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		a := deployOn(t, s, mkBot(t, s, u.ID, withCallback).ID, "k8s")
		b := deployOn(t, s, mkBot(t, s, u.ID, withCallback).ID, "k8s")
		move(t, s, a.ID, api.StatusJoiningCall)
		got := claimWebhooks(t, s, "d", t0)
		eq(t, "one per bot", len(got), 2)
		eq(t, "bot a first", got[0].BotID, a.ID)
		eq(t, "then bot b", got[1].BotID, b.ID)
		retry := t0.Add(time.Minute)
		_, err := s.RecordWebhookAttempt(t.Context(), store.WebhookAttempt{ID: got[0].ID, Holder: "d", StatusCode: 503, Error: "busy",
			NextAttemptAt: &retry, Now: t0})
		ok(t, err)
		deliver(t, s, got[1], "d", t0)
		eq(t, "a's later event waits for its retry", len(claimWebhooks(t, s, "d", t0.Add(time.Second))), 0)
		first := claimWebhooks(t, s, "d", retry)
		eq(t, "a's first again", len(first), 1)
		eq(t, "same delivery", first[0].ID, got[0].ID)
		deliver(t, s, first[0], "d", retry)
		second := claimWebhooks(t, s, "d", retry)
		eq(t, "then a's second", len(second), 1)
		eq(t, "bot", second[0].BotID, a.ID)
		if second[0].ID <= first[0].ID {
			t.Fatalf("delivery %d claimed after %d", second[0].ID, first[0].ID)
		}
	}},
	{"DeletedWithBot", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := endedWithCallback(t, s, u.ID)
		ok(t, s.DeleteBot(t.Context(), u.ID, b.ID))
		eq(t, "deliveries", len(deliveries(t, s, b.ID)), 0)
	}},
	{"InTransaction", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID, withCallback)
		err := s.InTx(t.Context(), func(tx store.Store) error {
			move(t, tx, b.ID, api.StatusDone)
			return store.ErrConflict
		})
		wantErr(t, err, store.ErrConflict)
		eq(t, "rolled back with the transition", len(deliveries(t, s, b.ID)), 0)
	}},
	{"ClaimRace", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		for range 40 {
			endedWithCallback(t, s, u.ID)
		}
		var mu sync.Mutex
		owner := map[int64]int{}
		race(workers, func(i int) {
			got, err := s.ClaimWebhooks(t.Context(), store.ClaimWebhooksParams{Holder: "d", Now: t0, LeaseFor: time.Minute, Limit: 3})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, d := range got {
				if prev, dup := owner[d.ID]; dup {
					t.Errorf("delivery %d claimed by %d and %d", d.ID, prev, i)
				}
				owner[d.ID] = i
			}
		})
		eq(t, "claimed: the first of each bot's sequence", len(owner), 40)
	}},
}, endpointOutboxTests...), resendTests...)
