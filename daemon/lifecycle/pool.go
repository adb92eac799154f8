package lifecycle

import (
	"context"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// Pool reports capacity per platform in admission order, the queue, and
// bot counts. Capacity is shared by every user, so every user sees it;
// status and today's counts are scope's (0: the whole fleet's).
func (s *Service) Pool(ctx context.Context, scope, userID int64) (api.PoolStatus, error) {
	used, err := s.store.CapacityUsed(ctx)
	if err != nil {
		return api.PoolStatus{}, err
	}
	out := api.PoolStatus{Platforms: []api.PlatformCapacity{}}
	for _, p := range s.order {
		out.Platforms = append(out.Platforms, api.PlatformCapacity{Name: p.Name, Used: used[p.Name], Limit: p.Limit, Free: max(0, p.Limit-used[p.Name])})
	}
	queue, err := s.store.ListQueue(ctx, 0)
	if err != nil {
		return out, err
	}
	out.Queued = len(queue)
	for _, e := range queue {
		if out.OldestQueued == nil || e.QueuedAt.Before(*out.OldestQueued) {
			at := e.QueuedAt
			out.OldestQueued = &at
		}
	}
	if out.StatusCounts, err = s.store.StatusCounts(ctx, scope); err != nil {
		return out, err
	}
	if out.Today, err = s.today(ctx, userID); err != nil {
		return out, err
	}
	out.Slots, err = s.SlotCounts(ctx)
	return out, err
}

// today counts the bots of userID started today (UTC) and, of those, the
// ones that ended DONE and FATAL, so done + failed never exceeds started;
// bots that ended today without ever starting (cancelled, or expired in the
// queue) are counted apart.
func (s *Service) today(ctx context.Context, userID int64) (api.DayCounts, error) {
	var dc api.DayCounts
	day := UTCDay(s.now())
	next := day.Add(24 * time.Hour)
	spans, err := s.store.BotSpans(ctx, userID, day, next)
	if err != nil {
		return dc, err
	}
	in := func(t *time.Time) bool { return t != nil && !t.Before(day) && t.Before(next) }
	for _, sp := range spans {
		switch {
		case in(sp.StartedAt):
			dc.Started++
			if sp.Status == api.StatusDone {
				dc.Done++
			} else if sp.Status == api.StatusFatal {
				dc.Failed++
			}
		case sp.StartedAt == nil && in(sp.EndedAt):
			dc.NotStarted++
		}
	}
	return dc, nil
}

// Slots lists the reusable container slots.
func (s *Service) Slots(ctx context.Context) ([]store.PoolSlot, error) {
	return s.store.ListPoolSlots(ctx, "")
}
