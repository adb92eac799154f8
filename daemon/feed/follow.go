package feed

import (
	"context"
	"time"

	"github.com/meeboter/meeboter/store"
)

// pageSize is how many changes one read takes.
const pageSize = 500

// Run follows the feed until ctx ends, then ends every subscription. It
// starts at the feed's head: a subscriber gets what happens after it
// subscribed, and replays the rest from the store.
func (h *Hub) Run(ctx context.Context) {
	defer h.CloseAll()
	if !h.start(ctx) {
		return
	}
	listening := make(chan struct{})
	go func() {
		defer close(listening)
		h.listen(ctx)
	}()
	defer func() { <-listening }()
	poll := time.NewTicker(h.cfg.Poll)
	defer poll.Stop()
	beats := time.NewTicker(h.cfg.Heartbeats)
	defer beats.Stop()
	for {
		h.catchUp(ctx)
		select {
		case <-ctx.Done():
			return
		case <-poll.C:
		case <-h.wake:
		case <-beats.C:
			h.sendHeartbeats(ctx)
		}
	}
}

// start reads the feed's head, retrying while the database is away, and
// opens the hub to subscribers.
func (h *Hub) start(ctx context.Context) bool {
	for {
		b, err := h.src.ChangeBounds(ctx)
		if err == nil {
			h.mu.Lock()
			h.pos = b.Newest
			h.mu.Unlock()
			close(h.ready)
			return true
		}
		h.log.Warn("read the change feed's head; retrying", "err", err)
		select {
		case <-ctx.Done():
			return false
		case <-time.After(h.cfg.Poll):
		}
	}
}

// listen wakes the hub on other daemons' commits, listening again after a
// broken connection.
func (h *Hub) listen(ctx context.Context) {
	for ctx.Err() == nil {
		if err := h.src.ListenChanges(ctx, h.Kick); err != nil {
			h.log.Debug("listen for changes; polling until it works again", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(h.cfg.Poll):
			}
		}
	}
}

// catchUp delivers every change after the hub's position of the users it
// has subscribers for: another user's changes are not read at all. A user
// who subscribes later starts from the head as the database has it, so
// what was skipped is never owed. With no subscriber it reads nothing: the
// writes that kick it cost the database no query.
func (h *Hub) catchUp(ctx context.Context) {
	for ctx.Err() == nil {
		users := h.users()
		if len(users) == 0 {
			return // the first subscriber moves the position to the head
		}
		h.mu.Lock()
		after := h.pos
		h.mu.Unlock()
		cs, err := h.src.ReadChanges(ctx, store.ChangeQuery{After: after, UserIDs: users, Limit: pageSize})
		if err != nil {
			h.log.Warn("read the change feed", "after", after, "err", err)
			return
		}
		h.deliver(cs)
		if len(cs) < pageSize {
			return
		}
	}
}

// deliver hands changes, in order, to the subscribers wanting them.
func (h *Hub) deliver(cs []store.Change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, c := range cs {
		if c.Seq <= h.pos {
			continue
		}
		h.pos = c.Seq
		var msgs []Message // made once, for the first subscriber wanting them
		for s := range h.subs {
			if s.UserID != c.UserID || c.Seq <= s.From || !s.wants(c) {
				continue
			}
			if msgs == nil {
				msgs = Messages(c)
			}
			for _, m := range msgs {
				h.send(s, m)
			}
		}
	}
}

// users lists the users with an open subscription.
func (h *Hub) users() []int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	seen := map[int64]bool{}
	var out []int64
	for s := range h.subs {
		if !seen[s.UserID] {
			seen[s.UserID] = true
			out = append(out, s.UserID)
		}
	}
	return out
}
