package webhook

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// webhookPoll is how often a deliverer looks for due deliveries without
// being kicked: retries scheduled far ahead, deliveries enqueued by another
// daemon, and claims of a daemon that died.
const webhookPoll = 2 * time.Second

// DefaultBackoff is the wait before each retry: the schedule Standard
// Webhooks suggests, ten attempts over about three days, so a receiver
// down for a day still gets everything. Each wait is jittered.
var DefaultBackoff = []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour,
	10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 24 * time.Hour}

// DefaultDisableAfter is how long an endpoint may fail every delivery
// before it is disabled.
const DefaultDisableAfter = 5 * 24 * time.Hour

// Config holds the deliverer's settings.
type Config struct {
	Instance     string          // this daemon's id, for claims
	Secret       []byte          // the daemon's secret: signs callback deliveries, seals endpoint secrets
	AllowPrivate bool            // deliver to loopback and private addresses
	Backoff      []time.Duration // the waits before each retry; DefaultBackoff when empty
	DisableAfter time.Duration   // DefaultDisableAfter when 0
}

// Observer hears of every attempt, for metrics.
type Observer interface {
	// WebhookAttempt reports one attempt's outcome (delivered, retrying
	// or given_up) and how long the receiver took.
	WebhookAttempt(outcome string, latency time.Duration)
	// WebhookEndpointDisabled reports an endpoint disabled for failing.
	WebhookEndpointDisabled()
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
	sealer  *Sealer
	obs     Observer
	changed func() // the stream feed has new changes (attempt events)
	now     func() time.Time
	client  *http.Client
	backoff []time.Duration
	jitter  func(time.Duration) time.Duration
	lease   time.Duration
	wake    chan struct{}
	sem     chan struct{}
}

// Deps are what the deliverer works with besides the store. Changed and
// Observer may be nil.
type Deps struct {
	Log      *slog.Logger
	Store    store.Store
	Sealer   *Sealer
	Observer Observer
	Changed  func()
	Now      func() time.Time
}

