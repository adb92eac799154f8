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
	bots  map[int64]api.Bot
	pool  *api.PoolStatus
	slots []api.PoolSlot
	queue []api.QueueEntry
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
// (streams and listings can cross) is ignored.
func (f *fleet) upsert(b api.Bot) {
	if old, ok := f.bots[b.ID]; ok && b.UpdatedAt.Before(old.UpdatedAt) {
		return
	}
	f.bots[b.ID] = b
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
