package local

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/meeboter/meeboter/platforms"
)

// Deploy starts the bot command and returns at once; it does not wait for
// the bot to do anything. It returns platforms.ErrFull when Limit bots
// already run: the daemon counts capacity in its database, and this check
// only guards against a count that drifted from reality.
func (l *Local) Deploy(ctx context.Context, spec platforms.DeploySpec) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("local: deploy bot %d: %w", spec.BotID, err)
	}
	if err := l.reserve(); err != nil {
		return "", fmt.Errorf("local: deploy bot %d: %w", spec.BotID, err)
	}
	p, err := l.start(spec)
	if err != nil {
		l.unreserve()
		return "", fmt.Errorf("local: deploy bot %d: %w", spec.BotID, err)
	}
	l.log.Info("bot process started", "id", p.res.ID, "bot_id", spec.BotID, "pid", p.pid)
	return p.res.ID, nil
}

// reserve takes a place under the limit for a deploy in progress, so that
// concurrent deploys cannot all pass the check. The place passes to the
// process when track registers it, in the same critical section, so no
// check ever counts one deploy twice; a deploy that fails before that
// gives it back with unreserve.
func (l *Local) reserve() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return errors.New("platform closed")
	}
	if l.runningLocked()+l.starting >= l.cfg.Limit {
		return platforms.ErrFull
	}
	l.starting++
	return nil
}

func (l *Local) unreserve() {
	l.mu.Lock()
	l.starting--
	l.mu.Unlock()
}

func (l *Local) runningLocked() int {
	n := 0
	for _, p := range l.procs {
		if !p.ended() {
			n++
		}
	}
	return n
}

// start runs the command in its own process group, writes its pid file
// and starts the goroutines that pump its output and wait for its end.
func (l *Local) start(spec platforms.DeploySpec) (*proc, error) {
	home := l.homeDir(spec.BotID)
	if err := l.runAs.prepareHome(home); err != nil {
		return nil, fmt.Errorf("make the bot's home: %w", err)
	}
	cmd := exec.Command("/bin/sh", "-c", l.cfg.Command)
	cmd.Env = BotEnv(l.cfg.Environ, l.cfg.PassEnv, home, spec.Env)
	cmd.Dir = home
	// Setpgid makes the shell the leader of a new group, so Stop can
	// signal the shell and every process under it with one kill(-pgid).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: l.runAs.credential()}
	var pidfd int
	withPidFD(cmd, &pidfd)
	pumps, err := l.attachOutput(cmd, spec.BotID)
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		pumps.abort()
		return nil, fmt.Errorf("start command: %w", err)
	}
	pumps.started()
	pid := cmd.Process.Pid
	p := &proc{
		res:     platforms.Resource{ID: resourceID(spec.BotID, pid), BotID: spec.BotID, State: platforms.StateRunning},
		pid:     pid,
		started: time.Now().UTC(),
		done:    make(chan struct{}),
	}
	if haveProcfs {
		if _, p.ticks, err = procStat(pid); err != nil {
			l.killNow(p)
			go func() { _, _ = reap(cmd, pidfd) }() // killed: only the zombie is left to reap
			return nil, fmt.Errorf("read process start time: %w", err)
		}
	}
	rec := pidRecord{ID: p.res.ID, BotID: spec.BotID, PID: pid, StartTicks: p.ticks, StartedAt: p.started}
	if err := l.track(p, rec, func() { l.wait(cmd, pidfd, p, pumps) }); err != nil {
		// Without a pid file a daemon restart would lose the bot, so it
		// must not run at all.
		l.killNow(p)
		go func() { _, _ = reap(cmd, pidfd) }()
		return nil, err
	}
	return p, nil
}

// track writes the pid file and registers p in one critical section, so a
// concurrent List never sees the file of a process it does not know and
// adopts our own child by mistake. The deploy's reservation becomes the
// registered process there too. waiter runs until p ends.
func (l *Local) track(p *proc, rec pidRecord, waiter func()) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return errors.New("platform closed")
	}
	if err := l.writePidFile(rec); err != nil {
		return fmt.Errorf("write pid file: %w", err)
	}
	l.procs[p.res.ID] = p
	l.starting--
	l.notifyLocked(p.res)
	l.wg.Go(waiter)
	return nil
}

// wait reaps the process and records how it ended. The output pumps get a
// moment to deliver the last lines first, so the daemon has the bot's
// final words before it learns of the exit; a grandchild still holding
// the pipes open must not delay that for long.
func (l *Local) wait(cmd *exec.Cmd, pidfd int, p *proc, pumps *outputPumps) {
	ws, err := reap(cmd, pidfd)
	select {
	case <-pumps.done:
	case <-time.After(time.Second):
	}
	detail, ok := exitStateOf(ws, err)
	state := platforms.StateFailed
	if ok {
		state = platforms.StateSucceeded
	}
	l.finish(p, state, detail)
}

// homeDir is the bot's own HOME, made at deploy and removed when the
// process ends, so nothing of the daemon's home (its CLI config and admin
// key) is a bot's. It lies in the state dir, or, for bots run as another
// user, who cannot enter the daemon's private directories, in a directory
// of the system's temporary one that only its owner may list.
func (l *Local) homeDir(botID int64) string {
	base := filepath.Join(l.cfg.StateDir, "home")
	if l.runAs != nil {
		base = filepath.Join(os.TempDir(), "meeboter-bot-homes-"+strconv.Itoa(os.Geteuid()))
	}
	return filepath.Join(base, strconv.FormatInt(botID, 10))
}

// killNow kills the process group of p at once, without a grace period.
func (l *Local) killNow(p *proc) {
	if err := syscall.Kill(-p.pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		l.log.Warn("kill process group", "pid", p.pid, "error", err)
	}
}