// New returns a deliverer; the daemon runs it.
func New(cfg Config, d Deps) *Deliverer {
	if len(cfg.Backoff) == 0 {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.DisableAfter == 0 {
		cfg.DisableAfter = DefaultDisableAfter
	}
	w := &Deliverer{
		cfg: cfg, log: d.Log, store: d.Store, sealer: d.Sealer, obs: d.Observer, changed: d.Changed, now: d.Now,
		client: newClient(cfg.AllowPrivate), backoff: cfg.Backoff, jitter: jitter,
		lease: time.Minute, wake: make(chan struct{}, 1), sem: make(chan struct{}, 8),
	}
	if w.obs == nil {
		w.obs = nopObserver{}
	}
	if w.changed == nil {
		w.changed = func() {}
	}
	return w
}

type nopObserver struct{}

func (nopObserver) WebhookAttempt(string, time.Duration) {}
func (nopObserver) WebhookEndpointDisabled()             {}

// jitter spreads a wait over ±20%, so receivers that failed together are
// not retried together.
func jitter(d time.Duration) time.Duration {
	return d - d/5 + time.Duration(rand.Int64N(int64(2*d/5)+1))
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
	res := w.attempt(ctx, d)
	if ctx.Err() != nil {
		return
	}
	a := w.outcome(d, res)
	recorded, err := w.record(ctx, a, d)
	if err != nil {
		w.log.Error("record webhook attempt", "delivery_id", d.ID, "bot_id", d.BotID, "err", err)
		return
	}
	w.changed()
	rd := recorded.Delivery
	w.obs.WebhookAttempt(outcomeOf(rd), res.latency)
	w.logAttempt(d, a, rd)
	if recorded.Disabled != nil {
		w.obs.WebhookEndpointDisabled()
		w.log.Warn("webhook endpoint disabled", "endpoint_id", recorded.Disabled.ID, "user_id", recorded.Disabled.UserID,
			"reason", recorded.Disabled.DisabledReason)
		w.Kick() // the owner's other endpoints have a notice to send
	}
	if rd.NextAttemptAt != nil {
		if wait := rd.NextAttemptAt.Sub(a.Now); wait < webhookPoll {
			time.AfterFunc(wait, w.Kick)
		}
	} else {
		w.Kick() // the next delivery of its sequence may go now
	}
}

// attempt resolves the delivery's target and sends it.
func (w *Deliverer) attempt(ctx context.Context, d store.WebhookDelivery) attemptResult {
	t, err := w.target(ctx, d)
	if err != nil {
		return attemptResult{err: err, permanent: !errors.Is(err, ErrUnseal) && !errors.Is(err, store.ErrUnavailable)}
	}
	return w.send(ctx, d, t)
}

// outcome turns an attempt into what the store records: delivered, a
// retry after the backoff (or the receiver's Retry-After, when longer),
// or given up.
func (w *Deliverer) outcome(d store.WebhookDelivery, res attemptResult) store.WebhookAttempt {
	a := store.WebhookAttempt{ID: d.ID, Holder: w.cfg.Instance, Delivered: res.err == nil, StatusCode: res.status,
		Latency: res.latency, Response: res.response, DisableAfter: w.cfg.DisableAfter, Now: w.now()}
	if res.err == nil {
		return a
	}
	a.Error = truncate(res.err.Error(), 500)
	a.NextAttemptAt = w.nextAttempt(d.Attempts+1, res.permanent, a.Now)
	if a.NextAttemptAt != nil && res.retryAfter > 0 && a.Now.Add(res.retryAfter).After(*a.NextAttemptAt) {
		next := a.Now.Add(res.retryAfter)
		a.NextAttemptAt = &next
	}
	if res.gone {
		a.Disable = "the receiver answered 410 Gone"
	}
	return a
}

// nextAttempt is when attempt number n (1-based) is followed by another,
// or nil when the delivery is given up.
func (w *Deliverer) nextAttempt(n int, permanent bool, now time.Time) *time.Time {
	if permanent || n > len(w.backoff) {
		return nil
	}
	next := now.Add(w.jitter(w.backoff[n-1]))
	return &next
}

// record stores the attempt and its bot event in one transaction, so the
// bot's history and the outbox agree. An endpoint event has no bot, and no
// event.
func (w *Deliverer) record(ctx context.Context, a store.WebhookAttempt, d store.WebhookDelivery) (store.AttemptResult, error) {
	var res store.AttemptResult
	err := w.store.InTx(ctx, func(tx store.Store) error {
		var err error
		if res, err = tx.RecordWebhookAttempt(ctx, a); err != nil || d.BotID == 0 {
			return err
		}
		ev := store.Event{BotID: d.BotID, Type: "WEBHOOK_DELIVERED", Time: a.Now, Data: attemptData(a, d, res.Delivery)}
		if !a.Delivered {
			ev.Type = "WEBHOOK_FAILED"
		}
		return tx.InsertEvents(ctx, []store.Event{ev})
	})
	return res, err
}

// outcomeOf names what became of a delivery after an attempt.
func outcomeOf(d store.WebhookDelivery) string {
	switch {
	case d.DeliveredAt != nil:
		return "delivered"
	case d.NextAttemptAt != nil:
		return "retrying"
	}
	return "given_up"
}

func (w *Deliverer) logAttempt(d store.WebhookDelivery, a store.WebhookAttempt, rd store.WebhookDelivery) {
	attrs := []any{"delivery_id", d.ID, "bot_id", d.BotID, "endpoint_id", d.EndpointID, "event", d.Event,
		"attempt", d.Attempts + 1, "status_code", a.StatusCode}
	switch outcomeOf(rd) {
	case "delivered":
		w.log.Info("webhook delivered", attrs...)
	case "retrying":
		w.log.Warn("webhook attempt failed; will retry", append(attrs, "err", a.Error, "next_attempt_at", rd.NextAttemptAt)...)
	default:
		w.log.Warn("webhook given up", append(attrs, "err", rd.LastError)...)
	}
}

// eventTypes is the set of known event types, for filters.
var eventTypes = func() map[string]bool {
	m := map[string]bool{}
	for _, t := range api.WebhookEventTypes {
		m[t] = true
	}
	return m
}()

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
