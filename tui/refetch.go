package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/meeboter/meeboter/api"
)

// coolifyPlatform is the name the daemon gives the Coolify platform, the
// one that keeps a pool of slots. The dashboard speaks only the API, so
// it names it rather than importing the daemon's platform list.
const coolifyPlatform = "coolify"

// staleParts says which parts of the fleet a bot change makes out of date.
// Any status change moves the counts and, often, capacity; a bot entering
// or leaving QUEUED moves the queue; a bot on a pooled platform takes or
// frees a slot. A change that keeps status and platform (metadata, a
// heartbeat) touches none of them.
func staleParts(old api.Bot, known bool, b api.Bot, pooled map[string]bool) fleetPart {
	if known && old.Status == b.Status && old.DeploymentPlatform == b.DeploymentPlatform {
		return 0
	}
	parts := partPool
	if b.Status == api.StatusQueued || (known && old.Status == api.StatusQueued) {
		parts |= partQueue
	}
	if pooled[b.DeploymentPlatform] || (known && pooled[old.DeploymentPlatform]) {
		parts |= partSlots
	}
	return parts
}

// markStale adds parts to what the next refetch reads, and starts its
// timer unless one runs: changes that come in a burst cost one read.
func (m *Model) markStale(parts fleetPart) tea.Cmd {
	if parts == 0 {
		return nil
	}
	m.stale |= parts
	if m.refetchPending {
		return nil
	}
	m.refetchPending = true
	return tea.Tick(m.opts.RefetchDelay, func(time.Time) tea.Msg { return refetchMsg{} })
}

// pooled names the platforms that run bots in reusable slots: those with
// slots, and Coolify, whose pool may be empty yet.
func (f *fleet) pooled() map[string]bool {
	out := map[string]bool{coolifyPlatform: true}
	for _, s := range f.slots {
		out[s.Platform] = true
	}
	return out
}
