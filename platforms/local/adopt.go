package local

import (
	"context"
	"os"
	"time"

	"github.com/meeboter/meeboter/platforms"
)

// adopt takes over a process an earlier daemon run started, when the pid
// file still names a live process with the recorded start time. A pid
// file naming a dead (or recycled) pid is stale and removed.
func (l *Local) adopt(rec pidRecord) *proc {
	if !sameProcessAlive(rec.PID, rec.StartTicks) {
		if err := os.Remove(l.pidPath(rec.ID)); err == nil {
			l.log.Info("removed stale pid file", "id", rec.ID, "pid", rec.PID)
		}
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if p, ok := l.procs[rec.ID]; ok {
		return p
	}
	if l.closed {
		return nil
	}
	p := &proc{
		res:     platforms.Resource{ID: rec.ID, BotID: rec.BotID, State: platforms.StateRunning},
		pid:     rec.PID,
		ticks:   rec.StartTicks,
		started: rec.StartedAt,
		adopted: true,
		done:    make(chan struct{}),
	}
	l.procs[rec.ID] = p
	l.notifyLocked(p.res)
	l.wg.Go(func() { l.poll(p) })
	l.log.Info("adopted bot process", "id", rec.ID, "bot_id", rec.BotID, "pid", rec.PID)
	return p
}

// poll watches an adopted process, which is not our child and so cannot
// be waited for, until it ends or the platform closes.
func (l *Local) poll(p *proc) {
	t := time.NewTicker(l.cfg.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-l.quit:
			return
		case <-t.C:
			l.checkAdopted(p)
		}
	}
}

// checkAdopted records the end of an adopted process once it is gone. Its
// exit status went to its real parent, so the end reads as a failure with
// an unknown status; a bot that finished well has told the daemon so
// through the agent API already.
func (l *Local) checkAdopted(p *proc) {
	if !sameProcessAlive(p.pid, p.ticks) {
		l.finish(p, platforms.StateFailed, "exit status unknown: process adopted from an earlier daemon run")
	}
}

// List returns the running bot processes, adopting those of earlier
// daemon runs first, so the daemon can reconcile them after a restart.
func (l *Local) List(ctx context.Context) ([]platforms.Resource, error) {
	ids, err := l.pidFiles()
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		l.lookup(id)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []platforms.Resource
	for _, p := range l.procs {
		if !p.ended() {
			out = append(out, p.res)
		}
	}
	return out, nil
}

// Status reports one process, adopting it if an earlier run started it.
// Ended processes keep their final state until evicted (KeepExited).
func (l *Local) Status(_ context.Context, id string) (platforms.Resource, error) {
	p := l.lookup(id)
	if p == nil {
		return platforms.Resource{ID: id}, platforms.ErrNotFound
	}
	if p.adopted {
		l.checkAdopted(p) // do not wait for the next poll to tell the truth
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return p.res, nil
}
