// Package feed fans the store's change feed out to this daemon's
// event-stream subscribers. Every daemon follows the one feed in the
// database, so a stream served by any of them shows the changes every
// daemon makes, in the order they were committed. Local writers kick the
// follower, other daemons' commits wake it (PostgreSQL notifications), and
// it polls besides. Delivering never blocks: a subscriber whose buffer is
// full is dropped, and reconnects from the last id it saw.
package feed

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// Source is the part of the store the hub reads.
type Source interface {
	ReadChanges(ctx context.Context, q store.ChangeQuery) ([]store.Change, error)
	ChangeBounds(ctx context.Context) (store.ChangeBounds, error)
	ListenChanges(ctx context.Context, wake func()) error
	LiveHeartbeats(ctx context.Context, userID int64) ([]store.BotHeartbeat, error)
}

// Timing of the hub; tests may shorten them through Config.
const (
	defaultPoll       = time.Second
	defaultHeartbeats = 5 * time.Second
	bufferSize        = 1024
)

// Config holds the hub's timing: Poll is how often it reads the feed
// unprompted, Heartbeats how often fleet streams get the heartbeat times.
type Config struct {
	Poll       time.Duration
	Heartbeats time.Duration
}

// Hub is the fan-out of one daemon. Its zero value is not usable; call New.
type Hub struct {
	cfg   Config
	src   Source
	log   *slog.Logger
	wake  chan struct{}
	ready chan struct{} // closed once pos is known

	mu   sync.Mutex
	subs map[*Subscription]struct{}
	pos  int64 // the last change delivered
}

// Message is one stream message. Seq is the change it comes from (0 for
// messages that are no change, such as heartbeats); Last marks the last
// message of its change, the one whose id a client resumes after.
type Message struct {
	Seq   int64
	Last  bool
	Event api.StreamEvent
}

// Subscription is one stream's interest: a user's bots, or one bot, with
// or without log lines, optionally narrowed to bots entering some
// statuses. Messages of changes after From arrive on C until it is closed.
type Subscription struct {
	UserID int64
	BotID  int64 // 0: every bot of the user
	Logs   bool
	Status map[api.BotStatus]bool // nil: every status
	From   int64
	C      <-chan Message
	ch     chan Message
	closed bool
}

// New returns a hub reading src; the daemon runs it.
func New(cfg Config, src Source, log *slog.Logger) *Hub {
	if cfg.Poll <= 0 {
		cfg.Poll = defaultPoll
	}
	if cfg.Heartbeats <= 0 {
		cfg.Heartbeats = defaultHeartbeats
	}
	return &Hub{cfg: cfg, src: src, log: log, wake: make(chan struct{}, 1), ready: make(chan struct{}),
		subs: map[*Subscription]struct{}{}}
}

// Kick makes the hub read the feed now: a local write committed changes.
func (h *Hub) Kick() {
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// ErrStopped is a subscription asked of a hub that has stopped; it is
// store.ErrUnavailable, so the client is told to come back.
var ErrStopped = fmt.Errorf("%w: the daemon is stopping", store.ErrUnavailable)

// Subscribe starts delivering to s.C the changes after s.From, which it
// sets to the feed's head as the database has it now (or the hub's
// position, when that is further): what the caller reads next reflects
// every change up to From, and no older change arrives after it.
func (h *Hub) Subscribe(ctx context.Context, s *Subscription) error {
	select {
	case <-h.ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	head, err := h.src.ChangeBounds(ctx)
	if err != nil {
		return err
	}
	s.ch = make(chan Message, bufferSize)
	s.C = s.ch
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		return ErrStopped
	}
	s.From = max(head.Newest, h.pos)
	if len(h.subs) == 0 {
		// Nobody was following: the position may be far behind, and
		// nothing before the head is owed to anyone.
		h.pos = s.From
	}
	h.subs[s] = struct{}{}
	return nil
}

// Unsubscribe stops delivering and closes s.C.
func (h *Hub) Unsubscribe(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.drop(s)
}

func (h *Hub) drop(s *Subscription) {
	if !s.closed && s.ch != nil {
		s.closed = true
		close(s.ch)
		delete(h.subs, s)
	}
}

// CloseAll ends every subscription, when the daemon stops; later
// subscriptions are refused.
func (h *Hub) CloseAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		h.drop(s)
	}
	h.subs = nil
}

// Subscribers counts the open subscriptions.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}

// send hands m to s, dropping s when its buffer is full; h.mu is held. A
// subscriber dropped by an earlier message of the same change gets no more.
func (h *Hub) send(s *Subscription, m Message) {
	if s.closed {
		return
	}
	select {
	case s.ch <- m:
	default:
		h.drop(s)
	}
}
