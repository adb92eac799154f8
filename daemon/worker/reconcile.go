package worker

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/lifecycle"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

// DefaultVanishGrace is how long after its deploy started a bot's
// resource may be missing from what the platform reports before the bot
// counts as vanished: platforms answer a resource's existence eventually
// (ECS DescribeTasks can miss a task just started).
const DefaultVanishGrace = 15 * time.Second

// pageSize is the bots one query of a sweep reads.
const pageSize = 1000

// reconciler compares a platform's resources with the bots that should
// have them.
type reconciler struct {
	grace time.Duration
	log   *slog.Logger
	store store.Store
	now   func() time.Time
	life  *lifecycle.Service
}

// reconcile stops resources no live bot owns, ends live bots whose
// resource failed, and ends those whose resource vanished. A resource
// counts as vanished only when the platform, asked about it directly
// after its deploy was recorded, says it does not exist: a listing alone
// may predate a deploy that finished while it was taken.
// owners, when set, narrows it to the bots those daemons deployed (for a
// platform only one daemon sees); nil takes every bot of the platform.
func (r reconciler) reconcile(ctx context.Context, p platforms.Platform, owners []string) {
	resources, listErr := p.List(ctx)
	bots, err := r.liveBots(ctx, p.Name(), owners)
	if err != nil {
		r.log.Error("find live bots", "platform", p.Name(), "err", err)
		return
	}
	byID := make(map[int64]store.Bot, len(bots))
	for _, b := range bots {
		byID[b.ID] = b
	}
	listed := map[string]bool{}
	if listErr != nil {
		r.log.Warn("list platform resources; checking bots one by one instead", "platform", p.Name(), "err", listErr)
	}
	if len(owners) > 0 {
		// Resources of bots this daemon did not deploy: their bots are
		// read too, so a live bot of another daemon is not taken for an
		// orphan (one query for them all).
		if err := r.addOthers(ctx, resources, byID); err != nil {
			r.log.Error("find bots of listed resources", "platform", p.Name(), "err", err)
			return
		}
	}
	for _, res := range resources {
		listed[res.ID] = true
		r.resource(ctx, p, res, byID)
	}
	var unsure []store.Bot
	for _, b := range bots {
		if b.PlatformID != "" && b.DeployStartedAt != nil && r.now().Sub(*b.DeployStartedAt) > r.grace && (listErr != nil || !listed[b.PlatformID]) {
			unsure = append(unsure, b)
		}
	}
	r.check(ctx, p, unsure)
}

// addOthers adds to bots the live ones, deployed by another daemon, that
// listed resources belong to.
func (r reconciler) addOthers(ctx context.Context, resources []platforms.Resource, bots map[int64]store.Bot) error {
	var ids []int64
	for _, res := range resources {
		if _, ok := bots[res.BotID]; !ok && res.BotID > 0 {
			ids = append(ids, res.BotID)
		}
	}
	for len(ids) > 0 {
		n := min(len(ids), pageSize)
		found, err := r.store.FindBots(ctx, store.BotQuery{Statuses: lifecycle.HoldingStatuses(), IDs: ids[:n], Limit: n})
		if err != nil {
			return err
		}
		for _, b := range found {
			bots[b.ID] = b
		}
		ids = ids[n:]
	}
	return nil
}

// resource acts on one listed resource: a resource no live bot of the
// platform owns is stopped (unless it has finished already), and a live
// bot's failed resource ends the bot.
func (r reconciler) resource(ctx context.Context, p platforms.Platform, res platforms.Resource, bots map[int64]store.Bot) {
	b, live := bots[res.BotID]
	finished := res.State == platforms.StateSucceeded || res.State == platforms.StateFailed
	switch {
	case !live || (b.PlatformID != "" && b.PlatformID != res.ID):
		if finished || p.Name() == platforms.Coolify {
			// Nothing to stop: the platform keeps it for a while. A slot's
			// application outlives its bots; the pool's workers own it.
			return
		}
		r.log.Info("stopping orphaned resource", "platform", p.Name(), "resource", res.ID, "bot_id", res.BotID)
		if err := p.Stop(ctx, res.ID); err != nil {
			r.log.Warn("stop orphaned resource", "resource", res.ID, "err", err)
		}
	case finished && b.PlatformID == res.ID:
		r.life.OnResource(ctx, p.Name(), res)
	}
}

// check asks the platform about each bot's resource directly: in one call
// when it can (ECS), else one by one. A resource it does not know ends its
// bot FATAL/resource_vanished; a finished one goes through OnResource.
func (r reconciler) check(ctx context.Context, p platforms.Platform, bots []store.Bot) {
	if len(bots) == 0 {
		return
	}
	states, err := r.statuses(ctx, p, bots)
	if err != nil {
		r.log.Warn("check platform resources", "platform", p.Name(), "err", err)
		return
	}
	for _, b := range bots {
		res, ok := states[b.PlatformID]
		if !ok {
			_, _ = r.life.End(ctx, b.ID, api.StatusFatal, api.ReasonResourceVanished, p.Name()+" resource "+b.PlatformID+" no longer exists", b.Status)
			continue
		}
		r.life.OnResource(ctx, p.Name(), res)
	}
}

// statuses reads the resources of bots, absent from the map when the
// platform does not know them. An error means nothing may be concluded.
func (r reconciler) statuses(ctx context.Context, p platforms.Platform, bots []store.Bot) (map[string]platforms.Resource, error) {
	ids := make([]string, len(bots))
	for i, b := range bots {
		ids[i] = b.PlatformID
	}
	if bs, ok := p.(platforms.BatchStatuser); ok {
		return bs.Statuses(ctx, ids)
	}
	out := make(map[string]platforms.Resource, len(ids))
	for _, id := range ids {
		res, err := p.Status(ctx, id)
		if errors.Is(err, platforms.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = res
	}
	return out, nil
}

// liveBots reads every bot holding capacity on the platform (deployed by
// one of owners, when set), one query per page.
func (r reconciler) liveBots(ctx context.Context, platform string, owners []string) ([]store.Bot, error) {
	var out []store.Bot
	q := store.BotQuery{Statuses: lifecycle.HoldingStatuses(), Platform: platform, DeployedBy: owners, Limit: pageSize}
	for {
		page, err := r.store.FindBots(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < pageSize {
			return out, nil
		}
		q.AfterID = page[len(page)-1].ID
	}
}
