package lifecycle

import (
	"context"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/store"
)

// warmUp gives idle slots without an application one, and pulls their
// image on the server when no deploy has yet, by deploying one of them
// with no bot (its container finds none and exits) and stopping it: the
// next bot of that meeting platform then starts without a pull. It runs
// in the background, one warm-up at a time, under leases that last a
// whole deploy timeout, so a daemon that dies mid-way loses them.
func (s *Service) warmUp(ctx context.Context, idle []store.PoolSlot) {
	if len(idle) == 0 || !s.warming.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer s.warming.Store(false)
		ctx := context.WithoutCancel(ctx)
		var ready []store.PoolSlot
		for _, x := range idle {
			if x.ApplicationUUID == "" {
				var ok bool
				if x, ok = s.warmApp(ctx, x); !ok {
					continue
				}
			}
			ready = append(ready, x)
		}
		if len(ready) > 0 {
			s.prePull(ctx, ready[0])
			s.AdmitQueued(ctx) // the slots leased meanwhile are free again
		}
	}()
}

// warmApp makes an idle slot's application under a lease.
func (s *Service) warmApp(ctx context.Context, x store.PoolSlot) (store.PoolSlot, bool) {
	holder := s.holderFor("warm")
	got, err := s.store.LeasePoolSlots(ctx, store.LeasePoolSlotsParams{Platform: platforms.Coolify, Holder: holder,
		Statuses: []string{store.SlotIdle}, IDs: []int64{x.ID}, Now: s.now(), LeaseFor: s.pool.Config().DeployTimeout, Limit: 1})
	if err != nil || len(got) == 0 || got[0].ApplicationUUID != "" {
		return x, false
	}
	defer func() { _ = s.store.ReleasePoolSlotLease(ctx, x.ID, holder) }()
	token := domain.NewSecret(domain.SlotTokenPrefix)
	app, err := s.pool.CreateSlotApp(ctx, coolify.SlotSpec{Name: x.Name, MeetingPlatform: x.MeetingPlatform,
		Env: s.slotEnv(x.MeetingPlatform, token), Secrets: slotSecrets})
	if err != nil {
		s.log.Warn("create a warm slot's application", "slot", x.Name, "err", err)
		return x, false
	}
	x, err = s.store.SetPoolSlotApp(ctx, store.SetPoolSlotAppParams{ID: x.ID, Holder: holder, AppUUID: app.UUID,
		TokenHash: domain.HashSecret(token), Now: s.now()})
	if err != nil {
		_ = s.pool.Delete(ctx, app.UUID)
		return x, false
	}
	s.changed()
	return x, true
}

// prePull deploys an idle slot once to pull its image, when the image is
// not known to be on the server and nobody is pulling it, then stops it.
func (s *Service) prePull(ctx context.Context, x store.PoolSlot) {
	cfg := s.pool.Config()
	key, err := s.pool.PullKey(x.MeetingPlatform)
	if err != nil {
		return
	}
	holder := s.holderFor("prepull")
	// The slot is leased for the while, so admission does not hand it to a
	// bot whose container the stop below would end.
	got, err := s.store.LeasePoolSlots(ctx, store.LeasePoolSlotsParams{Platform: platforms.Coolify, Holder: holder,
		Statuses: []string{store.SlotIdle}, IDs: []int64{x.ID}, Now: s.now(), LeaseFor: cfg.DeployTimeout + cfg.StopTimeout, Limit: 1})
	if err != nil || len(got) == 0 || got[0].ApplicationUUID != x.ApplicationUUID {
		return
	}
	defer func() { _ = s.store.ReleasePoolSlotLease(ctx, x.ID, holder) }()
	p, err := s.store.TryImagePull(ctx, store.ImagePullParams{Key: key, Holder: holder, Now: s.now(), LeaseFor: cfg.DeployTimeout})
	if err != nil || p.State != store.PullMine {
		return
	}
	pulled := false
	defer func() {
		_ = s.store.FinishImagePull(ctx, store.FinishImagePullParams{Key: key, Holder: holder, Pulled: pulled, Now: s.now()})
	}()
	entry := "prepull-" + x.Name
	t, err := s.store.AcquireDeployTurn(ctx, store.DeployTurnParams{Scope: DeployScope, Entry: entry, Holder: holder,
		Max: cfg.DeployConcurrency, Now: s.now(), LeaseFor: cfg.DeployTimeout, WaitFor: cfg.DeployTimeout})
	if err != nil {
		return
	}
	defer func() { _ = s.store.ReleaseDeployTurn(ctx, DeployScope, entry, holder) }()
	if !t.Granted {
		return // the deploys of bots go first; the next pass tries again
	}
	dep, err := s.pool.Deploy(ctx, x.ApplicationUUID)
	if err == nil {
		_, err = s.pool.WaitDeployment(ctx, dep)
	}
	pulled = err == nil
	if err != nil {
		s.log.Warn("pull a warm slot's image", "slot", x.Name, "err", err)
	}
	if err := s.pool.Stop(ctx, x.ApplicationUUID); err != nil {
		s.log.Warn("stop a warm slot after its pull", "slot", x.Name, "err", err)
	}
	s.log.Info("warm slot's image pulled", "slot", x.Name, "pulled", pulled)
}
