// Package worker is the leader's maintenance: one daemon at a time, chosen
// by a lease in the database, runs the scheduler, the expiries of silent,
// stuck and lingering bots, reconciliation against the platforms, and
// retention. Each pass is bounded and idempotent, so a pass cut short is
// simply redone by the next, by this daemon or another.
package worker

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/feed"
	"github.com/meeboter/meeboter/daemon/lifecycle"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

// LeaseName is the leader lease the workers run under.
const LeaseName = "workers"

// minLease is the shortest leader lease, whatever the interval: a lease of
// a few hundred milliseconds (a fast interval) runs out whenever the
// database is slow for a moment, and leadership would flap.
const minLease = 2 * time.Second

// Config holds the workers' settings.
type Config struct {
	Instance string // this daemon's process, the lease holder
	Identity string // this daemon across restarts, for the bots it deployed
	// Alone says the store is one daemon's (SQLite): the local reconciler
	// then also takes the bots deployed before bots recorded their daemon.
	Alone            bool
	Interval         time.Duration // one pass, and one lease renewal, per interval
	HeartbeatTimeout time.Duration // a live bot silent longer ends FATAL
	DeployTimeout    time.Duration // a bot DEPLOYING longer ends FATAL
	LeaveGrace       time.Duration // a LEAVING bot longer is stopped and ends DONE
	VanishGrace      time.Duration // a resource missing for longer ends its bot; DefaultVanishGrace when 0
}

// Leader holds the leader lease when it can and runs the workers while it
// does. With SQLite there is one daemon and it always leads.
type Leader struct {
	cfg       Config
	log       *slog.Logger
	store     store.Store
	now       func() time.Time
	life      *lifecycle.Service
	leading   atomic.Bool
	lastPurge time.Time // read and written by passes, which never overlap
	lastFeed  time.Time // the last purge of the change feed, likewise
}

// New returns the leader loop; the daemon runs it.
func New(cfg Config, log *slog.Logger, st store.Store, now func() time.Time, life *lifecycle.Service) *Leader {
	return &Leader{cfg: cfg, log: log, store: st, now: now, life: life}
}

// Leading reports whether this daemon runs the workers right now.
func (l *Leader) Leading() bool { return l.leading.Load() }

