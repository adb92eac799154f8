package daemon

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/meeboter/meeboter/migrations"
	"github.com/meeboter/meeboter/store"
)

// Run is `meeboter serve`: it takes the listen addresses (the API's, and
// the metrics' when they have their own) and, in local mode, the data
// directory first (so a second daemon fails before it touches
// the database or any bot), then builds, starts and serves the daemon
// until ctx ends, and shuts it down.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	ln, err := net.Listen("tcp", cmpOr(cfg.Addr, DefaultListen))
	if err != nil {
		return err
	}
	defer ln.Close()
	var mln net.Listener
	if cfg.MetricsAddr != "" {
		if mln, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			return fmt.Errorf("MEEBOTER_METRICS_ADDR: %w", err)
		}
		defer mln.Close()
	}
	if cfg.localMode() {
		release, err := LockDataDir(cfg.DataDir)
		if err != nil {
			return err
		}
		defer release()
	}
	srv, err := New(ctx, cfg, Options{Logger: log})
	if err != nil {
		return fmt.Errorf("start daemon: %w", err)
	}
	defer srv.Close()
	if err := srv.Start(ctx); err != nil {
		return fmt.Errorf("start daemon: %w", err)
	}
	if mln != nil {
		go func() {
			if err := srv.ServeMetrics(ctx, mln); err != nil {
				log.Error("serve metrics", "err", err)
			}
		}()
	}
	// The API serves on until the bots are dealt with: a draining daemon's
	// bots still report to it.
	serving, stopServing := context.WithCancel(context.WithoutCancel(ctx))
	defer stopServing()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(serving, ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stopping := context.WithoutCancel(ctx)
	if cfg.Drain {
		log.Info("draining: waiting for this daemon's local bots to end", "timeout", cfg.DrainTimeout)
		srv.Drain(stopping, cmp.Or(cfg.DrainTimeout, 10*time.Minute))
	}
	srv.endLocalBots(stopping)
	log.Info("shutting down")
	stopServing()
	return <-errc
}

// Migrate brings the configured database's schema up to date, or with
// dryRun only lists what would run. It returns the migrations concerned.
func Migrate(ctx context.Context, cfg Config, dryRun bool) ([]migrations.Migration, error) {
	return store.Migrate(ctx, cfg.storeConfig(), dryRun)
}

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
