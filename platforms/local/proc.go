package local

import (
	"fmt"
	"os"
	"time"

	"github.com/meeboter/meeboter/platforms"
)

// proc is one bot process, running or ended. Fields other than done are
// guarded by Local.mu.
type proc struct {
	res     platforms.Resource
	pid     int
	ticks   uint64 // start time in clock ticks since boot, from /proc
	started time.Time
	adopted bool // started by an earlier daemon run: not our child
	stopped bool // Stop was called, recorded in the final Detail
	done    chan struct{}
}

func (p *proc) ended() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// resourceID names a process after its bot and pid, which is unique among
// live processes and readable in `ps` output.
func resourceID(botID int64, pid int) string {
	return fmt.Sprintf("local-%d-%d", botID, pid)
}

// finish records the final state of p once, removes its pid file, and
// tells the watchers. Later calls do nothing, so a waiter and a Stop of an
// adopted process may race to it.
func (l *Local) finish(p *proc, state platforms.ResourceState, detail string) {
	l.mu.Lock()
	if p.ended() {
		l.mu.Unlock()
		return
	}
	p.res.State = state
	if state == platforms.StateFailed {
		p.res.Reason = ReasonExited
	}
	if p.stopped {
		detail = "stopped: " + detail
	}
	p.res.Detail = detail
	close(p.done)
	l.exited = append(l.exited, p.res.ID)
	l.evictLocked()
	l.notifyLocked(p.res)
	l.mu.Unlock()

	if err := os.Remove(l.pidPath(p.res.ID)); err != nil && !os.IsNotExist(err) {
		l.log.Warn("remove pid file", "id", p.res.ID, "error", err)
	}
	if err := os.RemoveAll(l.homeDir(p.res.BotID)); err != nil {
		l.log.Warn("remove the bot's home", "bot_id", p.res.BotID, "error", err)
	}
	l.log.Info("bot process ended", "id", p.res.ID, "bot_id", p.res.BotID, "state", state, "detail", detail)
}

// evictLocked forgets the oldest ended processes beyond KeepExited: Status
// then answers ErrNotFound for them, which the daemon reads as vanished,
// by which time it has long since acted on the pushed final state.
func (l *Local) evictLocked() {
	for len(l.exited) > l.cfg.KeepExited {
		delete(l.procs, l.exited[0])
		l.exited = l.exited[1:]
	}
}

// lookup returns the process with the given id, adopting it from its pid
// file when an earlier daemon run started it. It returns nil when the id
// is unknown.
func (l *Local) lookup(id string) *proc {
	l.mu.Lock()
	p := l.procs[id]
	l.mu.Unlock()
	if p != nil {
		return p
	}
	rec, err := readPidFile(l.pidPath(id))
	if err != nil {
		return nil
	}
	return l.adopt(rec)
}
