// Package daemon is `meeboter serve`: it reads the configuration, opens the
// store and the platforms, builds the services (lifecycle, agent, account,
// chat, webhooks, the leader's workers) and the transports (REST, the bot
// protocol), runs their background parts, and serves until told to stop.
// The logic lives in the subpackages; this one only wires them.
package daemon

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/blob/dirblob"
	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/agent"
	"github.com/meeboter/meeboter/daemon/archive"
	"github.com/meeboter/meeboter/daemon/beatcache"
	"github.com/meeboter/meeboter/daemon/chat"
	"github.com/meeboter/meeboter/daemon/feed"
	"github.com/meeboter/meeboter/daemon/httpapi"
	"github.com/meeboter/meeboter/daemon/lifecycle"
	"github.com/meeboter/meeboter/daemon/metrics"
	"github.com/meeboter/meeboter/daemon/session"
	"github.com/meeboter/meeboter/daemon/web"
	"github.com/meeboter/meeboter/daemon/webhook"
	"github.com/meeboter/meeboter/daemon/worker"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/store"
)

// Server is one daemon instance. Several may share a PostgreSQL database;
// they coordinate only through it.
type Server struct {
	cfg       Config
	log       *slog.Logger
	store     store.Store
	instance  string // identifies this daemon's process in leases and claims
	identity  string // identifies this daemon across restarts (see identity.go)
	now       func() time.Time
	platforms map[string]platforms.Platform // timed by the metrics
	raw       map[string]platforms.Platform // as given: for watches and Close
	order     []store.PlatformLimit
	pool      *coolify.Pool // the Coolify slot pool, when configured
	metrics   *metrics.Metrics

	feed      *feed.Hub
	states    *beatcache.Cache
	life      *lifecycle.Service
	agent     *agent.Service
	account   *account.Service
	chat      *chat.Service
	hooks     *webhook.Deliverer
	endpoints *webhook.Endpoints
	leader    *worker.Leader
	console   *session.Service
	http      *httpapi.API
	web       *web.Console
	blobs     blob.Store
	blobsHTTP http.Handler // serves the directory store's signed URLs; nil for S3
	archive   *archive.Service
	sink      atomic.Pointer[agent.Service] // the agent, once built, for captured output

	bgCancel context.CancelFunc
	bgDone   chan struct{}
}

// Options are the dependencies a Server does not build itself. Tests pass a
// store and platforms; `meeboter serve` leaves them nil.
type Options struct {
	Logger    *slog.Logger
	Store     store.Store
	Platforms []platforms.Platform
	Now       func() time.Time
	// Metrics are the daemon's instruments, for a caller that opens the
	// store itself and times it (through Metrics.WrapConnector); nil
	// builds new ones. One Metrics serves one Server.
	Metrics *metrics.Metrics
}

// New builds a server from cfg. It opens the store (applying migrations)
// and the platforms unless opts supplies them.
func New(ctx context.Context, cfg Config, opts Options) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: opts.Logger, store: opts.Store, now: opts.Now, instance: randomID(), metrics: opts.Metrics}
	s.identity = loadIdentity(cfg.DataDir, s.instance)
	if s.metrics == nil {
		s.metrics = metrics.New(cfg.Version)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = func() time.Time { return time.Now().UTC() }
	}
	secret, err := s.webhookSecret()
	if err != nil {
		return nil, err
	}
	if s.store == nil {
		if s.store, err = openStore(ctx, cfg, s.metrics.WrapConnector); err != nil {
			return nil, err
		}
	}
	if s.blobs, s.blobsHTTP, err = openBlobs(ctx, cfg, secret, s.now); err != nil {
		return nil, err
	}
	if err := s.setPlatforms(ctx, opts.Platforms); err != nil {
		return nil, err
	}
	if err := s.build(secret); err != nil {
		return nil, err
	}
	return s, nil
}

