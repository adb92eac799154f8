package worker

import (
	"context"
	"time"
)

// Local reconciles, on every daemon, the platforms whose resources only
// that daemon sees (local processes), for the bots it deployed. Its first
// pass runs at start: the processes of bots that ended while the daemon
// was away are stopped before anything else counts on their capacity.
type Local struct {
	Leader *Leader // for its store, clock, services and settings
}

// Run reconciles once now, then every interval until ctx ends.
func (w Local) Run(ctx context.Context) {
	l := w.Leader
	t := time.NewTicker(l.cfg.Interval)
	defer t.Stop()
	for {
		for _, p := range l.life.Order() {
			if pl := l.life.Platform(p.Name); pl != nil && hostBound(pl) {
				owners := []string{l.cfg.Identity}
				if l.cfg.Alone {
					owners = append(owners, "")
				}
				l.reconciler().reconcile(ctx, pl, owners)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
