package daemon

import (
	"context"
	"sync"
	"time"

	"github.com/meeboter/meeboter/platforms"
)

const leaderLease = "workers"

// runBackground runs every daemon's own services (batchers, deployer,
// webhook deliverer, platform watches) and, while this daemon holds the
// leader lease, the workers. With SQLite there is one daemon and it always leads.
func (s *Server) runBackground(ctx context.Context) {
	var wg sync.WaitGroup
	spawn := func(f func()) {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	spawn(func() { s.beats.run(ctx, 500*time.Millisecond) })
	spawn(func() { s.logs.run(ctx, 500*time.Millisecond) })
	spawn(func() { s.reqlog.run(ctx, time.Second) })
	spawn(func() { s.deployer.run(ctx) })
	spawn(func() { s.webhooks.run(ctx) })
	for _, p := range s.platforms {
		if w, ok := p.(platforms.Watcher); ok {
			spawn(func() { s.watch(ctx, p.Name(), w) })
		}
	}
	s.lead(ctx)
	wg.Wait()
}

// lead renews the leader lease every worker interval and runs the workers
// while it holds it. The lease outlives three missed renewals, so a brief
// stall does not hand leadership over, while a dead leader is replaced
// within seconds.
func (s *Server) lead(ctx context.Context) {
	t := time.NewTicker(s.cfg.WorkerInterval)
	defer t.Stop()
	for {
		ok, err := s.store.TryLead(ctx, leaderLease, s.instance, s.now(), 3*s.cfg.WorkerInterval)
		if err != nil && ctx.Err() == nil {
			s.log.Error("leader election", "err", err)
		}
		if was := s.isLeader.Swap(ok); was != ok {
			s.log.Info("leadership changed", "leader", ok, "instance", s.instance)
		}
		if ok {
			s.runWorkers(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// watch turns pushed resource changes into bot state at once (a failed pod
// is a FATAL bot within seconds), restarting the watch if it breaks.
func (s *Server) watch(ctx context.Context, name string, w platforms.Watcher) {
	for ctx.Err() == nil {
		err := w.Watch(ctx, func(res platforms.Resource) { s.onResource(ctx, name, res) })
		if ctx.Err() != nil {
			return
		}
		s.log.Warn("platform watch ended; restarting", "platform", name, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(2 * time.Second):
		}
	}
}
