package lifecycle

import (
	"context"
	"fmt"
	"time"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/store"
)

// DefaultOrphanAge is how old a pool application no slot names must be
// before the sync deletes it: a younger one may be a creation whose slot
// is about to record it.
const DefaultOrphanAge = 5 * time.Minute

// SyncReport says what one sync of the pool with Coolify found and did.
type SyncReport struct {
	Apps  int // pool applications Coolify listed
	Slots int // slot rows
	// Deleted are applications no slot names, deleted; Forgotten the
	// slots whose application vanished, which make a new one on their
	// next deploy; Removed the slots of those deleted instead, beyond the
	// warm minimum.
	Deleted, Forgotten, Removed []string
}

// SyncSlots reconciles Coolify's pool-* applications with the slot rows.
// A failed or partial listing is an error and changes nothing: a list
// that did not arrive is never an empty pool.
func (s *Service) SyncSlots(ctx context.Context) (SyncReport, error) {
	var rep SyncReport
	if s.pool == nil {
		return rep, fmt.Errorf("coolify is not configured on this daemon")
	}
	apps, err := s.pool.ListPoolApps(ctx)
	if err != nil {
		return rep, fmt.Errorf("list Coolify's applications: %w", err)
	}
	slots, err := s.store.ListPoolSlots(ctx, platforms.Coolify)
	if err != nil {
		return rep, err
	}
	rep.Apps, rep.Slots = len(apps), len(slots)
	named, pending := map[string]bool{}, map[string]bool{}
	for _, x := range slots {
		if x.ApplicationUUID != "" {
			named[x.ApplicationUUID] = true
		} else {
			pending[x.Name] = true
		}
	}
	listed := map[string]bool{}
	for _, a := range apps {
		listed[a.UUID] = true
		if !named[a.UUID] && !pending[a.Name] && s.orphanOld(a) {
			if err := s.pool.Delete(ctx, a.UUID); err != nil {
				s.log.Warn("delete an application no slot names", "app", a.UUID, "name", a.Name, "err", err)
				continue
			}
			rep.Deleted = append(rep.Deleted, a.Name)
		}
	}
	s.vanished(ctx, slots, listed, &rep)
	if len(rep.Deleted)+len(rep.Forgotten)+len(rep.Removed) > 0 {
		s.log.Info("pool synced with Coolify", "deleted", rep.Deleted, "forgotten", rep.Forgotten, "removed", rep.Removed)
		s.changed()
	}
	return rep, nil
}

func (s *Service) orphanOld(a coolify.App) bool {
	age := s.cfg.OrphanAge
	if age <= 0 {
		age = DefaultOrphanAge
	}
	return !a.CreatedAt.IsZero() && s.now().Sub(a.CreatedAt) > age
}

// vanished handles idle and broken slots whose application Coolify no
// longer lists: beyond the warm minimum the slot is removed, otherwise it
// forgets the application and its next deploy makes one. A busy slot is
// left to the bot reconciliation, which ends its bot (resource vanished)
// and so releases it.
func (s *Service) vanished(ctx context.Context, slots []store.PoolSlot, listed map[string]bool, rep *SyncReport) {
	idle := map[string]int{}
	for _, x := range slots {
		if x.Status == store.SlotIdle && (x.ApplicationUUID == "" || listed[x.ApplicationUUID]) {
			idle[x.MeetingPlatform]++
		}
	}
	holder := s.holderFor("sync")
	for _, x := range slots {
		if x.ApplicationUUID == "" || listed[x.ApplicationUUID] || (x.Status != store.SlotIdle && x.Status != store.SlotError) {
			continue
		}
		got, err := s.store.LeasePoolSlots(ctx, store.LeasePoolSlotsParams{Platform: platforms.Coolify, Holder: holder,
			Statuses: []string{x.Status}, IDs: []int64{x.ID}, Now: s.now(), LeaseFor: time.Minute, Limit: 1})
		if err != nil || len(got) == 0 || got[0].ApplicationUUID != x.ApplicationUUID {
			continue
		}
		if idle[x.MeetingPlatform] >= s.pool.Config().MinIdle[x.MeetingPlatform] && s.store.DeletePoolSlot(ctx, x.ID) == nil {
			rep.Removed = append(rep.Removed, x.Name)
			continue
		}
		if _, err := s.store.SetPoolSlotApp(ctx, store.SetPoolSlotAppParams{ID: x.ID, Holder: holder, Now: s.now()}); err == nil {
			rep.Forgotten = append(rep.Forgotten, x.Name)
			idle[x.MeetingPlatform]++
		}
		_ = s.store.ReleasePoolSlotLease(ctx, x.ID, holder)
	}
}
