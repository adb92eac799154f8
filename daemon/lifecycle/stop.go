package lifecycle

import (
	"context"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

// LiveHostBound lists the live bots of the platforms whose resources only
// this daemon sees (its local processes), deployed by one of owners.
func (s *Service) LiveHostBound(ctx context.Context, owners []string) ([]store.Bot, error) {
	var out []store.Bot
	for _, p := range s.order {
		if hb, ok := s.platforms[p.Name].(platforms.HostBound); !ok || !hb.HostBound() {
			continue
		}
		bots, err := s.store.FindBots(ctx, store.BotQuery{Statuses: HoldingStatuses(), Platform: p.Name, DeployedBy: owners, Limit: 10000})
		if err != nil {
			return nil, err
		}
		out = append(out, bots...)
	}
	return out, nil
}

// EndHostBound ends those bots FATAL/daemon_stopped: the daemon stops, and
// their processes with it, so they are over at once instead of being found
// vanished when a daemon next looks.
func (s *Service) EndHostBound(ctx context.Context, owners []string) int {
	bots, err := s.LiveHostBound(ctx, owners)
	if err != nil {
		s.log.Error("find this daemon's local bots", "err", err)
		return 0
	}
	n := 0
	for _, b := range bots {
		if _, err := s.End(ctx, b.ID, api.StatusFatal, api.ReasonDaemonStopped, "the daemon running the bot's process stopped", b.Status); err == nil {
			n++
		}
	}
	return n
}
