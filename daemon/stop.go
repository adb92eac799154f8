package daemon

import (
	"context"
	"time"
)

// A drain looks for its bots every drainPoll and says how many are left
// every drainProgress.
const (
	drainPoll     = 250 * time.Millisecond
	drainProgress = 5 * time.Second
)

// owners are the daemon names whose local bots are this daemon's: its own,
// and on SQLite (one daemon) the bots deployed before bots recorded theirs.
func (s *Server) owners() []string {
	if s.store.Engine() == "sqlite" {
		return []string{s.identity, ""}
	}
	return []string{s.identity}
}

// Drain waits, for at most timeout, until this daemon's local bots have
// ended, saying every few seconds how many are left. It takes no new bot
// meanwhile, and keeps serving the API, so running bots can report.
func (s *Server) Drain(ctx context.Context, timeout time.Duration) {
	s.life.Deployer().Pause()
	deadline := time.Now().Add(timeout)
	var said time.Time
	for {
		bots, err := s.life.LiveHostBound(ctx, s.owners())
		switch {
		case err != nil:
			s.log.Error("drain: find local bots", "err", err)
		case len(bots) == 0:
			s.log.Info("drain: every local bot has ended")
			return
		case time.Now().After(deadline):
			s.log.Warn("drain: timed out; ending the bots still running", "bots", len(bots), "timeout", timeout)
			return
		case time.Since(said) >= drainProgress:
			said = time.Now()
			s.log.Info("drain: waiting for local bots to end", "bots", len(bots), "left", time.Until(deadline).Round(time.Second))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(drainPoll):
		}
	}
}

// endLocalBots ends this daemon's remaining local bots as it stops.
func (s *Server) endLocalBots(ctx context.Context) {
	if n := s.life.EndHostBound(ctx, s.owners()); n > 0 {
		s.log.Info("ended the local bots of this daemon as it stops", "bots", n, "reason", "daemon_stopped")
	}
}
