package sandbox

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/meeboter/meeboter/api"
)

// latch is a signal that fires once and stays fired.
type latch struct {
	once sync.Once
	ch   chan struct{}
}

func newLatch() *latch { return &latch{ch: make(chan struct{})} }
func (l *latch) fire() { l.once.Do(func() { close(l.ch) }) }
func (l *latch) fired() bool {
	select {
	case <-l.ch:
		return true
	default:
		return false
	}
}

// bot is one run of the sandbox bot.
type bot struct {
	cfg   Config
	tr    Transport
	log   *slog.Logger
	level *slog.LevelVar // console level, set by the daemon
	ship  *shipper
	conf  api.AgentConfig
	plan  plan

	leave  *latch // the daemon asked the bot to leave
	gone   *latch // the daemon says the bot is over, or refused its token
	silent *latch // stop heartbeating (scenario stops-heartbeating)

	mu     sync.Mutex
	status api.BotStatus // last status reported
	inCall time.Time     // when the bot reached IN_CALL
}

// Run runs one sandbox bot until it reports DONE or FATAL, its scenario
// crashes it, the daemon ends it, or ctx ends. It returns nil in all of
// these cases except the crash (ErrCrashed) and a daemon that stayed
// unreachable for Config.RetryFor. When ctx ends (the platform stopping
// the bot with SIGTERM) it reports nothing more and returns at once.
func Run(ctx context.Context, cfg Config) error {
	cfg, err := cfg.check()
	if err != nil {
		return err
	}
	tr, err := cfg.transport()
	if err != nil {
		return err
	}
	level := new(slog.LevelVar)
	console := slog.New(consoleHandler(cfg.Stdout, level))
	ship := newShipper(tr, console)
	b := &bot{
		cfg: cfg, tr: tr, level: level, ship: ship,
		log:   slog.New(newLogHandler(cfg.Stdout, level, ship)).With("bot_id", cfg.BotID),
		leave: newLatch(), gone: newLatch(), silent: newLatch(),
	}
	return b.run(ctx)
}

func (b *bot) run(ctx context.Context) error {
	loopCtx, stopLoops := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer stopLoops()
	wg.Go(func() { b.ship.loop(loopCtx, b.cfg.LogFlushInterval) })

	err := b.start(ctx)
	if err == nil {
		wg.Go(func() { b.heartbeatLoop(loopCtx) })
		wg.Go(func() { b.chatLoop(loopCtx) })
		err = b.scenario(ctx)
	}
	stopLoops()
	wg.Wait()
	if ctx.Err() != nil {
		return nil // stopped by the platform: report nothing more
	}
	if err != nil && !quiet(err) && !errors.Is(err, errEnded) {
		b.log.Error("sandbox bot failed", "error", err)
	}
	b.ship.drain(ctx, b.cfg.lastWords())
	if f, ok := b.tr.(LogFlusher); ok {
		if ferr := f.FlushLogs(ctx); ferr != nil && !quiet(ferr) {
			b.log.Warn("log flush failed", "error", ferr)
		}
	}
	if quiet(err) || errors.Is(err, errEnded) {
		return nil
	}
	return err
}

// start fetches the bot's config and resolves its plan. A plan that does
// not parse is reported as FATAL: the bot's creator made a typo, and a
// bot that hangs would hide it.
func (b *bot) start(ctx context.Context) error {
	b.log.Info("sandbox bot starting", "protocol", b.cfg.Protocol)
	err := b.cfg.mustLand().do(ctx, func(ctx context.Context) error {
		var err error
		b.conf, err = b.tr.Config(ctx)
		return err
	})
	if quiet(err) {
		b.log.Info("the daemon says this bot is over; exiting", "reason", err)
		return err
	}
	if err != nil {
		return err
	}
	if b.plan, err = resolvePlan(b.cfg, b.conf); err != nil {
		if err := b.fatal(ctx, "SANDBOX_INVALID_CONFIG", err.Error()); err != nil {
			return err
		}
		return errEnded
	}
	b.log.Info("config received", "scenario", b.plan.scenario, "sub_code", b.plan.subCode,
		"meeting_url", b.conf.Meeting.MeetingURL, "display_name", b.conf.DisplayName,
		"step_delay", b.plan.stepDelay.String(), "call_ends_after", b.plan.callEndsAfter.String())
	return nil
}

// onServer applies what the daemon said about the bot, in a heartbeat or
// a status answer.
func (b *bot) onServer(hb api.AgentHeartbeat) {
	if l, ok := parseLevel(hb.LogLevel); ok && l != b.level.Level() {
		b.level.Set(l)
		b.log.Debug("console log level changed", "level", hb.LogLevel)
	}
	if hb.ShouldLeave || hb.Status == api.StatusLeaving {
		b.leave.fire()
	}
	if hb.Status.Terminal() && !b.reported().Terminal() {
		b.gone.fire()
	}
}

func (b *bot) reported() api.BotStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.status
}

// errLeave and errGone end the scenario's waits; errEnded says the bot
// already reported its end.
var (
	errEnded = errors.New("bot ended")
	errLeave = errors.New("leave requested")
	errGone  = ErrGone
)
