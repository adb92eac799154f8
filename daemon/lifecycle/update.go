package lifecycle

import (
	"context"
	"errors"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// Update changes a bot until it is deployed. A new join time reschedules
// it: a bot that becomes due is admitted at once.
func (s *Service) Update(ctx context.Context, b store.Bot, req api.UpdateBotRequest) (View, error) {
	patch, err := s.patch(req)
	if err != nil {
		return View{}, err
	}
	if err := s.checkPlanDuration(ctx, b.UserID, req.MaxDurationSeconds); err != nil {
		return View{}, err
	}
	if b.Status != api.StatusScheduled && b.Status != api.StatusQueued {
		return View{}, domain.Conflict("a %s bot can no longer be changed; only SCHEDULED and QUEUED bots can", b.Status)
	}
	patch.Rebook = s.rebooking(ctx, b, patch, req.BestEffort)
	b, err = s.store.UpdateBot(ctx, b.UserID, b.ID, patch)
	if errors.Is(err, store.ErrCapacityUnavailable) {
		return View{}, s.capacityError(err)
	}
	if errors.Is(err, store.ErrConflict) {
		return View{}, domain.Conflict("the bot was deployed meanwhile and can no longer be changed")
	}
	if err != nil {
		return View{}, err
	}
	if b.Status == api.StatusScheduled {
		return s.AdmitIfDue(ctx, b)
	}
	s.changed()
	return s.View(ctx, b), nil
}

func (s *Service) patch(req api.UpdateBotRequest) (store.BotPatch, error) {
	v := &domain.Validator{}
	p := store.BotPatch{DisplayName: req.DisplayName, ImageURL: req.ImageURL, CallbackURL: req.CallbackURL, Metadata: req.Metadata, Now: s.now()}
	if req.DisplayName != nil {
		v.Check(*req.DisplayName != "", "displayName", "must not be empty")
		v.MaxLen(*req.DisplayName, 255, "displayName")
	}
	if req.ImageURL != nil {
		validateHTTPURL(v, *req.ImageURL, "imageUrl")
	}
	if req.CallbackURL != nil {
		validateHTTPURL(v, *req.CallbackURL, "callbackUrl")
	}
	validateMetadata(v, req.Metadata)
	v.Check(!(req.JoinNow && req.JoinAt != nil), "joinNow", "cannot be combined with joinAt")
	switch {
	case req.JoinNow:
		now := s.now()
		jp := &now
		p.JoinAt = &jp
	case req.JoinAt != nil:
		v.Check(req.JoinAt.Before(s.now().Add(maxJoinAhead)), "joinAt", "must be within 90 days")
		jp := req.JoinAt
		p.JoinAt = &jp
	}
	if req.MaxDurationSeconds != nil {
		validateDuration(v, *req.MaxDurationSeconds, "maxDurationSeconds")
		d := time.Duration(*req.MaxDurationSeconds) * time.Second
		p.MaxDuration = &d
	}
	if req.AutomaticLeave != nil {
		al := *req.AutomaticLeave
		validateLeave(v, &al, "automaticLeave")
		sal := store.AutomaticLeave(al)
		p.AutomaticLeave = &sal
	}
	return p, v.Err()
}

// checkPlanDuration refuses a new maximum duration over the owner's plan's,
// as a create does.
func (s *Service) checkPlanDuration(ctx context.Context, userID int64, secs *int64) error {
	if secs == nil {
		return nil
	}
	lim, err := s.plans.Limits(ctx, store.User{ID: userID})
	if err != nil {
		return err
	}
	planMax := int64(lim.MaxBotDuration / time.Second)
	if planMax > 0 && *secs > planMax {
		return domain.Invalid("maxDurationSeconds", "must be at most %d on the %s plan", planMax, lim.Plan)
	}
	return nil
}
