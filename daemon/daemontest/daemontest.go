// Package daemontest starts real daemons on loopback for tests: a store on
// either engine, an HTTP server on a random port, and an API client holding
// the admin's key.
package daemontest

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
	"github.com/meeboter/meeboter/daemon/metrics"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// EnvLog, set to 1, sends every test daemon's log at debug level to
// stderr, each line naming its daemon: for following a failing test
// through several daemons.
const EnvLog = "MEEBOTER_TEST_DAEMON_LOG"

// Options shape a test daemon. Zero values give SQLite, one in-process
// platform called "local" with room for 4 bots, and fast workers.
type Options struct {
	Store     store.Store
	Platforms []platforms.Platform
	Config    daemon.Config
	// Metrics, when set, are the daemon's (for a Store opened through
	// Metrics.WrapConnector, so its calls are timed too).
	Metrics *metrics.Metrics
	// PublicURL, when set, is the URL bots are given (a load balancer in
	// front of several test daemons); by default the daemon's own.
	PublicURL string
}

// Daemon is a running test daemon.
type Daemon struct {
	URL      string
	Server   *daemon.Server
	Admin    *api.Client
	AdminKey string
	Store    store.Store
}

// Start runs a daemon until the test ends.
func Start(tb testing.TB, opts Options) *Daemon {
	tb.Helper()
	if opts.Store == nil {
		opts.Store = storetest.OpenSQLite(tb)
	}
	if opts.Platforms == nil {
		p := NewInProc(platforms.Local, 4)
		tb.Cleanup(func() { _ = p.Close() })
		opts.Platforms = []platforms.Platform{p}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	cfg := opts.Config
	dir := tb.TempDir()
	cfg.DataDir = dir
	cfg.PublicURL = "http://" + ln.Addr().String()
	if opts.PublicURL != "" {
		cfg.PublicURL = opts.PublicURL
	}
	cfg.ClientConfigPath = filepath.Join(dir, "config.yaml")
	if cfg.RateLimit == 0 { // tests drive a daemon far harder than a person
		cfg.RateLimit, cfg.RateBurst = 1e6, 1e6
	}
	if cfg.WorkerInterval == 0 {
		cfg.WorkerInterval = 200 * time.Millisecond
	}
	if len(cfg.PlatformPriority) == 0 {
		for _, p := range opts.Platforms {
			cfg.PlatformPriority = append(cfg.PlatformPriority, p.Name())
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := daemon.New(ctx, cfg, daemon.Options{Store: opts.Store, Platforms: opts.Platforms, Metrics: opts.Metrics,
		Logger: testLogger(ln.Addr().String())})
	if err != nil {
		tb.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	tb.Cleanup(func() {
		cancel()
		<-done
		srv.Stop()
	})
	d := &Daemon{URL: "http://" + ln.Addr().String(), Server: srv, Store: opts.Store}
	d.AdminKey = adminKey(tb, cfg.ClientConfigPath, srv, ctx)
	d.Admin = d.Client(tb, d.AdminKey)
	return d
}

// adminKey reads the key the daemon wrote on first start; a daemon sharing
// a database another already bootstrapped issues one directly.
func adminKey(tb testing.TB, path string, srv *daemon.Server, ctx context.Context) string {
	if fc, err := api.ReadConfigFile(path); err == nil && fc.APIKey != "" {
		return fc.APIKey
	}
	k, err := srv.IssueKey(ctx, 1, "test admin")
	if err != nil {
		tb.Fatal(err)
	}
	return k.Secret
}

// Client returns an API client using key.
func (d *Daemon) Client(tb testing.TB, key string) *api.Client {
	c, err := api.NewClient(api.Config{Address: d.URL, APIKey: key})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// NewUser creates a member with no daily limit and returns a client for it.
func (d *Daemon) NewUser(tb testing.TB, email string) (*api.Client, api.User) {
	tb.Helper()
	unlimited := 100000
	cu, err := d.Admin.Users().Create(context.Background(), api.CreateUserRequest{Email: email, CustomDailyBotLimit: &unlimited})
	if err != nil {
		tb.Fatal(err)
	}
	return d.Client(tb, cu.Key.Secret), cu.User
}

// testLogger is the daemon's logger: nothing unless EnvLog is set.
func testLogger(name string) *slog.Logger {
	if os.Getenv(EnvLog) != "1" {
		return nil
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})).With("daemon", name)
}
