package lifecycle

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

// Transition changes a bot's status through the one transition table. An
// illegal change is a *domain.TransitionError naming both statuses.
func (s *Service) Transition(ctx context.Context, p store.TransitionParams) (store.Bot, error) {
	if p.Now.IsZero() {
		p.Now = s.now()
	}
	if p.Event != nil && p.Event.Time.IsZero() {
		p.Event.Time = p.Now
	}
	b, admitted, err := s.transition(ctx, p)
	if errors.Is(err, store.ErrConflict) {
		if cur, gerr := s.store.GetBot(ctx, p.BotID); gerr == nil {
			return cur, &domain.TransitionError{From: cur.Status, To: p.To}
		}
	}
	if err != nil {
		return b, err
	}
	s.changed()
	if b.Status.Terminal() {
		s.obs.Ended(b.Status, b.EndReason)
		s.queueAdmitted(admitted)
		go s.StopResource(context.WithoutCancel(ctx), b)
	}
	return b, nil
}

// transition makes the change in the store. What an ending bot frees goes
// to the queue in the same commit; should that admission fail, the end
// must not fail with it (one queued bot the store cannot admit would keep
// every bot from ending), so the end is made alone and the queue admitted
// after it, as its own transaction that logs what it cannot do.
func (s *Service) transition(ctx context.Context, p store.TransitionParams) (store.Bot, []store.Bot, error) {
	if !p.To.Terminal() {
		b, err := s.store.Transition(ctx, p)
		return b, nil, err
	}
	b, admitted, err := s.store.EndAndAdmit(ctx, p, s.admitQueuedParams(ctx))
	if err == nil || errors.Is(err, store.ErrConflict) {
		return b, admitted, err
	}
	s.log.Warn("end and admit the queue in one transaction; ending alone", "bot_id", p.BotID, "err", err)
	if b, err = s.store.Transition(ctx, p); err == nil {
		go func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			s.AdmitQueued(ctx)
		}()
	}
	return b, nil, err
}

// End moves a bot to DONE or FATAL with a reason, recording a status event
// so the bot's history says who ended it and why. from, when given, is the
// only statuses it may end from (a bot that moved on meanwhile is left
// alone).
func (s *Service) End(ctx context.Context, botID int64, to api.BotStatus, reason, detail string, from ...api.BotStatus) (store.Bot, error) {
	data, _ := json.Marshal(map[string]string{"sub_code": reason, "description": detail})
	return s.Transition(ctx, store.TransitionParams{
		BotID: botID, To: to, From: from, Reason: reason, Detail: detail,
		Event: &store.Event{BotID: botID, Type: string(to), Data: data},
	})
}

// StopResource stops the platform resource of an ended bot, if it has one.
func (s *Service) StopResource(ctx context.Context, b store.Bot) {
	if b.PoolSlotID != nil && b.DeploymentPlatform == platforms.Coolify && s.pool != nil {
		// The bot's end left its slot RELEASING: the release stops the
		// slot's application, so it is never stopped under a next bot.
		s.ReleaseSlots(ctx)
		return
	}
	if b.PlatformID == "" {
		return
	}
	p, ok := s.platforms[b.DeploymentPlatform]
	if !ok {
		return
	}
	if err := p.Stop(ctx, b.PlatformID); err != nil {
		s.log.Error("stop platform resource", "bot_id", b.ID, "platform", b.DeploymentPlatform, "resource", b.PlatformID, "err", err)
	}
}
