package feed

import (
	"context"

	"github.com/meeboter/meeboter/api"
)

// sendHeartbeats gives each user's fleet streams, in one message, the last
// heartbeat of each of the user's live bots: heartbeats are the hot path
// and never enter the feed, so this coalesced view is how a dashboard
// sees bots are alive. One read per user, however many streams it has.
func (h *Hub) sendHeartbeats(ctx context.Context) {
	for _, userID := range h.fleetUsers() {
		beats, err := h.src.LiveHeartbeats(ctx, userID)
		if err != nil {
			h.log.Warn("read heartbeats for the streams", "user_id", userID, "err", err)
			return
		}
		if len(beats) == 0 {
			continue
		}
		m := Message{Event: api.StreamEvent{Type: api.StreamHeartbeats, Heartbeats: make([]api.BotHeartbeat, len(beats))}}
		for i, b := range beats {
			m.Event.Heartbeats[i] = api.BotHeartbeat{BotID: b.BotID, At: b.At}
		}
		h.mu.Lock()
		for s := range h.subs {
			if s.UserID == userID && s.BotID == 0 {
				h.send(s, m)
			}
		}
		h.mu.Unlock()
	}
}

// fleetUsers lists the users with a fleet stream open.
func (h *Hub) fleetUsers() []int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	seen := map[int64]bool{}
	var out []int64
	for s := range h.subs {
		if s.BotID == 0 && !seen[s.UserID] {
			seen[s.UserID] = true
			out = append(out, s.UserID)
		}
	}
	return out
}
