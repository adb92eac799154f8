package daemon

import (
	"context"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

// runWorkers is one pass of the leader's maintenance. Each step is bounded
// and idempotent, so a pass cut short is simply redone by the next.
func (s *Server) runWorkers(ctx context.Context) {
	s.promoteScheduled(ctx)
	s.expireQueue(ctx)
	s.admitQueued(ctx)
	s.expireHeartbeats(ctx)
	s.expireDeploys(ctx)
	s.expireLeaves(ctx)
	for _, p := range s.order {
		s.reconcile(ctx, s.platforms[p.Name])
	}
	s.purge(ctx)
}

const workerBatch = 500

// promoteScheduled admits SCHEDULED bots whose join time is within the lead.
func (s *Server) promoteScheduled(ctx context.Context) {
	due := s.now().Add(s.cfg.ScheduleLead)
	bots, err := s.store.FindBots(ctx, store.BotQuery{Statuses: []api.BotStatus{api.StatusScheduled}, JoinAtBefore: &due, Limit: workerBatch})
	if err != nil {
		s.log.Error("find scheduled bots", "err", err)
		return
	}
	for _, b := range bots {
		if _, err := s.admit(ctx, b.ID); err != nil {
			s.log.Warn("admit scheduled bot", "bot_id", b.ID, "err", err)
		}
	}
}

func (s *Server) expireQueue(ctx context.Context) {
	bots, err := s.store.ExpireQueue(ctx, s.now())
	if err != nil {
		s.log.Error("expire queue", "err", err)
		return
	}
	for _, b := range bots {
		s.log.Info("bot waited too long in the queue", "bot_id", b.ID)
		s.publish(b)
	}
	if len(bots) > 0 {
		s.webhooks.kick() // their webhooks were enqueued with the expiry
	}
}

// endMatching ends every bot the query finds, each from the status it was
// found in (so a bot that moved on meanwhile is left alone).
func (s *Server) endMatching(ctx context.Context, what string, q store.BotQuery, to api.BotStatus, reason, detail string) {
	q.Limit = workerBatch
	bots, err := s.store.FindBots(ctx, q)
	if err != nil {
		s.log.Error("find "+what, "err", err)
		return
	}
	for _, b := range bots {
		_, _ = s.end(ctx, b.ID, to, reason, detail, b.Status)
	}
}

// expireHeartbeats ends bots that stopped heartbeating: their process or
// container is gone or hung, and it is stopped.
func (s *Server) expireHeartbeats(ctx context.Context) {
	before := s.now().Add(-s.cfg.HeartbeatTimeout)
	live := []api.BotStatus{api.StatusJoiningCall, api.StatusInWaitingRoom, api.StatusInCall, api.StatusLeaving, api.StatusCallEnded}
	s.endMatching(ctx, "silent bots", store.BotQuery{Statuses: live, HeartbeatBefore: &before},
		api.StatusFatal, api.ReasonHeartbeatTimeout, "no heartbeat for "+s.cfg.HeartbeatTimeout.String())
}

// expireDeploys ends bots stuck in DEPLOYING, counted from their deploy
// start (not their creation, which a queued bot may be long past).
func (s *Server) expireDeploys(ctx context.Context) {
	before := s.now().Add(-s.cfg.DeployTimeout)
	s.endMatching(ctx, "stuck deploys", store.BotQuery{Statuses: []api.BotStatus{api.StatusDeploying}, DeployBefore: &before},
		api.StatusFatal, api.ReasonDeployTimeout, "not started within "+s.cfg.DeployTimeout.String())
}

// expireLeaves ends bots that were asked to leave and did not within the
// grace period: their resource is stopped (afterEnd) and they end DONE, as
// the user asked for them to be gone.
func (s *Server) expireLeaves(ctx context.Context) {
	before := s.now().Add(-s.cfg.LeaveGrace)
	s.endMatching(ctx, "lingering leaves", store.BotQuery{Statuses: []api.BotStatus{api.StatusLeaving}, UpdatedBefore: &before},
		api.StatusDone, api.ReasonLeftByRequest, "stopped: the bot did not leave within "+s.cfg.LeaveGrace.String())
}

// reconcile compares a platform's resources with the bots: a resource with
// no live bot is stopped; a live bot whose resource vanished or failed ends
// FATAL. Bots deployed in the last 30 s are left alone, since the listing
// may predate them.
func (s *Server) reconcile(ctx context.Context, p platforms.Platform) {
	if p == nil {
		return
	}
	listed := s.now()
	resources, err := p.List(ctx)
	if err != nil {
		s.log.Warn("list platform resources; skipping reconciliation", "platform", p.Name(), "err", err)
		return
	}
	byID := map[string]platforms.Resource{}
	for _, res := range resources {
		byID[res.ID] = res
		s.reconcileResource(ctx, p, res)
	}
	bots, err := s.store.FindBots(ctx, store.BotQuery{Statuses: holding(), Platform: p.Name(), Limit: 10000})
	if err != nil {
		s.log.Error("find live bots", "platform", p.Name(), "err", err)
		return
	}
	for _, b := range bots {
		if b.PlatformID == "" || b.DeployStartedAt == nil || b.DeployStartedAt.After(listed.Add(-30*time.Second)) {
			continue
		}
		if _, ok := byID[b.PlatformID]; !ok {
			_, _ = s.end(ctx, b.ID, api.StatusFatal, api.ReasonResourceVanished, p.Name()+" resource "+b.PlatformID+" no longer exists", b.Status)
		}
	}
}

func (s *Server) reconcileResource(ctx context.Context, p platforms.Platform, res platforms.Resource) {
	b, err := s.store.GetBot(ctx, res.BotID)
	orphan := err != nil || b.Status.Terminal() || (b.PlatformID != "" && b.PlatformID != res.ID)
	if orphan && (err == nil || isNotFound(err)) {
		s.log.Info("stopping orphaned resource", "platform", p.Name(), "resource", res.ID, "bot_id", res.BotID)
		if err := p.Stop(ctx, res.ID); err != nil {
			s.log.Warn("stop orphaned resource", "resource", res.ID, "err", err)
		}
		return
	}
	if err == nil && res.State == platforms.StateFailed {
		s.onResource(ctx, p.Name(), res)
	}
}

func holding() []api.BotStatus {
	var out []api.BotStatus
	for _, st := range api.AllStatuses {
		if st.HoldsCapacity() {
			out = append(out, st)
		}
	}
	return out
}

// onResource ends a live bot whose resource failed, with the platform's
// reason (image_pull_failed, oom_killed, ...). A resource that finished
// cleanly gives the bot a few seconds to report its own end first.
func (s *Server) onResource(ctx context.Context, platform string, res platforms.Resource) {
	if res.State != platforms.StateFailed && res.State != platforms.StateSucceeded {
		return
	}
	b, err := s.store.GetBot(ctx, res.BotID)
	if err != nil || b.Status.Terminal() || b.PlatformID != res.ID || b.DeploymentPlatform != platform {
		return
	}
	if res.State == platforms.StateFailed {
		_, _ = s.end(ctx, b.ID, api.StatusFatal, orDefault(res.Reason, "resource_failed"), res.Detail, b.Status)
		return
	}
	time.AfterFunc(5*time.Second, func() {
		cur, err := s.store.GetBot(context.WithoutCancel(ctx), b.ID)
		if err != nil || cur.Status.Terminal() {
			return
		}
		to, reason := api.StatusFatal, "exited"
		if cur.Status == api.StatusLeaving || cur.Status == api.StatusCallEnded {
			to, reason = api.StatusDone, api.ReasonLeftByRequest
		}
		_, _ = s.end(context.WithoutCancel(ctx), cur.ID, to, reason, "the bot process ended without reporting DONE", cur.Status)
	})
}

// purge drops request logs and idempotency records past their use, once
// an hour.
func (s *Server) purge(ctx context.Context) {
	if s.now().Sub(s.lastPurge) < time.Hour {
		return
	}
	s.lastPurge = s.now()
	if _, err := s.store.PurgeOlderThan(ctx, s.now().Add(-30*24*time.Hour)); err != nil {
		s.log.Warn("purge old records", "err", err)
	}
}
