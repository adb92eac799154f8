package daemon

import (
	"sync"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// hub fans live changes out to the event-stream subscribers of this daemon.
// Publishing never blocks: a subscriber whose buffer is full is dropped and
// reconnects, which re-sends the current state.
type hub struct {
	mu     sync.Mutex
	subs   map[*subscription]struct{}
	owners map[int64]int64 // bot id -> user id, learned from bot updates
}

type subscription struct {
	userID int64
	botID  int64 // 0: every bot of the user
	logs   bool
	status map[api.BotStatus]bool // nil: every status
	ch     chan api.StreamEvent
	closed bool
}

func newHub() *hub {
	return &hub{subs: map[*subscription]struct{}{}, owners: map[int64]int64{}}
}

func (h *hub) subscribe(s *subscription) {
	s.ch = make(chan api.StreamEvent, 256)
	h.mu.Lock()
	h.subs[s] = struct{}{}
	h.mu.Unlock()
}

func (h *hub) unsubscribe(s *subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.drop(s)
}

func (h *hub) drop(s *subscription) {
	if !s.closed {
		s.closed = true
		close(s.ch)
		delete(h.subs, s)
	}
}

func (h *hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		h.drop(s)
	}
}

func (h *hub) publish(userID, botID int64, ev api.StreamEvent, match func(*subscription) bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.deliver(userID, botID, ev, match)
}

// deliver hands ev to the matching subscribers; h.mu is held.
func (h *hub) deliver(userID, botID int64, ev api.StreamEvent, match func(*subscription) bool) {
	for s := range h.subs {
		if s.userID != userID || (s.botID != 0 && s.botID != botID) || !match(s) {
			continue
		}
		select {
		case s.ch <- ev:
		default:
			h.drop(s)
		}
	}
}

func (h *hub) publishBot(b store.Bot, view api.Bot) {
	h.mu.Lock()
	if len(h.owners) > 100000 {
		h.owners = map[int64]int64{}
	}
	h.owners[b.ID] = b.UserID
	h.mu.Unlock()
	h.publish(b.UserID, b.ID, api.StreamEvent{Type: "bot", Bot: &view}, func(s *subscription) bool {
		return s.botID != 0 || s.status == nil || s.status[b.Status]
	})
}

func (h *hub) publishEvent(userID int64, e store.Event) {
	ev := eventToAPI(e)
	h.publish(userID, e.BotID, api.StreamEvent{Type: "event", Event: &ev}, func(s *subscription) bool {
		return s.botID != 0 || s.status == nil
	})
}

// publishLogs streams a batch of log lines under one lock. Logs are a hot
// path, so with no subscriber at all it returns before converting anything.
func (h *hub) publishLogs(entries []store.LogEntry) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.subs) == 0 {
		return
	}
	wantsLog := func(s *subscription) bool { return s.botID != 0 || s.logs }
	for _, e := range entries {
		userID, ok := h.owners[e.BotID]
		if !ok {
			continue
		}
		l := logToAPI(e)
		h.deliver(userID, e.BotID, api.StreamEvent{Type: "log", Log: &l}, wantsLog)
	}
}

func eventToAPI(e store.Event) api.Event {
	return api.Event{ID: e.ID, BotID: e.BotID, Type: e.Type, Time: e.Time, Data: e.Data, CreatedAt: e.CreatedAt}
}
