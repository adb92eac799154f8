package lifecycle

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/store"
)

// MaxSlotRecoveries is how many times a slot may break without a good
// deploy in between before recovery deletes it instead: a slot that
// always fails is replaced by a new one.
const MaxSlotRecoveries = 3

// MaintainSlots is the leader's pass over the Coolify pool: release what
// a dead daemon left RELEASING, recover broken and stuck slots, make room
// for the queue's head, keep the warm pool, and reconcile with Coolify.
func (s *Service) MaintainSlots(ctx context.Context) {
	if s.pool == nil {
		return
	}
	s.ReleaseSlots(ctx)
	s.recoverSlots(ctx)
	s.rebalance(ctx)
	s.keepWarm(ctx)
	// The sync lists every application of the team: once a minute keeps
	// it a small part of Coolify's rate limit.
	if last := s.lastSync.Load(); s.now().Unix()-last < int64(SyncInterval.Seconds()) {
		return
	}
	s.lastSync.Store(s.now().Unix())
	if _, err := s.SyncSlots(ctx); err != nil {
		s.log.Warn("sync the pool with Coolify; nothing changed", "err", err)
	}
}

// SyncInterval is how often the leader syncs the pool with Coolify.
const SyncInterval = time.Minute

// holderFor names a maintenance task's leases, distinct per call.
func (s *Service) holderFor(task string) string {
	return s.cfg.Instance + "/" + task + "-" + strconv.FormatInt(s.releaseN.Add(1), 10)
}

// recoverSlots takes ERROR slots back to IDLE (or deletes them after
// MaxSlotRecoveries), settles DEPLOYING slots whose deployer vanished, and
// releases HEALTHY slots that run no bot.
func (s *Service) recoverSlots(ctx context.Context) {
	holder := s.holderFor("recover")
	broken, err := s.store.LeasePoolSlots(ctx, store.LeasePoolSlotsParams{Platform: platforms.Coolify, Holder: holder,
		Statuses: []string{store.SlotError}, Now: s.now(), LeaseFor: 2 * s.pool.Config().StopTimeout, Limit: releaseBatch})
	if err != nil {
		s.log.Error("lease broken slots", "err", err)
		return
	}
	for _, x := range broken {
		s.recoverSlot(ctx, x, holder)
	}
	s.settleStuck(ctx, holder)
	s.releaseBotless(ctx)
}

// recoverSlot recovers one ERROR slot: its bot, if it still has one, ends
// FATAL; a slot past MaxSlotRecoveries is deleted with its application;
// otherwise its application is stopped (or forgotten when it vanished,
// so the next deploy makes a new one) and the slot is IDLE again.
func (s *Service) recoverSlot(ctx context.Context, x store.PoolSlot, holder string) {
	if x.AssignedBotID != nil {
		if _, err := s.End(ctx, *x.AssignedBotID, api.StatusFatal, api.ReasonPlatformError, "pool slot "+x.Name+" broke: "+x.ErrorMessage); err != nil {
			s.log.Warn("end the bot of a broken slot", "slot", x.Name, "err", err)
		}
	}
	if x.RecoveryAttempts >= MaxSlotRecoveries {
		s.log.Info("deleting a slot that keeps failing", "slot", x.Name, "attempts", x.RecoveryAttempts, "error", x.ErrorMessage)
		s.deleteSlot(ctx, x)
		return
	}
	if x.ApplicationUUID != "" {
		_, err := s.pool.App(ctx, x.ApplicationUUID)
		switch {
		case errors.Is(err, coolify.ErrNotFound):
			_, err = s.store.SetPoolSlotApp(ctx, store.SetPoolSlotAppParams{ID: x.ID, Holder: holder, Now: s.now()})
		case err == nil:
			err = s.pool.Stop(ctx, x.ApplicationUUID)
		}
		if err != nil {
			s.log.Warn("recover a broken slot; trying again later", "slot", x.Name, "err", err)
			_ = s.store.ReleasePoolSlotLease(ctx, x.ID, holder)
			return
		}
	}
	if _, err := s.store.UpdatePoolSlot(ctx, store.UpdatePoolSlotParams{ID: x.ID, Holder: holder, To: store.SlotIdle, Now: s.now()}); err != nil {
		s.log.Warn("record the recovered slot", "slot", x.Name, "err", err)
		return
	}
	s.log.Info("slot recovered", "slot", x.Name, "attempts", x.RecoveryAttempts)
	s.AdmitQueued(ctx)
}

