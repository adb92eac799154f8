package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// admit takes capacity for a bot or queues it, then hands an admitted bot
// to the deployer at once.
func (s *Server) admit(ctx context.Context, botID int64, exclude ...string) (store.AdmitResult, error) {
	res, err := s.store.Admit(ctx, store.AdmitParams{BotID: botID, Platforms: s.order, Exclude: exclude, Now: s.now()})
	if errors.Is(err, store.ErrConflict) {
		// Admitted (or ended) meanwhile by another caller, such as the
		// scheduler sweeping a bot its create request was admitting.
		return s.admittedElsewhere(ctx, botID, err)
	}
	if err != nil {
		return res, err
	}
	s.publish(res.Bot)
	if !res.Queued {
		s.deployer.kick()
		return res, nil
	}
	// Queued behind others while capacity may be free: admitting the queue
	// in order may reach this bot too.
	s.admitQueued(ctx)
	if b, err := s.store.GetBot(ctx, botID); err == nil && b.Status != api.StatusQueued {
		return store.AdmitResult{Bot: b, Platform: b.DeploymentPlatform}, nil
	}
	return res, nil
}

// admittedElsewhere reports the current state of a bot another caller
// admitted, or the conflict when the bot is still waiting to be admitted.
func (s *Server) admittedElsewhere(ctx context.Context, botID int64, conflict error) (store.AdmitResult, error) {
	b, err := s.store.GetBot(ctx, botID)
	if err != nil {
		return store.AdmitResult{}, err
	}
	if b.Status == api.StatusScheduled {
		return store.AdmitResult{}, conflict
	}
	return store.AdmitResult{Bot: b, Platform: b.DeploymentPlatform, Queued: b.Status == api.StatusQueued}, nil
}

// admitQueued moves queue heads into free capacity; it runs after every
// release, so the next bot deploys without waiting for a worker tick.
func (s *Server) admitQueued(ctx context.Context) {
	bots, err := s.store.AdmitQueued(ctx, store.AdmitQueuedParams{Platforms: s.order, Now: s.now()})
	if err != nil {
		s.log.Error("admit queued bots", "err", err)
		return
	}
	for _, b := range bots {
		s.publish(b)
	}
	if len(bots) > 0 {
		s.deployer.kick()
	}
}

// transition changes a bot's status through the one transition table. An
// illegal change is an invalid_transition problem naming both statuses.
func (s *Server) transition(ctx context.Context, p store.TransitionParams) (store.Bot, error) {
	if p.Now.IsZero() {
		p.Now = s.now()
	}
	if p.Event != nil && p.Event.Time.IsZero() {
		p.Event.Time = p.Now
	}
	b, err := s.store.Transition(ctx, p)
	if errors.Is(err, store.ErrConflict) {
		if cur, gerr := s.store.GetBot(ctx, p.BotID); gerr == nil {
			return cur, errInvalidTransition(cur.Status, p.To)
		}
	}
	if err != nil {
		return b, err
	}
	s.publish(b)
	if p.Event != nil {
		s.hub.publishEvent(b.UserID, *p.Event)
	}
	if b.Status.Terminal() {
		s.afterEnd(b)
	}
	return b, nil
}

// end moves a bot to DONE or FATAL with a reason, recording a status event
// so the bot's history says who ended it and why.
func (s *Server) end(ctx context.Context, botID int64, to api.BotStatus, reason, detail string, from ...api.BotStatus) (store.Bot, error) {
	data, _ := json.Marshal(map[string]string{"sub_code": reason, "description": detail})
	return s.transition(ctx, store.TransitionParams{
		BotID: botID, To: to, From: from, Reason: reason, Detail: detail,
		Event: &store.Event{BotID: botID, Type: string(to), Data: data},
	})
}

// afterEnd releases what an ended bot held: its capacity goes to the head
// of the queue at once (the database already counts it free), while its
// platform resource is stopped, which may take a grace period. The
// transition enqueued the bot's webhook; the deliverer sends it now rather
// than at its next poll.
func (s *Server) afterEnd(b store.Bot) {
	if b.CallbackURL != "" {
		s.webhooks.kick()
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	go func() {
		defer cancel()
		s.admitQueued(ctx)
	}()
	go s.stopResource(context.WithoutCancel(ctx), b)
}

func (s *Server) stopResource(ctx context.Context, b store.Bot) {
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

// publish sends a bot's new state to the event streams.
func (s *Server) publish(b store.Bot) {
	s.hub.publishBot(b, s.botToAPI(b))
}

// leave asks a bot to leave its call. A bot that has not started is
// cancelled instead; a bot already leaving or ended is returned unchanged.
func (s *Server) leave(ctx context.Context, b store.Bot) (store.Bot, error) {
	switch {
	case b.Status == api.StatusScheduled || b.Status == api.StatusQueued ||
		(b.Status == api.StatusDeploying && b.PlatformID == ""):
		return s.cancel(ctx, b)
	case b.Status == api.StatusLeaving || b.Status == api.StatusCallEnded:
		return b, nil
	case b.Status.Terminal():
		return b, errInvalidTransition(b.Status, api.StatusLeaving)
	}
	return s.transition(ctx, store.TransitionParams{
		BotID: b.ID, To: api.StatusLeaving, From: []api.BotStatus{b.Status},
		Event: &store.Event{BotID: b.ID, Type: "USER_REMOVED_FROM_CALL", Data: json.RawMessage(`{"description":"removed from the call by request"}`)},
	})
}

// cancellable are the statuses from which cancel ends a bot; later, the bot
// is in the call and must be asked to leave.
var cancellable = []api.BotStatus{api.StatusScheduled, api.StatusQueued, api.StatusDeploying, api.StatusJoiningCall}

// cancel ends a bot that has not joined its call: it leaves the queue for
// good and any started resource is stopped.
func (s *Server) cancel(ctx context.Context, b store.Bot) (store.Bot, error) {
	out, err := s.transition(ctx, store.TransitionParams{
		BotID: b.ID, To: api.StatusDone, From: cancellable, Reason: api.ReasonCancelled,
		Event: &store.Event{BotID: b.ID, Type: "USER_CANCELLED_DEPLOYMENT", Data: json.RawMessage(`{"description":"cancelled by request"}`)},
	})
	var pe *problemError
	if errors.As(err, &pe) && pe.code == api.CodeInvalidTransition {
		pe.detail += "; a bot in the call is removed with leave"
	}
	return out, err
}
