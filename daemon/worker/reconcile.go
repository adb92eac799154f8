package worker

import (
	"context"
	"errors"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

// reconcile compares a platform's resources with the bots: a resource with
// no live bot is stopped; a live bot whose resource vanished or failed ends
// FATAL. Bots deployed in the last 30 s are left alone, since the listing
// may predate them.
func (l *Leader) reconcile(ctx context.Context, p platforms.Platform) {
	if p == nil {
		return
	}
	listed := l.now()
	resources, err := p.List(ctx)
	if err != nil {
		l.log.Warn("list platform resources; skipping reconciliation", "platform", p.Name(), "err", err)
		return
	}
	byID := map[string]platforms.Resource{}
	for _, res := range resources {
		byID[res.ID] = res
		l.reconcileResource(ctx, p, res)
	}
	bots, err := l.store.FindBots(ctx, store.BotQuery{Statuses: holding(), Platform: p.Name(), Limit: 10000})
	if err != nil {
		l.log.Error("find live bots", "platform", p.Name(), "err", err)
		return
	}
	for _, b := range bots {
		if b.PlatformID == "" || b.DeployStartedAt == nil || b.DeployStartedAt.After(listed.Add(-30*time.Second)) {
			continue
		}
		if _, ok := byID[b.PlatformID]; !ok {
			_, _ = l.life.End(ctx, b.ID, api.StatusFatal, api.ReasonResourceVanished, p.Name()+" resource "+b.PlatformID+" no longer exists", b.Status)
		}
	}
}

func (l *Leader) reconcileResource(ctx context.Context, p platforms.Platform, res platforms.Resource) {
	b, err := l.store.GetBot(ctx, res.BotID)
	orphan := err != nil || b.Status.Terminal() || (b.PlatformID != "" && b.PlatformID != res.ID)
	if orphan && (err == nil || errors.Is(err, store.ErrNotFound)) {
		l.log.Info("stopping orphaned resource", "platform", p.Name(), "resource", res.ID, "bot_id", res.BotID)
		if err := p.Stop(ctx, res.ID); err != nil {
			l.log.Warn("stop orphaned resource", "resource", res.ID, "err", err)
		}
		return
	}
	if err == nil && res.State == platforms.StateFailed {
		l.life.OnResource(ctx, p.Name(), res)
	}
}

func holding() []api.BotStatus {
	var out []api.BotStatus
	for _, st := range api.AllStatuses {
		if st.HoldsCapacity() {
			out = append(out, st)
		}
	}
	return out
}
