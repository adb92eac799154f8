package sandbox

import (
	"context"
	"time"
)

// loop flushes every interval until ctx ends.
func (s *shipper) loop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for s.pending() > 0 {
				if err := s.flush(ctx); err != nil {
					if ctx.Err() == nil && !quiet(err) {
						s.console.Warn("shipping logs failed, will retry", "error", err, "pending", s.pending())
					}
					break
				}
			}
		}
	}
}

// drain sends everything left before the bot exits, retrying with b.
func (s *shipper) drain(ctx context.Context, b backoff) {
	for s.pending() > 0 {
		if err := b.do(ctx, s.flush); err != nil {
			if !quiet(err) {
				s.console.Warn("could not ship the last logs", "error", err, "lost", s.pending())
			}
			return
		}
	}
	s.mu.Lock()
	dropped := s.dropped
	s.mu.Unlock()
	if dropped > 0 {
		s.console.Warn("log entries dropped while the daemon was unreachable", "dropped", dropped)
	}
}
