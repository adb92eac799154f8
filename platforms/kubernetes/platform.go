package kubernetes

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/meeboter/meeboter/platforms"
)

var (
	_ platforms.Platform = (*Platform)(nil)
	_ platforms.Watcher  = (*Platform)(nil)
)

// listPageSize bounds each List request, so listing thousands of Jobs
// never means one huge response held by the API server and by us.
const listPageSize = 500

// Platform runs bots as Jobs in one namespace. It is safe for concurrent
// use; Close stops its informers.
type Platform struct {
	cfg      Config
	api      kubeAPI
	log      *slog.Logger
	cache    *jobCache
	pageSize int64
}

// New builds the platform from a Config (defaults filled in, then
// validated) and a Client, usually from ClientFromEnv. It makes no API
// call: the informers start on the first Status, List or Watch.
func New(cfg Config, c *Client, logger *slog.Logger) (*Platform, error) {
	if c == nil {
		return nil, errors.New("kubernetes platform: no client")
	}
	return newPlatform(cfg, c, logger)
}

func newPlatform(cfg Config, api kubeAPI, logger *slog.Logger) (*Platform, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("kubernetes platform: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Platform{
		cfg:      cfg,
		api:      api,
		log:      logger.With("component", "platform_k8s", "namespace", cfg.Namespace),
		cache:    newJobCache(api, cfg.Namespace),
		pageSize: listPageSize,
	}, nil
}

// Name returns platforms.Kubernetes, the name used in PLATFORM_PRIORITY.
func (p *Platform) Name() string { return platforms.Kubernetes }

// Capacity is Config.Limit (K8S_BOT_LIMIT). The daemon counts running bots
// in its database; the cluster itself may of course refuse to schedule.
func (p *Platform) Capacity() int { return p.cfg.Limit }

// Config returns the configuration in effect, defaults included, for
// `meeboter config view` and diagnostics.
func (p *Platform) Config() Config { return p.cfg }

// Close stops the informers. It is safe to call more than once and before
// any use.
func (p *Platform) Close() { p.cache.close() }
