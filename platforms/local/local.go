package local

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/meeboter/meeboter/platforms"
)

// ReasonExited is the Resource.Reason of a bot process that ended with a
// non-zero status or a signal; Resource.Detail says which.
const ReasonExited = "exited"

// Config configures a Local platform. Zero values take the defaults named
// on each field.
type Config struct {
	// Command is the shell command line that runs one bot. Default: this
	// binary's own path followed by " sandbox-bot", run with exec. A single
	// command should be run with exec too, so the bot itself (not a shell
	// waiting for it) is the process whose exit status Status reports.
	Command string
	// Limit is the most bots run at once (LOCAL_BOT_LIMIT). Default 4.
	Limit int
	// StateDir holds one pid file per running bot. It must survive daemon
	// restarts, so it belongs under the daemon's data dir. Required.
	StateDir string
	// LogSink receives every line a bot writes; stream is "stdout" or
	// "stderr". It is called from several goroutines at once. Nil logs the
	// lines at debug level.
	LogSink func(botID int64, stream string, line string)
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// GracePeriod is how long Stop waits after SIGTERM before SIGKILL.
	// Default 10 s.
	GracePeriod time.Duration
	// KeepExited bounds how many ended processes Status still reports.
	// Default 1000.
	KeepExited int
	// PollInterval is how often an adopted process, which is not our
	// child and cannot be waited for, is checked for life. Default 1 s.
	PollInterval time.Duration
	// Environ is the environment the allowed variables are taken from
	// (see BotEnv). Nil means os.Environ().
	Environ []string
	// PassEnv names further variables of Environ bots receive
	// (MEEBOTER_LOCAL_BOT_ENV).
	PassEnv []string
	// User runs bot processes as this user (name or uid;
	// MEEBOTER_LOCAL_BOT_USER) instead of the daemon's.
	User string
}

// Local is the local process platform. It is safe for concurrent use.
type Local struct {
	cfg   Config
	log   *slog.Logger
	runAs *runAs // nil: bots run as the daemon's user

	mu       sync.Mutex
	procs    map[string]*proc // running and remembered exited processes
	exited   []string         // ids of ended processes, oldest first
	starting int              // deploys between the limit check and registration
	watchers map[*watcher]struct{}
	closed   bool
	quit     chan struct{} // closed by Close once every bot was stopped
	quitOnce sync.Once
	wg       sync.WaitGroup // wait and poll goroutines
}

var (
	_ platforms.Platform  = (*Local)(nil)
	_ platforms.Watcher   = (*Local)(nil)
	_ platforms.HostBound = (*Local)(nil)
)

// New checks cfg, fills defaults and returns the platform. Processes left
// by an earlier daemon run are adopted lazily, by List, Status and Stop.
func New(cfg Config) (*Local, error) {
	if cfg.StateDir == "" {
		return nil, errors.New("local: StateDir is required")
	}
	if err := os.MkdirAll(cfg.StateDir, 0o700); err != nil {
		return nil, fmt.Errorf("local: create state dir: %w", err)
	}
	if cfg.Command == "" {
		cmd, err := defaultCommand()
		if err != nil {
			return nil, err
		}
		cfg.Command = cmd
	}
	cfg.Limit = cmp.Or(cfg.Limit, 4)
	cfg.GracePeriod = cmp.Or(cfg.GracePeriod, 10*time.Second)
	cfg.KeepExited = cmp.Or(cfg.KeepExited, 1000)
	cfg.PollInterval = cmp.Or(cfg.PollInterval, time.Second)
	if cfg.Environ == nil {
		cfg.Environ = os.Environ()
	}
	if err := CheckPassEnv(cfg.PassEnv); err != nil {
		return nil, err
	}
	as, err := lookupRunAs(cfg.User)
	if err != nil {
		return nil, err
	}
	logger := cmp.Or(cfg.Logger, slog.Default()).With("component", "platform_local")
	return &Local{
		cfg:      cfg,
		runAs:    as,
		log:      logger,
		procs:    map[string]*proc{},
		watchers: map[*watcher]struct{}{},
		quit:     make(chan struct{}),
	}, nil
}

// defaultCommand runs the sandbox bot of this very binary, quoted for the
// shell because binaries may live under paths with spaces.
func defaultCommand() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("local: find own executable: %w", err)
	}
	return "exec " + shellQuote(exe) + " sandbox-bot", nil
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Name returns platforms.Local.
func (l *Local) Name() string { return platforms.Local }

// Capacity returns the configured limit.
func (l *Local) Capacity() int { return l.cfg.Limit }

// HostBound implements platforms.HostBound: a process is seen only by the
// daemon that started it.
func (l *Local) HostBound() bool { return true }

// Close stops every running bot, each with the grace period, and waits for
// them. The daemon calls it on shutdown so no bot outlives it by design;
// bots that do (the daemon was killed) are adopted by the next run. Close
// is safe to call twice.
func (l *Local) Close() error {
	l.mu.Lock()
	l.closed = true
	var running []*proc
	for _, p := range l.procs {
		if !p.ended() {
			running = append(running, p)
		}
	}
	l.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*l.cfg.GracePeriod+5*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for _, p := range running {
		wg.Go(func() { l.stopProc(ctx, p) })
	}
	wg.Wait()
	l.quitOnce.Do(func() { close(l.quit) })
	l.wg.Wait()
	return nil
}
