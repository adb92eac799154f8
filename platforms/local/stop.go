package local

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"
)

// stopPoll is how often Stop checks whether an adopted process is gone.
const stopPoll = 50 * time.Millisecond

// Stop ends the bot's process group: SIGTERM, then SIGKILL after the grace
// period. It returns once the process is gone, so the daemon can hand its
// capacity to the next bot straight away. Stopping an unknown or ended
// process is not an error.
func (l *Local) Stop(ctx context.Context, id string) error {
	p := l.lookup(id)
	if p == nil || p.ended() {
		return nil
	}
	return l.stopProc(ctx, p)
}

func (l *Local) stopProc(ctx context.Context, p *proc) error {
	l.mu.Lock()
	p.stopped = true
	l.mu.Unlock()
	if p.adopted && !sameProcessAlive(p.pid, p.ticks) {
		// The pid may belong to someone else by now: never signal it.
		l.checkAdopted(p)
		return nil
	}
	l.signal(p, syscall.SIGTERM)
	if l.awaitEnd(ctx, p, l.cfg.GracePeriod) {
		// The leader is gone; members of the group that ignored SIGTERM
		// must not outlive it.
		l.signal(p, syscall.SIGKILL)
		return nil
	}
	l.log.Warn("bot process ignored SIGTERM, killing it", "id", p.res.ID, "grace", l.cfg.GracePeriod)
	l.signal(p, syscall.SIGKILL)
	if ctx.Err() != nil {
		return fmt.Errorf("local: stop %s: %w", p.res.ID, ctx.Err())
	}
	if !l.awaitEnd(ctx, p, l.cfg.GracePeriod) {
		return fmt.Errorf("local: stop %s: process survived SIGKILL", p.res.ID)
	}
	return nil
}

// awaitEnd waits up to d for p to end and reports whether it did.
func (l *Local) awaitEnd(ctx context.Context, p *proc, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	tick := time.NewTicker(stopPoll)
	defer tick.Stop()
	for {
		select {
		case <-p.done:
			return true
		case <-timer.C:
			return false
		case <-ctx.Done():
			return false
		case <-tick.C:
			if p.adopted {
				l.checkAdopted(p)
			}
		}
	}
}

// signal sends sig to the process group of p. The group id is the pid of
// the shell, which Deploy made a group leader.
func (l *Local) signal(p *proc, sig syscall.Signal) {
	if err := syscall.Kill(-p.pid, sig); err != nil && !errors.Is(err, syscall.ESRCH) {
		l.log.Warn("signal process group", "id", p.res.ID, "signal", sig.String(), "error", err)
	}
}
