package lifecycle

import (
	"context"
	"errors"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/platforms"
)

// exitGrace is how long a bot whose resource finished cleanly has to
// report its own end before the daemon ends it.
const exitGrace = 5 * time.Second

// OnResource ends a live bot whose resource failed, with the platform's
// reason (image_pull_failed, oom_killed, ...). A resource that finished
// cleanly gives the bot a few seconds to report its own end first. It is
// fed by platform watches and by reconciliation.
func (s *Service) OnResource(ctx context.Context, platform string, res platforms.Resource) {
	if res.State != platforms.StateFailed && res.State != platforms.StateSucceeded {
		return
	}
	b, err := s.store.GetBot(ctx, res.BotID)
	if err != nil || b.Status.Terminal() || b.PlatformID != res.ID || b.DeploymentPlatform != platform {
		return
	}
	if res.State == platforms.StateFailed {
		_, _ = s.End(ctx, b.ID, api.StatusFatal, orDefault(res.Reason, "resource_failed"), res.Detail, b.Status)
		return
	}
	time.AfterFunc(exitGrace, func() {
		ctx := context.WithoutCancel(ctx)
		cur, err := s.store.GetBot(ctx, b.ID)
		if err != nil || cur.Status.Terminal() || cur.PlatformID != res.ID || !s.stillEnded(ctx, platform, res.ID) {
			return
		}
		to, reason := api.StatusFatal, "exited"
		if cur.Status == api.StatusLeaving || cur.Status == api.StatusCallEnded {
			to, reason = api.StatusDone, api.ReasonLeftByRequest
		}
		_, _ = s.End(ctx, cur.ID, to, reason, "the bot process ended without reporting DONE", cur.Status)
	})
}

// stillEnded asks the platform again about a resource reported finished a
// grace period ago: one that runs again (a pool slot's application
// redeployed, a status that lagged behind) keeps its bot. A platform that
// cannot answer now concludes nothing; the next report comes with the
// next reconciliation.
func (s *Service) stillEnded(ctx context.Context, platform, id string) bool {
	p := s.platforms[platform]
	if p == nil {
		return true
	}
	res, err := p.Status(ctx, id)
	switch {
	case errors.Is(err, platforms.ErrNotFound):
		return true
	case err != nil:
		return false
	}
	return res.State == platforms.StateSucceeded || res.State == platforms.StateFailed
}
