package lifecycle

import (
	"context"
	"strconv"
	"sync"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

// releaseBatch bounds the slots one release pass stops at once.
const releaseBatch = 16

// ReleaseSlots stops the applications of RELEASING slots (their bots
// ended) and makes them IDLE, or ERROR when the stop failed, then admits
// the head of the queue onto what was freed. Any daemon may run it: each
// slot is leased to one releaser, so its application is stopped once. A
// daemon that dies mid-release loses the lease and the next pass, here or
// on the leader, takes the slot again.
func (s *Service) ReleaseSlots(ctx context.Context) {
	if s.pool == nil {
		return
	}
	holder := s.cfg.Instance + "/release-" + strconv.FormatInt(s.releaseN.Add(1), 10)
	slots, err := s.store.LeasePoolSlots(ctx, store.LeasePoolSlotsParams{Platform: platforms.Coolify, Holder: holder,
		Statuses: []string{store.SlotReleasing}, Now: s.now(), LeaseFor: s.pool.Config().StopTimeout * 2, Limit: releaseBatch})
	if err != nil {
		s.log.Error("lease slots to release", "err", err)
		return
	}
	var wg sync.WaitGroup
	idle := make(chan bool, len(slots))
	for _, x := range slots {
		wg.Go(func() { idle <- s.releaseSlot(ctx, x, holder) })
	}
	wg.Wait()
	close(idle)
	for ok := range idle {
		if ok {
			s.changed()
			s.AdmitQueued(ctx)
			s.rebalance(ctx) // a head still queued may need a slot of its own platform
			return
		}
	}
}

// releaseSlot stops one slot's application (cancelling a deployment in
// flight, waiting for exited, labelling it idle) and reports whether the
// slot is IDLE now.
func (s *Service) releaseSlot(ctx context.Context, x store.PoolSlot, holder string) bool {
	to, msg := store.SlotIdle, ""
	if x.ApplicationUUID != "" {
		if err := s.platforms[platforms.Coolify].Stop(ctx, x.ApplicationUUID); err != nil {
			s.log.Warn("stop a released slot", "slot", x.Name, "app", x.ApplicationUUID, "err", err)
			to, msg = store.SlotError, truncate("stop: "+err.Error(), 500)
		}
	}
	_, err := s.store.UpdatePoolSlot(ctx, store.UpdatePoolSlotParams{ID: x.ID, Holder: holder, To: to, Error: msg, Now: s.now()})
	if err != nil {
		s.log.Warn("record the released slot", "slot", x.Name, "err", err)
		return false
	}
	s.log.Debug("slot released", "slot", x.Name, "status", to)
	return to == store.SlotIdle
}
