package lifecycle

import (
	"context"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// sweepBatch bounds the bots one sweep handles; the next pass takes the rest.
const sweepBatch = 500

// PromoteScheduled admits SCHEDULED bots whose join time is within the
// schedule lead.
func (s *Service) PromoteScheduled(ctx context.Context) {
	due := s.now().Add(s.cfg.ScheduleLead)
	bots, err := s.store.FindBots(ctx, store.BotQuery{Statuses: []api.BotStatus{api.StatusScheduled}, JoinAtBefore: &due, Limit: sweepBatch})
	if err != nil {
		s.log.Error("find scheduled bots", "err", err)
		return
	}
	for _, b := range bots {
		if _, err := s.Admit(ctx, b.ID); err != nil {
			s.log.Warn("admit scheduled bot", "bot_id", b.ID, "err", err)
		}
	}
}

// ExpireQueue ends the queued bots that waited longer than their queue
// timeout (FATAL/queue_timeout).
func (s *Service) ExpireQueue(ctx context.Context) {
	bots, err := s.store.ExpireQueue(ctx, s.now())
	if err != nil {
		s.log.Error("expire queue", "err", err)
		return
	}
	for _, b := range bots {
		s.log.Info("bot waited too long in the queue", "bot_id", b.ID)
		s.obs.Ended(b.Status, b.EndReason)
	}
	if len(bots) > 0 {
		s.changed() // their webhooks were enqueued with the expiry
	}
}

// EndMatching ends every bot the query finds, each from the status it was
// found in (so a bot that moved on meanwhile is left alone).
func (s *Service) EndMatching(ctx context.Context, what string, q store.BotQuery, to api.BotStatus, reason, detail string) {
	q.Limit = sweepBatch
	bots, err := s.store.FindBots(ctx, q)
	if err != nil {
		s.log.Error("find "+what, "err", err)
		return
	}
	for _, b := range bots {
		_, _ = s.End(ctx, b.ID, to, reason, detail, b.Status)
	}
}
