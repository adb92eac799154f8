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

// claimWebhooks claims due deliveries for holder with a one-minute lease.
func claimWebhooks(t *testing.T, s store.Store, holder string, now time.Time) []store.WebhookDelivery {
	t.Helper()
	got, err := s.ClaimWebhooks(t.Context(), store.ClaimWebhooksParams{Holder: holder, Now: now, LeaseFor: time.Minute, Limit: 10})
	ok(t, err)
	return got
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

var webhooksTests = []namedTest{
	{"EnqueuedOnEnd", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := endedWithCallback(t, s, u.ID)
		got := deliveries(t, s, b.ID)
		eq(t, "deliveries", len(got), 1)
		d := got[0]
		eq(t, "url", d.URL, callbackURL)
		eq(t, "user", d.UserID, u.ID)
		eq(t, "event", d.Event, api.WebhookBotEnded)
		eq(t, "status", d.Status, api.StatusFatal)
		eq(t, "attempts", d.Attempts, 0)
		eqTime(t, "due at once", d.NextAttemptAt, t0)
		var p api.BotEndedWebhook
		ok(t, json.Unmarshal(d.Payload, &p))
		eq(t, "payload type", p.Type, api.WebhookBotEnded)
		eq(t, "payload bot", p.BotID, b.ID)
		eq(t, "payload status", p.Status, api.StatusFatal)
		eq(t, "payload reason", p.Reason, api.ReasonPlatformError)
		eq(t, "payload detail", p.Detail, "no pods")
		eq(t, "payload metadata", p.Metadata["team"], "a")
		eqTime(t, "payload endedAt", &p.EndedAt, t0)
		_, err := s.Transition(t.Context(), store.TransitionParams{BotID: b.ID, To: api.StatusDone, Reason: api.ReasonCompleted, Now: t0})
		wantErr(t, err, store.ErrConflict)
		eq(t, "still one", len(deliveries(t, s, b.ID)), 1)
	}},
	{"NoneWithoutCallback", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID)
		move(t, s, b.ID, api.StatusDone)
		eq(t, "deliveries", len(deliveries(t, s, b.ID)), 0)
		eq(t, "nothing due", len(claimWebhooks(t, s, "d", t0.Add(time.Hour))), 0)
	}},
	{"NoneBeforeEnd", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := deployOn(t, s, mkBot(t, s, u.ID, withCallback).ID, "k8s")
		move(t, s, b.ID, api.StatusJoiningCall)
		eq(t, "deliveries", len(deliveries(t, s, b.ID)), 0)
		move(t, s, b.ID, api.StatusDone)
		got := deliveries(t, s, b.ID)
		eq(t, "on DONE", len(got), 1)
		eq(t, "status", got[0].Status, api.StatusDone)
	}},
	{"QueueTimeoutEnqueues", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := mkBot(t, s, u.ID, withCallback, func(b *store.Bot) { b.QueueTimeout = time.Minute })
		admit(t, s, b.ID, t0, nil)
		_, err := s.ExpireQueue(t.Context(), t0.Add(2*time.Minute))
		ok(t, err)
		got := deliveries(t, s, b.ID)
		eq(t, "deliveries", len(got), 1)
		var p api.BotEndedWebhook
		ok(t, json.Unmarshal(got[0].Payload, &p))
		eq(t, "reason", p.Reason, api.ReasonQueueTimeout)
	}},
	{"ClaimLease", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		b := endedWithCallback(t, s, u.ID)
		eq(t, "not due before enqueue", len(claimWebhooks(t, s, "d1", t0.Add(-time.Second))), 0)
		got := claimWebhooks(t, s, "d1", t0)
		eq(t, "claimed", len(got), 1)
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
		d, err := s.RecordWebhookAttempt(t.Context(), store.WebhookAttempt{ID: id, Holder: "d", StatusCode: 500,
			Error: "HTTP 500", NextAttemptAt: &retry, Now: t0})
		ok(t, err)
		eq(t, "attempts", d.Attempts, 1)
		eq(t, "last status", d.LastStatus, 500)
		eq(t, "last error", d.LastError, "HTTP 500")
		eq(t, "claim ended", d.ClaimHolder, "")
		eqTime(t, "retry", d.NextAttemptAt, retry)
		eq(t, "not due yet", len(claimWebhooks(t, s, "d", retry.Add(-time.Millisecond))), 0)
		eq(t, "due again", len(claimWebhooks(t, s, "d", retry)), 1)
		d, err = s.RecordWebhookAttempt(t.Context(), store.WebhookAttempt{ID: id, Holder: "d", Delivered: true, StatusCode: 204, Now: retry})
		ok(t, err)
		eq(t, "attempts", d.Attempts, 2)
		eqTime(t, "delivered", d.DeliveredAt, retry)
		eq(t, "no longer due", d.NextAttemptAt == nil, true)
		eq(t, "error cleared", d.LastError, "")
		eq(t, "not given up", d.GivenUp(), false)
		eq(t, "never claimed again", len(claimWebhooks(t, s, "d", retry.Add(time.Hour))), 0)
	}},
	{"GiveUp", func(t *testing.T, s store.Store) {
		u := mkUser(t, s)
		endedWithCallback(t, s, u.ID)
		id := claimWebhooks(t, s, "d", t0)[0].ID
		d, err := s.RecordWebhookAttempt(t.Context(), store.WebhookAttempt{ID: id, Holder: "d", Error: "address refused", Now: t0})
		ok(t, err)
		eq(t, "given up", d.GivenUp(), true)
		eq(t, "status", d.LastStatus, 0)
		eq(t, "never claimed again", len(claimWebhooks(t, s, "d", t0.Add(time.Hour))), 0)
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
		eq(t, "claimed", len(owner), 40)
	}},
}