// Run renews the leader lease every interval and runs the workers while
// it holds it, until ctx ends; then it gives the lease up. The lease
// outlives three missed renewals, so a brief stall does not hand
// leadership over, while a dead leader is replaced within seconds.
//
// A pass runs beside the renewals, not between them: a pass longer than
// the lease (a slow platform, a loaded database) must not lose the lease,
// or leadership would flap between daemons on every long pass. A lease
// lost all the same cancels the pass in flight.
func (l *Leader) Run(ctx context.Context) {
	t := time.NewTicker(l.cfg.Interval)
	defer t.Stop()
	defer l.resign()
	var p passRunner
	defer p.stop()
	for {
		ok, err := l.store.TryLead(ctx, LeaseName, l.holder(), l.now(), max(3*l.cfg.Interval, minLease))
		if err != nil && ctx.Err() == nil {
			l.log.Error("leader election", "err", err)
		}
		if was := l.leading.Swap(ok); was != ok {
			l.log.Info("leadership changed", "leader", ok, "instance", l.cfg.Instance)
		}
		if ok {
			p.start(ctx, l.pass)
		} else {
			p.stop()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// passRunner runs at most one pass at a time, in its own goroutine.
type passRunner struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// start begins a pass unless one still runs.
func (p *passRunner) start(ctx context.Context, pass func(context.Context)) {
	if p.done != nil {
		select {
		case <-p.done:
		default:
			return // the last pass goes on; the next starts after it
		}
	}
	pctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	p.cancel, p.done = cancel, done
	go func() {
		defer close(done)
		defer cancel()
		pass(pctx)
	}()
}

// stop cancels the pass in flight, if any, and waits for it.
func (p *passRunner) stop() {
	if p.done == nil {
		return
	}
	p.cancel()
	<-p.done
	p.cancel, p.done = nil, nil
}

// holder names the lease's holder: this process, or, on a store that is
// one daemon's, the daemon across restarts, so that a daemon restarted
// after a crash leads again at once instead of waiting out its own lease.
func (l *Leader) holder() string {
	if l.cfg.Alone && l.cfg.Identity != "" {
		return l.cfg.Identity
	}
	return l.cfg.Instance
}

func (l *Leader) resign() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = l.store.Resign(ctx, LeaseName, l.holder())
	l.leading.Store(false)
}

// pass is one round of the leader's maintenance.
func (l *Leader) pass(ctx context.Context) {
	l.life.PromoteScheduled(ctx)
	l.life.ExpireQueue(ctx)
	l.life.NudgeWaiting(ctx)
	l.life.AdmitQueued(ctx)
	l.expireHeartbeats(ctx)
	l.expireDeploys(ctx)
	l.expireLeaves(ctx)
	for _, p := range l.life.Order() {
		if pl := l.life.Platform(p.Name); pl != nil && !hostBound(pl) {
			l.reconciler().reconcile(ctx, pl, nil)
		}
	}
	l.life.MaintainSlots(ctx)
	l.purge(ctx)
}

func (l *Leader) reconciler() reconciler {
	grace := l.cfg.VanishGrace
	if grace == 0 {
		grace = DefaultVanishGrace
	}
	return reconciler{grace: grace, log: l.log, store: l.store, now: l.now, life: l.life}
}

func hostBound(p platforms.Platform) bool {
	hb, ok := p.(platforms.HostBound)
	return ok && hb.HostBound()
}

// expireHeartbeats ends bots that stopped heartbeating: their process or
// container is gone or hung, and it is stopped.
func (l *Leader) expireHeartbeats(ctx context.Context) {
	before := l.now().Add(-l.cfg.HeartbeatTimeout)
	live := []api.BotStatus{api.StatusJoiningCall, api.StatusInWaitingRoom, api.StatusInCall, api.StatusLeaving, api.StatusCallEnded}
	l.life.EndMatching(ctx, "silent bots", store.BotQuery{Statuses: live, HeartbeatBefore: &before},
		api.StatusFatal, api.ReasonHeartbeatTimeout, "no heartbeat for "+l.cfg.HeartbeatTimeout.String())
}

// expireDeploys ends bots stuck in DEPLOYING, counted from their deploy
// start (not their creation, which a queued bot may be long past).
func (l *Leader) expireDeploys(ctx context.Context) {
	before := l.now().Add(-l.cfg.DeployTimeout)
	l.life.EndMatching(ctx, "stuck deploys", store.BotQuery{Statuses: []api.BotStatus{api.StatusDeploying}, DeployBefore: &before},
		api.StatusFatal, api.ReasonDeployTimeout, "not started within "+l.cfg.DeployTimeout.String())
}

// expireLeaves ends bots that were asked to leave and did not within the
// grace period: their resource is stopped and they end DONE, as the user
// asked for them to be gone.
func (l *Leader) expireLeaves(ctx context.Context) {
	before := l.now().Add(-l.cfg.LeaveGrace)
	l.life.EndMatching(ctx, "lingering leaves", store.BotQuery{Statuses: []api.BotStatus{api.StatusLeaving}, UpdatedBefore: &before},
		api.StatusDone, api.ReasonLeftByRequest, "stopped: the bot did not leave within "+l.cfg.LeaveGrace.String())
}

// purge drops request logs and idempotency records past their use, once
// an hour, and the change feed's entries past feed.Retention once a minute.
// The feed is stamped with the wall clock when written, so it is purged by
// the wall clock too.
func (l *Leader) purge(ctx context.Context) {
	if now := time.Now(); now.Sub(l.lastFeed) >= time.Minute {
		l.lastFeed = now
		if _, err := l.store.PurgeChanges(ctx, now.Add(-feed.Retention)); err != nil {
			l.log.Warn("purge the change feed", "err", err)
		}
	}
	if l.now().Sub(l.lastPurge) < time.Hour {
		return
	}
	l.lastPurge = l.now()
	if _, err := l.store.PurgeOlderThan(ctx, l.now().Add(-30*24*time.Hour)); err != nil {
		l.log.Warn("purge old records", "err", err)
	}
}
