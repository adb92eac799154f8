package daemon

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// localCLIKey names the key a local daemon writes to the CLI's config.
const localCLIKey = "local CLI"

// cliKeyRenewal is how long before its expiry the local CLI's key is
// replaced, and how often that is checked: keys expire within a year, and
// the CLI on the daemon's machine should never notice.
const (
	cliKeyRenewal = 30 * 24 * time.Hour
	cliKeyCheck   = 12 * time.Hour
)

// cliKeyRenewer keeps the key in the local CLI's config from expiring.
type cliKeyRenewer struct{ s *Server }

// Run renews at once and then every cliKeyCheck until ctx ends.
func (r cliKeyRenewer) Run(ctx context.Context) {
	t := time.NewTicker(cliKeyCheck)
	defer t.Stop()
	for {
		if err := r.s.renewClientKey(ctx); err != nil && ctx.Err() == nil {
			r.s.log.Warn("renew the CLI's API key", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// renewClientKey replaces the local CLI's key when it expires within
// cliKeyRenewal, or never (written by an earlier release), and rewrites
// the config with the new one. Only the key this daemon wrote there (an
// admin's, named localCLIKey) is renewed; a key the user put there with
// meeboter login is theirs. An expiring key is left to expire, so a
// command that read the old config still works; one that never expires is
// revoked, or it would stay valid for ever.
func (s *Server) renewClientKey(ctx context.Context) error {
	path := s.cfg.ClientConfigPath
	fc, err := api.ReadConfigFile(path)
	if err != nil || fc.APIKey == "" {
		return nil // no config of ours to renew
	}
	now := s.now()
	key, user, err := s.store.Authenticate(ctx, domain.HashSecret(fc.APIKey), now)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	case user.Role != store.RoleAdmin || key.Name != localCLIKey:
		return nil
	case key.ExpiresAt != nil && key.ExpiresAt.Sub(now) > cliKeyRenewal:
		return nil
	}
	nk, err := s.account.IssueKey(ctx, user.ID, localCLIKey, account.DefaultKeyDays)
	if err != nil {
		return err
	}
	fc.APIKey = nk.Secret
	if err := api.WriteConfigFile(path, fc); err != nil {
		return fmt.Errorf("write CLI config: %w", err)
	}
	if key.ExpiresAt == nil {
		_, err := s.store.RevokeAPIKey(ctx, user.ID, key.ID, now)
		s.account.ForgetUser(user.ID)
		if err != nil {
			return err
		}
	}
	s.log.Info("renewed the CLI's API key", "path", path, "old_prefix", key.Prefix, "key_prefix", nk.Key.Prefix, "expires_at", nk.Key.ExpiresAt)
	return nil
}
