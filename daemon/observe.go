package daemon

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/meeboter/meeboter/daemon/httpapi"
	"github.com/meeboter/meeboter/daemon/lifecycle"
	"github.com/meeboter/meeboter/daemon/metrics"
	"github.com/meeboter/meeboter/daemon/trpcapi"
	"github.com/meeboter/meeboter/daemon/webhook"
)

// The metrics are what the services and transports report to.
var (
	_ lifecycle.Observer    = (*metrics.Metrics)(nil)
	_ webhook.Observer      = (*metrics.Metrics)(nil)
	_ httpapi.AgentObserver = (*metrics.Metrics)(nil)
	_ trpcapi.Observer      = (*metrics.Metrics)(nil)
)

// observeFleet registers the collector that reads the fleet's counts from
// the database at each scrape.
func (s *Server) observeFleet() {
	s.metrics.Register(metrics.NewFleetCollector(metrics.Fleet{
		Stats: s.store.FleetStats, Capacity: s.store.CapacityUsed, Limits: s.order,
		Leading: s.leader.Leading, Subscribers: s.feed.Subscribers,
	}))
}

// apiMetrics is /metrics for the API's listener: there unless the
// metrics have an address of their own.
func (s *Server) apiMetrics() http.Handler {
	if s.cfg.MetricsAddr != "" {
		return nil
	}
	return s.metrics.Handler()
}

// ServeMetrics serves /metrics, unauthenticated, on ln until ctx ends: the
// listener of MEEBOTER_METRICS_ADDR, which the caller opens (so a busy
// port fails before anything starts). Keep it off networks users reach.
func (s *Server) ServeMetrics(ctx context.Context, ln net.Listener) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	s.log.Info("serving metrics", "addr", ln.Addr().String())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
