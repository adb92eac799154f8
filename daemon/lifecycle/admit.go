package lifecycle

import (
	"context"
	"errors"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// Admit takes capacity for a bot or queues it, then hands an admitted bot
// to the deployer at once. exclude names platforms not to try (those a
// deploy already failed on).
func (s *Service) Admit(ctx context.Context, botID int64, exclude ...string) (store.AdmitResult, error) {
	return s.admit(ctx, store.AdmitParams{BotID: botID, Exclude: exclude})
}

// admit is Admit with the caller's params; the platforms, run time,
// routing and clock are the service's. A bot its cap refused
// (p.RefuseOverCap) is a concurrency_limit LimitError.
func (s *Service) admit(ctx context.Context, p store.AdmitParams) (store.AdmitResult, error) {
	res, err := s.store.Admit(ctx, s.admitParams(ctx, p))
	return s.afterAdmit(ctx, p.BotID, res, err)
}

// admitParams fills in what every admission takes from the service: the
// platforms, run time, routing and clock.
func (s *Service) admitParams(ctx context.Context, p store.AdmitParams) store.AdmitParams {
	p.Platforms, p.RunTime, p.Now, p.Routing = s.order, s.cfg.MaxBotDuration, s.now(), s.routing(ctx)
	return p
}

// afterAdmit does what follows an admission the store committed: it
// tells the streams and the observer, kicks the deployer, and admits the
// queue when the bot was queued though room existed.
func (s *Service) afterAdmit(ctx context.Context, botID int64, res store.AdmitResult, err error) (store.AdmitResult, error) {
	if err == nil && res.Refused != nil {
		s.changed()
		return res, concurrencyLimit(res.Refused)
	}
	if errors.Is(err, store.ErrConflict) {
		// Admitted (or ended) meanwhile by another caller, such as the
		// scheduler sweeping a bot its create request was admitting.
		return s.admittedElsewhere(ctx, botID, err)
	}
	if err != nil {
		return res, err
	}
	s.changed()
	s.observeAdmit(res)
	if !res.Queued {
		s.deployer.Kick()
		return res, nil
	}
	if !res.Roomy {
		return res, nil // no platform has room: the next release admits the queue
	}
	// Queued behind others while capacity is free: admitting the queue in
	// order may reach this bot too.
	s.AdmitQueued(ctx)
	if b, err := s.store.GetBot(ctx, botID); err == nil && b.Status != api.StatusQueued {
		return store.AdmitResult{Bot: b, Platform: b.DeploymentPlatform}, nil
	}
	return res, nil
}

// admittedElsewhere reports the current state of a bot another caller
// admitted, or the conflict when the bot is still waiting to be admitted.
func (s *Service) admittedElsewhere(ctx context.Context, botID int64, conflict error) (store.AdmitResult, error) {
	b, err := s.store.GetBot(ctx, botID)
	if err != nil {
		return store.AdmitResult{}, err
	}
	if b.Status == api.StatusScheduled {
		return store.AdmitResult{}, conflict
	}
	return store.AdmitResult{Bot: b, Platform: b.DeploymentPlatform, Queued: b.Status == api.StatusQueued}, nil
}

// AdmitQueued moves queue heads into free capacity; it runs after every
// release, so the next bot deploys without waiting for a worker tick.
func (s *Service) AdmitQueued(ctx context.Context) {
	bots, err := s.store.AdmitQueued(ctx, s.admitQueuedParams(ctx))
	if err != nil {
		s.log.Error("admit queued bots", "err", err)
		return
	}
	s.queueAdmitted(bots)
}

// admitQueuedParams is the input of an admission of the queue now.
func (s *Service) admitQueuedParams(ctx context.Context) store.AdmitQueuedParams {
	return store.AdmitQueuedParams{Platforms: s.order, Now: s.now(), Routing: s.routing(ctx)}
}

// queueAdmitted tells the observer and the streams of bots admitted from
// the queue and kicks the deployer.
func (s *Service) queueAdmitted(bots []store.Bot) {
	for _, b := range bots {
		s.observeAdmit(store.AdmitResult{Bot: b, From: api.StatusQueued, Platform: b.DeploymentPlatform})
	}
	if len(bots) > 0 {
		s.changed()
		s.deployer.Kick()
	}
}

// observeAdmit tells the observer what an admission did: capacity taken
// (and the wait, for a bot leaving the queue), or a bot entering the queue.
func (s *Service) observeAdmit(res store.AdmitResult) {
	switch {
	case res.Queued && res.From != api.StatusQueued:
		s.obs.Queued()
	case !res.Queued:
		s.obs.Admitted(res.Platform)
		b := res.Bot
		if res.From == api.StatusQueued && b.QueuedAt != nil && b.DeployStartedAt != nil {
			s.obs.QueueWait(b.DeployStartedAt.Sub(*b.QueuedAt))
		}
	}
}

// AdmitIfDue admits a bot whose join time is within the schedule lead and
// returns its view; a later bot stays SCHEDULED for the scheduler.
func (s *Service) AdmitIfDue(ctx context.Context, b store.Bot) (View, error) {
	if b.JoinAt != nil && b.JoinAt.After(s.now().Add(s.cfg.ScheduleLead)) {
		s.changed()
		return s.View(ctx, b), nil
	}
	res, err := s.Admit(ctx, b.ID)
	if err != nil {
		return View{}, err
	}
	return s.admittedView(ctx, res), nil
}

// admittedView is the view of a bot just admitted or queued, with its
// place and estimated wait when queued.
func (s *Service) admittedView(ctx context.Context, res store.AdmitResult) View {
	if !res.Queued || res.Position == 0 {
		return s.View(ctx, res.Bot)
	}
	v := View{Bot: res.Bot, QueuePosition: res.Position}
	if wait, ok := s.waitOf(ctx, res.Bot, res.Position); ok {
		v.EstimatedWait = wait
	}
	return v
}
