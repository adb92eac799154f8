// Package daemon is `meeboter serve`: the REST API, admission (pool, queue,
// scheduler), the platform adapters' driver, the bot-facing agent API and
// the background workers, over one store.
package daemon

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
)

// Server is one daemon instance. Several may share a PostgreSQL database;
// they coordinate only through it.
type Server struct {
	cfg       Config
	log       *slog.Logger
	store     store.Store
	instance  string // identifies this daemon in leases and deploy claims
	platforms map[string]platforms.Platform
	order     []store.PlatformLimit // admission order with limits
	now       func() time.Time

	hub       *hub
	beats     *heartbeatBatcher
	logs      *logBatcher
	reqlog    *requestLogger
	limiter   *rateLimiter
	deployer  *deployer
	webhooks  *webhookDeliverer
	isLeader  leaderFlag
	bgCancel  context.CancelFunc
	bgDone    chan struct{}
	botRoutes http.Handler // extra bot-facing routes (the tRPC protocol)
	lastPurge time.Time    // read and written by the leader loop only
}

// Options are the dependencies a Server does not build itself. Tests pass a
// store and platforms; `meeboter serve` leaves them nil.
type Options struct {
	Logger    *slog.Logger
	Store     store.Store
	Platforms []platforms.Platform
	Now       func() time.Time
}

// New builds a server from cfg. It opens the store (applying migrations)
// and the platforms unless opts supplies them.
func New(ctx context.Context, cfg Config, opts Options) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: opts.Logger, store: opts.Store, now: opts.Now, instance: randomID()}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = func() time.Time { return time.Now().UTC() }
	}
	if s.store == nil {
		if s.store, err = openStore(ctx, cfg); err != nil {
			return nil, err
		}
	}
	if err := s.setPlatforms(opts.Platforms); err != nil {
		return nil, err
	}
	s.hub = newHub()
	s.beats = newHeartbeatBatcher(s.store, s.log)
	s.logs = newLogBatcher(s.store, s.log, s.hub)
	s.reqlog = newRequestLogger(s.store, s.log)
	s.limiter = newRateLimiter(cfg.RateLimit, cfg.RateBurst)
	s.deployer = newDeployer(s)
	s.webhooks = newWebhookDeliverer(s)
	s.mountTRPC()
	return s, nil
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Start begins the background services: batchers, the deployer, the
// webhook deliverer, leader election and the workers it gates.
func (s *Server) Start(ctx context.Context) error {
	if err := s.bootstrap(ctx); err != nil {
		return err
	}
	secret, err := s.webhookSecret()
	if err != nil {
		return err
	}
	s.webhooks.secret = secret
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.bgCancel = cancel
	s.bgDone = make(chan struct{})
	go func() {
		defer close(s.bgDone)
		s.runBackground(bg)
	}()
	return nil
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
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.beats.flush(ctx)
	s.logs.flush(ctx)
	s.reqlog.flush(ctx)
	_ = s.store.Resign(ctx, leaderLease, s.instance)
}

// Close stops everything and closes the store and platforms.
func (s *Server) Close() error {
	s.Stop()
	for _, p := range s.platforms {
		if c, ok := p.(interface{ Close() error }); ok {
			_ = c.Close()
		}
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
	s.hub.closeAll()
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
