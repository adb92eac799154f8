package tui

import (
	"cmp"
	"slices"

	"github.com/meeboter/meeboter/api"
)

// maxBots bounds how many bots the dashboard keeps: the newest ones, which
// are the ones an operator watches. Older bots stay one CLI call away.
const maxBots = 1000

// fleet is what the dashboard knows about the daemon. Only the root model
// writes it, from messages; views read it when they render.
type fleet struct {
	bots     map[int64]api.Bot
	pool     *api.PoolStatus
	forecast *api.CapacityForecast
	slots    []api.PoolSlot
	queue    []api.QueueEntry
}

func newFleet() *fleet { return &fleet{bots: map[int64]api.Bot{}} }

// setBots replaces the known bots with a fresh listing.
func (f *fleet) setBots(bots []api.Bot) {
	f.bots = make(map[int64]api.Bot, len(bots))
	for _, b := range bots {
		f.bots[b.ID] = b
	}
}

// upsert records a bot's new state. A message older than what is known
// (streams and listings can cross) is ignored. A heartbeat newer than the
// message's, from a heartbeats event, is kept.
func (f *fleet) upsert(b api.Bot) {
	old, ok := f.bots[b.ID]
	if ok && b.UpdatedAt.Before(old.UpdatedAt) {
		return
	}
	if ok && old.LastHeartbeatAt != nil && (b.LastHeartbeatAt == nil || old.LastHeartbeatAt.After(*b.LastHeartbeatAt)) {
		b.LastHeartbeatAt = old.LastHeartbeatAt
	}
	f.bots[b.ID] = b
}

// remove forgets deleted bots: the stream sends nothing when a bot is
// deleted, so only the dashboard's own deletes remove them.
func (f *fleet) remove(ids ...int64) {
	for _, id := range ids {
		delete(f.bots, id)
	}
}

// heartbeats records when bots last sent a heartbeat. Only the time moves:
// a heartbeat is not a change of the bot (UpdatedAt stays), so a later
// status message is never taken for stale.
func (f *fleet) heartbeats(beats []api.BotHeartbeat) bool {
	changed := false
	for _, hb := range beats {
		b, ok := f.bots[hb.BotID]
		if !ok || (b.LastHeartbeatAt != nil && !hb.At.After(*b.LastHeartbeatAt)) {
			continue
		}
		at := hb.At
		b.LastHeartbeatAt = &at
		f.bots[hb.BotID] = b
		changed = true
	}
	return changed
}

func (f *fleet) bot(id int64) (api.Bot, bool) {
	b, ok := f.bots[id]
	return b, ok
}

// list returns every known bot, newest first.
func (f *fleet) list() []api.Bot {
	out := make([]api.Bot, 0, len(f.bots))
	for _, b := range f.bots {
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b api.Bot) int { return cmp.Compare(b.ID, a.ID) })
	return out
}

// recentFatal returns up to n bots that failed, latest failure first.
func (f *fleet) recentFatal(n int) []api.Bot {
	var out []api.Bot
	for _, b := range f.bots {
		if b.Status == api.StatusFatal {
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b api.Bot) int { return endTime(b).Compare(endTime(a)) })
	return out[:min(n, len(out))]
}
