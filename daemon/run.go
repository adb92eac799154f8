package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"github.com/meeboter/meeboter/migrations"
	"github.com/meeboter/meeboter/store"
)

// Run is `meeboter serve`: it takes the listen address and, in local mode,
// the data directory first (so a second daemon fails before it touches
// the database or any bot), then builds, starts and serves the daemon
// until ctx ends, and shuts it down.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	ln, err := net.Listen("tcp", cmpOr(cfg.Addr, DefaultListen))
	if err != nil {
		return err
	}
	defer ln.Close()
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
	err = srv.Serve(ctx, ln)
	log.Info("shutting down")
	return err
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
