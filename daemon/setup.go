package daemon

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/webhook"
	"github.com/meeboter/meeboter/platforms"
	"github.com/meeboter/meeboter/platforms/coolify"
	"github.com/meeboter/meeboter/store"
)

// openStore opens the configured database; wrap interposes on its
// connections (the metrics time every call there).
func openStore(ctx context.Context, cfg Config, wrap func(driver.Connector) driver.Connector) (store.Store, error) {
	sc := cfg.storeConfig()
	sc.WrapConnector = wrap
	st, err := store.Open(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return st, nil
}

// setPlatforms orders the platforms by PLATFORM_PRIORITY with their limits.
// A platform named in the priority list but not available is an error, so
// a typo in the configuration stops the daemon instead of queueing forever.
func (s *Server) setPlatforms(ctx context.Context, given []platforms.Platform) error {
	if given == nil {
		built, err := buildPlatforms(s.cfg, s)
		if err != nil {
			return err
		}
		given = built
	}
	s.platforms, s.raw = map[string]platforms.Platform{}, map[string]platforms.Platform{}
	for _, p := range given {
		s.raw[p.Name()] = p
		s.platforms[p.Name()] = s.metrics.Platform(p)
	}
	s.order = nil
	for _, name := range s.cfg.PlatformPriority {
		p, ok := s.platforms[name]
		if !ok {
			return fmt.Errorf("platform %q is in PLATFORM_PRIORITY but is not configured", name)
		}
		limit := p.Capacity()
		if l, ok := s.cfg.Limits[name]; ok {
			limit = l
		}
		pl := store.PlatformLimit{Name: name, Limit: limit, CostPerHour: s.cfg.Schedule.Costs[name]}
		if c, ok := s.raw[name].(*coolify.Platform); ok {
			// Bots of a pooled platform also need a slot of their meeting
			// platform, at most COOLIFY_POOL_MAX of them.
			s.pool = c.Pool()
			pl.Pool = &store.SlotPool{Max: s.pool.Config().PoolMax, Name: coolify.FormatSlotName}
		}
		s.order = append(s.order, pl)
	}
	return nil
}

// bootstrap creates the first admin on an empty database. In local mode it
// also writes the CLI configuration with a fresh key, so `meeboter bot
// create` on the same machine works with no login step.
func (s *Server) bootstrap(ctx context.Context) error {
	n, err := s.store.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	admin, err := s.store.CreateUser(ctx, store.NewUser{Email: "admin@localhost", Name: "admin", Role: store.RoleAdmin, Now: s.now()})
	if err != nil {
		if errors.Is(err, store.ErrConflict) { // another daemon won the race
			return nil
		}
		return fmt.Errorf("create admin: %w", err)
	}
	s.log.Info("created the first admin user", "user_id", admin.ID, "email", admin.Email)
	if !s.cfg.localMode() || s.cfg.ClientConfigPath == "" {
		return nil
	}
	return s.writeClientConfig(ctx, admin)
}

func (s *Server) writeClientConfig(ctx context.Context, admin store.User) error {
	path := s.cfg.ClientConfigPath
	if existing, err := api.ReadConfigFile(path); err == nil && existing.APIKey != "" {
		s.log.Info("CLI config exists; not overwriting it", "path", path)
		return nil
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read CLI config: %w", err)
	}
	key, err := s.account.IssueKey(ctx, admin.ID, localCLIKey, account.DefaultKeyDays)
	if err != nil {
		return err
	}
	if err := api.WriteConfigFile(path, api.FileConfig{Address: s.cfg.PublicURL, APIKey: key.Secret}); err != nil {
		return fmt.Errorf("write CLI config: %w", err)
	}
	s.log.Info("wrote the CLI config with an admin API key", "path", path, "key_prefix", key.Key.Prefix)
	return nil
}

// IssueKey makes an API key for a user; for tools and tests that manage a
// daemon they started.
func (s *Server) IssueKey(ctx context.Context, userID int64, name string) (api.CreatedKey, error) {
	k, err := s.account.IssueKey(ctx, userID, name, account.DefaultKeyDays)
	if err != nil {
		return api.CreatedKey{}, err
	}
	return api.CreatedKey{APIKey: api.APIKey{ID: k.Key.ID, Name: k.Key.Name, Prefix: k.Key.Prefix, CreatedAt: k.Key.CreatedAt, ExpiresAt: k.Key.ExpiresAt}, Secret: k.Secret}, nil
}

// webhookSecret returns the configured signing secret, or the one kept in
// the data directory, generating it on first start.
func (s *Server) webhookSecret() ([]byte, error) {
	if s.cfg.WebhookSecret != "" {
		return []byte(s.cfg.WebhookSecret), nil
	}
	if !s.cfg.localMode() {
		return nil, ErrNoSharedSecret
	}
	path := filepath.Join(s.cfg.DataDir, webhook.SecretFile)
	secret, created, err := webhook.LoadSecret(path)
	if err != nil {
		return nil, err
	}
	if created {
		s.log.Info("generated the webhook signing secret; give it to webhook receivers, or set MEEBOTER_WEBHOOK_SECRET", "path", path)
	}
	return secret, nil
}

// ErrNoSharedSecret refuses a daemon on PostgreSQL with no
// MEEBOTER_WEBHOOK_SECRET. Each replica would make its own secret in its
// own data dir: they would sign webhooks with different keys, and none
// could open the endpoint secrets another sealed. Set the same secret on
// every daemon sharing the database (a Kubernetes Secret, the env file).
var ErrNoSharedSecret = errors.New("MEEBOTER_WEBHOOK_SECRET is required with DATABASE_URL: every daemon sharing the database must sign webhooks and seal endpoint secrets with the same key; " +
	"set it to one random value (openssl rand -hex 32) on all of them")
