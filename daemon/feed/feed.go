// Package feed fans live changes (bot states, events, log lines) out to
// this daemon's event-stream subscribers. Publishing never blocks: a
// subscriber whose buffer is full is dropped and reconnects, which re-sends
// the current state.
package feed

import (
	"sync"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/wire"
	"github.com/meeboter/meeboter/store"
)

// Hub is the fan-out of one daemon. Its zero value is not usable; call New.
type Hub struct {
	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	owners map[int64]int64 // bot id -> user id, learned from bot updates
}

// Subscription is one stream's interest: a user's bots, or one bot, with
// or without log lines, optionally narrowed to bots entering some
// statuses. Events arrive on C until it is closed.
type Subscription struct {
	UserID int64
	BotID  int64 // 0: every bot of the user
	Logs   bool
	Status map[api.BotStatus]bool // nil: every status
	C      <-chan api.StreamEvent
	ch     chan api.StreamEvent
	closed bool
}

// New returns an empty hub.
func New() *Hub {
	return &Hub{subs: map[*Subscription]struct{}{}, owners: map[int64]int64{}}
}

// Subscribe starts delivering to s.C.
func (h *Hub) Subscribe(s *Subscription) {
	s.ch = make(chan api.StreamEvent, 256)
	s.C = s.ch
	h.mu.Lock()
	h.subs[s] = struct{}{}
	h.mu.Unlock()
}

// Unsubscribe stops delivering and closes s.C.
func (h *Hub) Unsubscribe(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.drop(s)
}

func (h *Hub) drop(s *Subscription) {
	if !s.closed {
		s.closed = true
		close(s.ch)
		delete(h.subs, s)
	}
}

// CloseAll ends every subscription, when the daemon stops.
func (h *Hub) CloseAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		h.drop(s)
	}
}

func (h *Hub) publish(userID, botID int64, ev api.StreamEvent, match func(*Subscription) bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.deliver(userID, botID, ev, match)
}

// deliver hands ev to the matching subscribers; h.mu is held.
func (h *Hub) deliver(userID, botID int64, ev api.StreamEvent, match func(*Subscription) bool) {
	for s := range h.subs {
		if s.UserID != userID || (s.BotID != 0 && s.BotID != botID) || !match(s) {
			continue
		}
		select {
		case s.ch <- ev:
		default:
			h.drop(s)
		}
	}
}

// PublishBot sends a bot's new state.
func (h *Hub) PublishBot(b store.Bot) {
	view := wire.Bot(b)
	h.mu.Lock()
	if len(h.owners) > 100000 {
		h.owners = map[int64]int64{}
	}
	h.owners[b.ID] = b.UserID
	h.mu.Unlock()
	h.publish(b.UserID, b.ID, api.StreamEvent{Type: "bot", Bot: &view}, func(s *Subscription) bool {
		return s.BotID != 0 || s.Status == nil || s.Status[b.Status]
	})
}

// PublishEvent sends one of a user's bot events.
func (h *Hub) PublishEvent(userID int64, e store.Event) {
	ev := wire.Event(e)
	h.publish(userID, e.BotID, api.StreamEvent{Type: "event", Event: &ev}, func(s *Subscription) bool {
		return s.BotID != 0 || s.Status == nil
	})
}

// PublishLogs streams a batch of log lines under one lock. Logs are a hot
// path, so with no subscriber at all it returns before converting anything.
func (h *Hub) PublishLogs(entries []store.LogEntry) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.subs) == 0 {
		return
	}
	wantsLog := func(s *Subscription) bool { return s.BotID != 0 || s.Logs }
	for _, e := range entries {
		userID, ok := h.owners[e.BotID]
		if !ok {
			continue
		}
		l := wire.Log(e)
		h.deliver(userID, e.BotID, api.StreamEvent{Type: "log", Log: &l}, wantsLog)
	}
}
