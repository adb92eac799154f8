package webhook

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/meeboter/meeboter/daemon/feed"
	"github.com/meeboter/meeboter/store"
)

// webhookPoll is how often a deliverer looks for due deliveries without
// being kicked: retries scheduled far ahead, deliveries enqueued by another
// daemon, and claims of a daemon that died.
const webhookPoll = 2 * time.Second

// DefaultBackoff spreads six attempts over about an hour and a quarter:
// quick retries ride out a receiver's restart, the long ones an outage.
var DefaultBackoff = []time.Duration{10 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute, time.Hour}

// Config holds the deliverer's settings.
type Config struct {
	Instance     string          // this daemon's id, for claims
	Secret       []byte          // the signing secret
	AllowPrivate bool            // deliver to loopback and private addresses
	Backoff      []time.Duration // the waits before each retry; DefaultBackoff when empty
}

// Deliverer sends the outbox's webhooks. Deliveries are claimed in
// the database and sent outside any transaction; a claim is never handed to
// two daemons, so with any number of daemons each webhook is attempted by
// one at a time. A daemon that dies mid-attempt loses its claim when the
// lease ends, and another retries: delivery is at least once.
type Deliverer struct {
	cfg     Config
	log     *slog.Logger
	store   store.Store
	feed    *feed.Hub
	now     func() time.Time
	client  *http.Client
	backoff []time.Duration
	lease   time.Duration
	wake    chan struct{}
	sem     chan struct{}
}

// New returns a deliverer; the daemon runs it.
func New(cfg Config, log *slog.Logger, st store.Store, hub *feed.Hub, now func() time.Time) *Deliverer {
	backoff := cfg.Backoff
	if len(backoff) == 0 {
		backoff = DefaultBackoff
	}
	return &Deliverer{
		cfg: cfg, log: log, store: st, feed: hub, now: now, client: newClient(cfg.AllowPrivate), backoff: backoff,
		lease: time.Minute, wake: make(chan struct{}, 1), sem: make(chan struct{}, 8),
	}
}

// Kick makes the deliverer look for due deliveries now.
func (w *Deliverer) Kick() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers due webhooks when kicked and every webhookPoll until ctx
// ends, then waits for the attempts in flight.
func (w *Deliverer) Run(ctx context.Context) {
	t := time.NewTicker(webhookPoll)
	defer t.Stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		w.claimAndDeliver(ctx, &wg)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.wake:
		}
	}
}

func (w *Deliverer) claimAndDeliver(ctx context.Context, wg *sync.WaitGroup) {
	for ctx.Err() == nil {
		ds, err := w.store.ClaimWebhooks(ctx, store.ClaimWebhooksParams{
			Holder: w.cfg.Instance, Now: w.now(), LeaseFor: w.lease, Limit: cap(w.sem),
		})
		if err != nil {
			w.log.Error("claim webhooks", "err", err)
			return
		}
		for _, d := range ds {
			w.sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-w.sem }()
				w.deliver(ctx, d)
			})
		}
		if len(ds) < cap(w.sem) {
			return
		}
	}
}

// deliver makes one attempt and records it. An attempt cut short by the
// daemon stopping is not counted: its claim lapses and it is made again.
func (w *Deliverer) deliver(ctx context.Context, d store.WebhookDelivery) {
	res := w.send(ctx, d)
	if ctx.Err() != nil {
		return
	}
	a := store.WebhookAttempt{ID: d.ID, Holder: w.cfg.Instance, Delivered: res.err == nil, StatusCode: res.status, Now: w.now()}
	if res.err != nil {
		a.Error = truncate(res.err.Error(), 500)
		a.NextAttemptAt = w.nextAttempt(d.Attempts+1, res.permanent, a.Now)
	}
	ev, err := w.record(ctx, a, d)
	if err != nil {
		w.log.Error("record webhook attempt", "delivery_id", d.ID, "bot_id", d.BotID, "err", err)
		return
	}
	w.feed.PublishEvent(d.UserID, ev)
	w.logAttempt(d, a)
	if a.NextAttemptAt != nil {
		if wait := a.NextAttemptAt.Sub(a.Now); wait < webhookPoll {
			time.AfterFunc(wait, w.Kick)
		}
	}
}

// nextAttempt is when attempt number n (1-based) is followed by another,
// or nil when the delivery is given up.
func (w *Deliverer) nextAttempt(n int, permanent bool, now time.Time) *time.Time {
	if permanent || n > len(w.backoff) {
		return nil
	}
	next := now.Add(w.backoff[n-1])
	return &next
}

// record stores the attempt and its bot event in one transaction, so the
// bot's history and the outbox agree.
func (w *Deliverer) record(ctx context.Context, a store.WebhookAttempt, d store.WebhookDelivery) (store.Event, error) {
	ev := store.Event{BotID: d.BotID, Type: "WEBHOOK_DELIVERED", Time: a.Now, Data: attemptData(a, d)}
	if !a.Delivered {
		ev.Type = "WEBHOOK_FAILED"
	}
	err := w.store.InTx(ctx, func(tx store.Store) error {
		if _, err := tx.RecordWebhookAttempt(ctx, a); err != nil {
			return err
		}
		return tx.InsertEvents(ctx, []store.Event{ev})
	})
	return ev, err
}

// attemptData is the bot event's data: which delivery, which attempt, what
// the receiver said, and what happens next.
func attemptData(a store.WebhookAttempt, d store.WebhookDelivery) json.RawMessage {
	data := map[string]any{"deliveryId": d.ID, "attempt": d.Attempts + 1, "url": d.URL}
	if a.StatusCode != 0 {
		data["statusCode"] = a.StatusCode
	}
	if !a.Delivered {
		data["error"] = a.Error
		if a.NextAttemptAt != nil {
			data["nextAttemptAt"] = a.NextAttemptAt
		} else {
			data["gaveUp"] = true
		}
	}
	b, _ := json.Marshal(data)
	return b
}

func (w *Deliverer) logAttempt(d store.WebhookDelivery, a store.WebhookAttempt) {
	attrs := []any{"delivery_id", d.ID, "bot_id", d.BotID, "attempt", d.Attempts + 1, "status_code", a.StatusCode}
	switch {
	case a.Delivered:
		w.log.Info("webhook delivered", attrs...)
	case a.NextAttemptAt != nil:
		w.log.Warn("webhook attempt failed; will retry", append(attrs, "err", a.Error, "next_attempt_at", a.NextAttemptAt)...)
	default:
		w.log.Warn("webhook given up", append(attrs, "err", a.Error)...)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
