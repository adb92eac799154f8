package cli

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon"
)

type serveOptions struct {
	IO           *IOStreams
	Getenv       func(string) string
	Version      string
	Listen       string
	MetricsAddr  string
	DataDir      string
	PublicURL    string
	LogFormat    string
	LogLevel     string
	Drain        bool
	DrainTimeout time.Duration
	flags        *cobra.Command
}

func newCmdServe(f *Factory) *cobra.Command { return newCmdServeRun(f, serveRun) }

// newCmdServeRun builds serve around runF, so tests can check the flags
// without starting a daemon.
func newCmdServeRun(f *Factory, runF func(context.Context, *serveOptions) error) *cobra.Command {
	opts := &serveOptions{IO: f.IO, Getenv: f.Getenv, Version: f.Build.Version}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the meeboter daemon: API, admission, workers and bots",
		Long: `Run the meeboter daemon.

With no configuration it runs in local mode: SQLite in the data dir, bots as
local processes (the built-in sandbox bot), listening on 127.0.0.1:3000. On
its first start it creates an admin user and writes the CLI configuration
($XDG_CONFIG_HOME/meeboter/config.yaml) so the other commands work with no
login step.

Set DATABASE_URL to use PostgreSQL (several daemons may share it), and
PLATFORM_PRIORITY (local, k8s) with LOCAL_BOT_LIMIT, K8S_BOT_LIMIT, ... to
choose where bots run. The README lists every setting.

Stopping: a clean stop (Ctrl-C, SIGTERM) ends this daemon's local bots at
once, as FATAL with reason daemon_stopped, since their processes cannot
outlive it; bots on shared platforms (Kubernetes, ...) keep running. With
--drain the daemon first waits for its local bots to end, printing how
many are left, for at most --drain-timeout; the bots still running then
end as without --drain.

Logs go to stderr: text on a terminal, JSON otherwise (--log-format).`,
		Example: `  # local mode, no configuration
  $ meeboter serve

  # production: PostgreSQL and Kubernetes
  $ DATABASE_URL=postgres://... PLATFORM_PRIORITY=k8s K8S_BOT_LIMIT=50 meeboter serve --listen :3000

  # let the local bots finish their calls before stopping, for up to 30 minutes
  $ meeboter serve --drain --drain-timeout 30m`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.flags = cmd
			return runF(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Listen, "listen", "", "listen address (env MEEBOTER_LISTEN, default 127.0.0.1:3000)")
	// --addr names the daemon's URL in every other command, so here it is
	// only an old spelling of --listen.
	fl.StringVar(&opts.Listen, "addr", "", "listen address (deprecated: use --listen)")
	_ = fl.MarkDeprecated("addr", "use --listen; --addr is the daemon's URL in the other commands")
	fl.StringVar(&opts.MetricsAddr, "metrics-addr", "", "serve /metrics here, unauthenticated (env MEEBOTER_METRICS_ADDR; default: on --listen, for admin keys)")
	fl.StringVar(&opts.DataDir, "data-dir", "", "data directory for SQLite, bot state and blobs (env MEEBOTER_DATA_DIR, default $XDG_DATA_HOME/meeboter)")
	fl.StringVar(&opts.PublicURL, "public-url", "", "the daemon's URL as bots reach it (env MEEBOTER_PUBLIC_URL, default http://<listen address>)")
	fl.StringVar(&opts.LogFormat, "log-format", "", "json or text (env MEEBOTER_LOG_FORMAT, default text on a terminal, json otherwise)")
	fl.StringVar(&opts.LogLevel, "log-level", "", "debug, info, warn or error (env MEEBOTER_LOG_LEVEL, default info)")
	fl.BoolVar(&opts.Drain, "drain", false, "on a clean stop, wait for this daemon's local bots to end before exiting")
	fl.DurationVar(&opts.DrainTimeout, "drain-timeout", defaultDrainTimeout, "with --drain, the longest to wait for local bots")
	return cmd
}

// defaultDrainTimeout is long enough for most calls to end, and short of
// the hour a bot may stay by default.
const defaultDrainTimeout = 10 * time.Minute

// serveConfig is the environment overridden by the flags that were set.
func serveConfig(opts *serveOptions) (daemon.Config, error) {
	cfg, err := daemon.ConfigFromEnv(opts.Getenv)
	if err != nil {
		return cfg, &FlagError{err}
	}
	set := func(name string, dst *string, v string) {
		if opts.flags != nil && opts.flags.Flags().Changed(name) {
			*dst = v
		}
	}
	set("listen", &cfg.Addr, opts.Listen)
	set("addr", &cfg.Addr, opts.Listen)
	set("metrics-addr", &cfg.MetricsAddr, opts.MetricsAddr)
	set("data-dir", &cfg.DataDir, opts.DataDir)
	set("public-url", &cfg.PublicURL, opts.PublicURL)
	set("log-format", &cfg.LogFormat, opts.LogFormat)
	set("log-level", &cfg.LogLevel, opts.LogLevel)
	switch cfg.LogFormat {
	case "":
		// People read a terminal; collectors read everything else.
		cfg.LogFormat = "json"
		if opts.IO.IsStderrTTY() {
			cfg.LogFormat = "text"
		}
	case "json", "text":
	default:
		return cfg, flagErrorf("--log-format: want json or text, got %q", cfg.LogFormat)
	}
	if opts.DrainTimeout <= 0 {
		return cfg, flagErrorf("--drain-timeout: want a positive duration, got %s", opts.DrainTimeout)
	}
	if opts.flags != nil && opts.flags.Flags().Changed("drain-timeout") && !opts.Drain {
		return cfg, flagErrorf("--drain-timeout needs --drain")
	}
	cfg.Drain, cfg.DrainTimeout = opts.Drain, opts.DrainTimeout
	cfg.Version = opts.Version
	if path, err := api.ConfigFilePath(); err == nil {
		cfg.ClientConfigPath = path
	}
	return cfg, nil
}

func newLogger(cfg daemon.Config, opts *serveOptions) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(strings.ToUpper(orString(cfg.LogLevel, "info")))); err != nil {
		return nil, flagErrorf("--log-level: want debug, info, warn or error, got %q", cfg.LogLevel)
	}
	ho := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(opts.IO.ErrOut, ho)), nil
	}
	return slog.New(slog.NewJSONHandler(opts.IO.ErrOut, ho)), nil
}

func orString(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// serveRun runs the daemon until SIGINT or SIGTERM, then shuts down
// gracefully: requests in flight finish, batched writes are flushed.
func serveRun(ctx context.Context, opts *serveOptions) error {
	cfg, err := serveConfig(opts)
	if err != nil {
		return err
	}
	log, err := newLogger(cfg, opts)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// Once stopping, a second Ctrl-C stops at once, even while draining.
		<-ctx.Done()
		stop()
	}()
	return daemon.Run(ctx, cfg, log)
}