// build makes the services and the transports over the store and platforms.
func (s *Server) build(secret []byte) error {
	sealer, err := webhook.NewSealer(secret)
	if err != nil {
		return err
	}
	s.feed = feed.New(feed.Config{Heartbeats: s.cfg.StreamHeartbeats}, s.store, s.component("feed"))
	s.account = account.New(s.component("account"), s.store, s.now)
	s.chat = chat.New(s.store, s.now)
	s.hooks = webhook.New(webhook.Config{Instance: s.instance, Secret: secret, AllowPrivate: s.cfg.WebhookAllowPrivate, Backoff: s.cfg.WebhookBackoff},
		webhook.Deps{Log: s.component("webhooks"), Store: s.store, Sealer: sealer, Observer: s.metrics, Changed: s.feed.Kick, Now: s.now})
	s.store.WatchOutbox(s.hooks.Kick)
	s.endpoints = webhook.NewEndpoints(s.store, sealer, s.now, s.hooks.Kick)
	s.archive = archive.New(s.archiveConfig(), archive.Deps{Log: s.component("archive"), Store: s.store, Blobs: s.blobs, Now: s.now,
		Leading: func() bool { return s.leader != nil && s.leader.Leading() }})
	s.life = lifecycle.New(lifecycle.Config{
		Instance: s.instance, Identity: s.identity, PublicURL: s.cfg.PublicURL, S3: s.cfg.S3,
		ScheduleLead: s.cfg.ScheduleLead, QueueTimeout: s.cfg.QueueTimeout, MaxBotDuration: s.cfg.MaxBotDuration,
		Policy: s.cfg.Schedule.Policy, WarmAhead: s.cfg.Schedule.WarmAhead, WarmBudgetPerHour: s.cfg.Schedule.WarmBudgetPerHour,
		DeployLease: s.cfg.DeployLease, OrphanAge: s.cfg.PoolOrphanAge,
	}, lifecycle.Deps{Log: s.component("lifecycle"), Store: s.store, Now: s.now, Platforms: s.platforms, Order: s.order,
		Changed: s.changed, Plans: s.account, Observer: s.metrics, Logs: s.archive, Blobs: s.archive, Coolify: s.pool})
	// The agent's own writes (events, log lines) enqueue no webhook: they
	// wake the streams only. Status reports go through lifecycle.
	s.states = beatcache.New(beatcache.Config{}, s.store, s.component("beatcache"))
	s.store.WatchBotWrites(s.states.Drop)
	s.agent = agent.New(agent.Config{Instance: s.instance, Blobs: s.blobs, States: s.states}, s.component("agent"), s.store, s.now, s.life, s.feed.Kick)
	s.sink.Store(s.agent)
	s.leader = worker.New(worker.Config{Instance: s.instance, Identity: s.identity, Alone: s.store.Engine() == "sqlite",
		Interval: s.cfg.WorkerInterval, HeartbeatTimeout: s.cfg.HeartbeatTimeout,
		DeployTimeout: s.cfg.DeployTimeout, LeaveGrace: s.cfg.LeaveGrace, VanishGrace: s.cfg.VanishGrace}, s.component("worker"), s.store, s.now, s.life)
	s.observeFleet()
	s.console = session.New(session.Config{Idle: s.cfg.ConsoleIdle, MaxAge: s.cfg.ConsoleMaxAge}, s.store, s.now, s.account)
	s.http = httpapi.New(httpapi.Config{RateLimit: s.cfg.RateLimit, RateBurst: s.cfg.RateBurst, Health: s.health, Ready: s.ready,
		Bots: s.botProtocol(), PublicURL: s.cfg.PublicURL, Metrics: s.apiMetrics(), Agent: s.metrics}, s.component("http"), s.now,
		httpapi.Services{Archive: s.archive, Life: s.life, Agent: s.agent, Account: s.account, Chat: s.chat, Feed: s.feed, Webhooks: s.endpoints, Session: s.console, Store: s.store})
	s.web = web.New(web.Config{PublicURL: s.cfg.PublicURL, Version: s.cfg.Version, OpenBlob: s.openBlob, RecordingURL: s.recordingURL}, s.component("web"), s.now,
		web.Services{Life: s.life, Account: s.account, Chat: s.chat, Feed: s.feed, Session: s.console})
	return nil
}

func (s *Server) component(name string) *slog.Logger { return s.log.With("component", name) }

// changed wakes the live streams (the change feed) after a write. The
// webhook sender is woken by the store itself, after the commits that
// add deliveries (WatchOutbox).
func (s *Server) changed() {
	s.feed.Kick()
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Handler is the daemon's whole HTTP surface: the web console at /, and
// under it the REST API, the bot protocol, health and the API reference.
func (s *Server) Handler() http.Handler {
	h := s.web.Handler(s.http.Handler())
	if s.blobsHTTP == nil {
		return h
	}
	// Signed blob URLs carry their own authorization: no API key.
	mux := http.NewServeMux()
	mux.Handle(dirblob.PathPrefix, s.blobsHTTP)
	mux.Handle("/", h)
	return mux
}

// Start begins the background services: batchers, the deployer, the
// webhook deliverer, platform watches, and leader election with the
// workers it gates.
func (s *Server) Start(ctx context.Context) error {
	if err := s.bootstrap(ctx); err != nil {
		return err
	}
	if err := s.bootstrapKeyFile(ctx); err != nil {
		return err
	}
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.bgCancel = cancel
	s.bgDone = make(chan struct{})
	var wg sync.WaitGroup
	for _, r := range s.runners() {
		wg.Go(func() { r.Run(bg) })
	}
	go func() {
		wg.Wait()
		close(s.bgDone)
	}()
	return nil
}

// runner is a background part: it runs until its context ends, then
// finishes what it holds (a batcher flushes, the leader resigns).
type runner interface{ Run(context.Context) }

func (s *Server) runners() []runner {
	rs := []runner{s.feed, s.states, s.life.Deployer(), s.hooks, s.leader, s.archive, worker.Local{Leader: s.leader}, s.account.RequestLog()}
	for _, b := range s.agent.Batchers() {
		rs = append(rs, b)
	}
	if s.cfg.localMode() && s.cfg.ClientConfigPath != "" {
		rs = append(rs, cliKeyRenewer{s})
	}
	for _, p := range s.raw {
		if w, ok := p.(platforms.Watcher); ok {
			rs = append(rs, &watch{name: p.Name(), w: w, life: s.life, log: s.log})
		}
	}
	return rs
}

// Stop ends the background services, flushing what the batchers hold. It
// is safe to call before Start and more than once.
func (s *Server) Stop() {
	if s.bgCancel == nil {
		return
	}
	s.bgCancel()
	<-s.bgDone
	s.bgCancel = nil
}

// Close stops everything and closes the store and platforms.
func (s *Server) Close() error {
	s.Stop()
	for _, p := range s.raw {
		if c, ok := p.(interface{ Close() error }); ok {
			_ = c.Close()
		}
	}
	if c, ok := s.blobs.(interface{ Close() error }); ok {
		_ = c.Close()
	}
	return s.store.Close()
}

// Serve serves the API on ln until ctx ends, then shuts down gracefully:
// in-flight requests get up to 10 seconds to finish. The caller opens the
// listener, so a busy port fails before anything else starts.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("listening", "addr", ln.Addr().String(), "engine", s.store.Engine(), "platforms", s.cfg.PlatformPriority)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.feed.CloseAll()
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
