package lifecycle

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/store"
)

// maxSlotsAtOnce bounds one request to add slots.
const maxSlotsAtOnce = 100

// errNoPool answers pool management on a daemon without Coolify.
func errNoPool() error {
	return domain.Conflict("the Coolify pool is not configured on this daemon (PLATFORM_PRIORITY has no coolify)")
}

// CreateSlots adds count idle slots for a meeting platform, as many as
// COOLIFY_POOL_MAX leaves room for, and makes their applications (and
// pulls their image) in the background, as the warm pool does.
func (s *Service) CreateSlots(ctx context.Context, meetingPlatform string, count int) ([]store.PoolSlot, error) {
	if !slices.Contains(coolify.MeetingPlatforms, meetingPlatform) {
		return nil, domain.Invalid("meetingPlatform", "must be one of google-meet, microsoft-teams, zoom")
	}
	if count < 1 || count > maxSlotsAtOnce {
		return nil, domain.Invalid("count", "must be between 1 and %d", maxSlotsAtOnce)
	}
	pl, ok := s.poolLimit()
	if !ok || s.pool == nil {
		return nil, errNoPool()
	}
	added, err := s.store.AddPoolSlots(ctx, store.AddPoolSlotsParams{Platform: platforms.Coolify, MeetingPlatform: meetingPlatform,
		Count: count, Pool: pl.Pool, Now: s.now()})
	if err != nil {
		return nil, err
	}
	if len(added) == 0 {
		return nil, domain.Conflict("the pool is full: COOLIFY_POOL_MAX is %d", pl.Pool.Max)
	}
	s.changed()
	s.warmUp(ctx, added)
	return added, nil
}

// DeleteSlot deletes a slot: its bot, if it runs one, ends FATAL, then the
// row goes and with it the application (Coolify's deletion stops its
// container).
func (s *Service) DeleteSlot(ctx context.Context, id int64) error {
	if s.pool == nil {
		return errNoPool()
	}
	x, err := s.store.GetPoolSlot(ctx, id)
	if err != nil {
		return domain.NotFoundIf(err, "pool slot "+strconv.FormatInt(id, 10))
	}
	for range 50 {
		if x.AssignedBotID != nil {
			_, _ = s.End(ctx, *x.AssignedBotID, api.StatusFatal, api.ReasonPlatformError, "pool slot "+x.Name+" was deleted")
		}
		err = s.store.DeletePoolSlot(ctx, id)
		if !errors.Is(err, store.ErrConflict) {
			break
		}
		// A bot took it meanwhile, or is still ending: read it again.
		time.Sleep(100 * time.Millisecond)
		if x, err = s.store.GetPoolSlot(ctx, id); err != nil {
			break
		}
	}
	if err != nil {
		return domain.NotFoundIf(err, "pool slot "+strconv.FormatInt(id, 10))
	}
	s.changed()
	if x.ApplicationUUID != "" {
		if err := s.pool.Delete(ctx, x.ApplicationUUID); err != nil {
			s.log.Warn("delete a slot's application; the sync will", "slot", x.Name, "err", err)
		}
	}
	return nil
}

// SlotCounts counts the slots of each meeting platform by state, in
// coolify.MeetingPlatforms order; nil without a pool.
func (s *Service) SlotCounts(ctx context.Context) ([]api.SlotCounts, error) {
	if s.pool == nil {
		return nil, nil
	}
	slots, err := s.store.ListPoolSlots(ctx, platforms.Coolify)
	if err != nil {
		return nil, err
	}
	out := make([]api.SlotCounts, 0, len(coolify.MeetingPlatforms))
	for _, mp := range coolify.MeetingPlatforms {
		c := api.SlotCounts{MeetingPlatform: mp, MinIdle: s.pool.Config().MinIdle[mp]}
		for _, x := range slots {
			if x.MeetingPlatform != mp {
				continue
			}
			c.Total++
			switch x.Status {
			case store.SlotIdle:
				c.Idle++
			case store.SlotDeploying, store.SlotHealthy:
				c.Busy++
			case store.SlotReleasing:
				c.Releasing++
			case store.SlotError:
				c.Error++
			}
		}
		out = append(out, c)
	}
	return out, nil
}