// deleteSlot removes a slot no bot holds: the row first (which fails if a
// bot took it meanwhile), then its application. An application whose
// deletion failed has no slot any more, and the sync deletes it later.
func (s *Service) deleteSlot(ctx context.Context, x store.PoolSlot) bool {
	if err := s.store.DeletePoolSlot(ctx, x.ID); err != nil {
		s.log.Warn("delete a slot", "slot", x.Name, "err", err)
		return false
	}
	if x.ApplicationUUID != "" {
		if err := s.pool.Delete(ctx, x.ApplicationUUID); err != nil {
			s.log.Warn("delete a slot's application; the sync will", "slot", x.Name, "app", x.ApplicationUUID, "err", err)
		}
	}
	s.changed()
	return true
}

// settleStuck looks at DEPLOYING slots unchanged for longer than a deploy
// may take and nobody leases (their deployer died): one whose bot runs is
// HEALTHY; one whose bot is gone is broken, for recovery. A bot still
// waiting for its deploy is left to the deployers, which take it over
// once its claim runs out, and to the deploy timeout.
func (s *Service) settleStuck(ctx context.Context, holder string) {
	before := s.now().Add(-s.pool.Config().DeployTimeout)
	stuck, err := s.store.LeasePoolSlots(ctx, store.LeasePoolSlotsParams{Platform: platforms.Coolify, Holder: holder,
		Statuses: []string{store.SlotDeploying}, ChangedBefore: &before, Now: s.now(), LeaseFor: s.deployer.slotLease(), Limit: releaseBatch})
	if err != nil {
		s.log.Error("lease stuck slots", "err", err)
		return
	}
	for _, x := range stuck {
		var b store.Bot
		if x.AssignedBotID != nil {
			b, err = s.store.GetBot(ctx, *x.AssignedBotID)
		}
		switch {
		case err != nil && !errors.Is(err, store.ErrNotFound):
			_ = s.store.ReleasePoolSlotLease(ctx, x.ID, holder)
		case x.AssignedBotID == nil || b.Status.Terminal():
			_, err = s.store.UpdatePoolSlot(ctx, store.UpdatePoolSlotParams{ID: x.ID, Holder: holder, To: store.SlotError,
				Error: "deploy abandoned", Now: s.now()})
		case b.PlatformID != "":
			_, err = s.store.UpdatePoolSlot(ctx, store.UpdatePoolSlotParams{ID: x.ID, Holder: holder, To: store.SlotHealthy, Now: s.now()})
		default:
			_ = s.store.ReleasePoolSlotLease(ctx, x.ID, holder)
		}
		if err != nil {
			s.log.Warn("settle a stuck slot", "slot", x.Name, "err", err)
		}
	}
}

// releaseBotless releases HEALTHY slots that run no bot, which only an
// interrupted release leaves: their application is stopped before any
// next bot may take them.
func (s *Service) releaseBotless(ctx context.Context) {
	slots, err := s.store.ListPoolSlots(ctx, platforms.Coolify)
	if err != nil {
		return
	}
	for _, x := range slots {
		if x.Status == store.SlotHealthy && x.AssignedBotID == nil {
			_, _ = s.store.UpdatePoolSlot(ctx, store.UpdatePoolSlotParams{ID: x.ID, To: store.SlotReleasing, Now: s.now()})
		}
	}
}
