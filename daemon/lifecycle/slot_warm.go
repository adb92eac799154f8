package lifecycle

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/store"
)

// poolLimit is the Coolify platform's place in admission, with its pool.
func (s *Service) poolLimit() (store.PlatformLimit, bool) {
	for _, p := range s.order {
		if p.Name == platforms.Coolify && p.Pool != nil {
			return p, true
		}
	}
	return store.PlatformLimit{}, false
}

// rebalance makes room for the head of the queue when the pool is full of
// idle slots of other meeting platforms: a slot serves one platform for
// its whole life, so without this a full pool of idle Meet slots would
// keep a Zoom bot queued for ever. The least recently used idle slot of
// another platform (beyond COOLIFY_POOL_MIN_IDLE) is deleted, and the
// queue admitted onto the room.
func (s *Service) rebalance(ctx context.Context) {
	pl, ok := s.poolLimit()
	if !ok {
		return
	}
	queue, err := s.store.ListQueue(ctx, 0)
	if err != nil || len(queue) == 0 {
		return
	}
	head, err := s.store.GetBot(ctx, queue[0].BotID)
	if err != nil {
		return
	}
	slots, err := s.store.ListPoolSlots(ctx, platforms.Coolify)
	if err != nil || len(slots) < pl.Pool.Max {
		return
	}
	used, err := s.store.CapacityUsed(ctx)
	if err != nil || used[platforms.Coolify] >= pl.Limit {
		return // the bot limit, not the pool, holds the queue
	}
	for _, x := range slots {
		if x.MeetingPlatform == head.Meeting.Platform && x.Status == store.SlotIdle {
			return // it is about to be admitted there
		}
	}
	if victim, ok := s.spareIdle(slots, head.Meeting.Platform); ok {
		s.log.Info("deleting an idle slot to make room for another meeting platform", "slot", victim.Name, "for", head.Meeting.Platform)
		if s.leaseAndDelete(ctx, victim) {
			s.AdmitQueued(ctx)
		}
	}
}

// spareIdle is the least recently used idle slot not of meeting platform
// keep, whose platform has more idle slots than its warm minimum.
func (s *Service) spareIdle(slots []store.PoolSlot, keep string) (store.PoolSlot, bool) {
	idle := map[string]int{}
	for _, x := range slots {
		if x.Status == store.SlotIdle {
			idle[x.MeetingPlatform]++
		}
	}
	var best *store.PoolSlot
	for i, x := range slots {
		if x.Status != store.SlotIdle || x.MeetingPlatform == keep || idle[x.MeetingPlatform] <= s.pool.Config().MinIdle[x.MeetingPlatform] {
			continue
		}
		if best == nil || lastUsed(x).Before(lastUsed(*best)) {
			best = &slots[i]
		}
	}
	if best == nil {
		return store.PoolSlot{}, false
	}
	return *best, true
}

func lastUsed(x store.PoolSlot) time.Time {
	if x.LastUsedAt != nil {
		return *x.LastUsedAt
	}
	return x.CreatedAt
}

// leaseAndDelete deletes an idle slot nobody leases.
func (s *Service) leaseAndDelete(ctx context.Context, x store.PoolSlot) bool {
	holder := s.holderFor("delete")
	got, err := s.store.LeasePoolSlots(ctx, store.LeasePoolSlotsParams{Platform: platforms.Coolify, Holder: holder,
		Statuses: []string{store.SlotIdle}, IDs: []int64{x.ID}, Now: s.now(), LeaseFor: s.deployer.slotLease(), Limit: 1})
	if err != nil || len(got) == 0 {
		return false
	}
	return s.deleteSlot(ctx, got[0])
}

// keepWarm keeps COOLIFY_POOL_MIN_IDLE idle slots per meeting platform,
// or more while reservations start within MEEBOTER_WARM_AHEAD (see
// WarmTargets), created, with their applications made and their image
// pulled, and deletes idle slots beyond that unused for
// COOLIFY_POOL_IDLE_TTL.
func (s *Service) keepWarm(ctx context.Context) {
	pl, ok := s.poolLimit()
	if !ok {
		return
	}
	slots, err := s.store.ListPoolSlots(ctx, platforms.Coolify)
	if err != nil {
		return
	}
	keep := s.warmWanted(ctx)
	for _, mp := range coolify.MeetingPlatforms {
		idle := slices.DeleteFunc(slices.Clone(slots), func(x store.PoolSlot) bool {
			return x.MeetingPlatform != mp || x.Status != store.SlotIdle
		})
		if want := keep[mp]; len(idle) < want {
			added, err := s.store.AddPoolSlots(ctx, store.AddPoolSlotsParams{Platform: platforms.Coolify, MeetingPlatform: mp,
				Count: want - len(idle), Pool: pl.Pool, Now: s.now()})
			if err != nil {
				s.log.Warn("add warm slots", "meeting_platform", mp, "err", err)
			}
			idle = append(idle, added...)
		}
		if keep[mp] > 0 {
			s.warmUp(ctx, idle)
		}
		s.expireIdle(ctx, idle, keep[mp])
	}
}

// warmWanted is how many idle slots each meeting platform keeps warm: its
// COOLIFY_POOL_MIN_IDLE, or the slots the reservations starting soon need
// (within the warm budget) when that is more. A failed read of the
// reservations keeps the minimum alone.
func (s *Service) warmWanted(ctx context.Context) map[string]int {
	want := maps.Clone(s.pool.Config().MinIdle)
	if want == nil {
		want = map[string]int{}
	}
	targets, err := s.WarmTargets(ctx)
	if err != nil {
		s.log.Warn("read the reservations to warm slots for", "err", err)
		return want
	}
	for _, t := range targets {
		if t.Platform == platforms.Coolify {
			want[t.MeetingPlatform] = max(want[t.MeetingPlatform], t.Slots)
		}
	}
	return want
}

// expireIdle deletes the idle slots beyond keep unused for the idle TTL,
// least recently used first.
func (s *Service) expireIdle(ctx context.Context, idle []store.PoolSlot, keep int) {
	ttl := s.pool.Config().IdleTTL
	if ttl <= 0 || len(idle) <= keep {
		return
	}
	slices.SortFunc(idle, func(a, b store.PoolSlot) int { return lastUsed(a).Compare(lastUsed(b)) })
	for _, x := range idle[:len(idle)-keep] {
		if s.now().Sub(lastUsed(x)) > ttl {
			s.leaseAndDelete(ctx, x)
		}
	}
}
