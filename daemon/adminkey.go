package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/daemon/wire"
	"github.com/meeboter/meeboter/store"
)

// ErrNoAdmin is a database whose users include no admin, so there is no
// one to issue an admin key to.
var ErrNoAdmin = errors.New("the database has users but no admin")

// CreateAdminKey issues an API key to the first admin of the configured
// database (PostgreSQL at DATABASE_URL, else the SQLite file in the data
// dir), for an operator on the daemon's host: on a server no daemon writes
// a CLI config, and nothing else hands out the first key. The schema is
// brought up to date first, and an empty database gets its admin user as
// a daemon's first start would make it. Only the key's hash is stored;
// the secret is in the answer alone.
func CreateAdminKey(ctx context.Context, cfg Config, name string, days int) (api.CreatedKey, error) {
	st, err := openStore(ctx, cfg, nil)
	if err != nil {
		return api.CreatedKey{}, err
	}
	defer st.Close()
	now := func() time.Time { return time.Now().UTC() }
	admin, err := firstAdmin(ctx, st, now())
	if err != nil {
		return api.CreatedKey{}, err
	}
	k, err := account.New(slog.New(slog.DiscardHandler), st, now).IssueKey(ctx, admin.ID, name, days)
	if err != nil {
		return api.CreatedKey{}, fmt.Errorf("issue key: %w", err)
	}
	return api.CreatedKey{APIKey: wire.Key(k.Key), Secret: k.Secret}, nil
}

// firstAdmin finds the admin with the lowest id, creating the first admin
// on an empty database (a daemon starting meanwhile may win that race; its
// admin is then the one).
func firstAdmin(ctx context.Context, st store.Store, now time.Time) (store.User, error) {
	page := store.Page{Limit: 500}
	for {
		users, err := st.ListUsers(ctx, page)
		if err != nil {
			return store.User{}, err
		}
		for _, u := range users {
			if u.Role == store.RoleAdmin {
				return u, nil
			}
		}
		if len(users) < page.Limit {
			break
		}
		page.AfterID = users[len(users)-1].ID
	}
	if page.AfterID != 0 {
		return store.User{}, ErrNoAdmin
	}
	if n, err := st.CountUsers(ctx); err != nil || n > 0 {
		return store.User{}, cmpErr(err, ErrNoAdmin)
	}
	u, err := st.CreateUser(ctx, store.NewUser{Email: "admin@localhost", Name: "admin", Role: store.RoleAdmin, Now: now})
	if errors.Is(err, store.ErrConflict) {
		return firstAdmin(ctx, st, now)
	}
	return u, err
}

func cmpErr(err, def error) error {
	if err != nil {
		return err
	}
	return def
}

// minBootstrapSecret is the shortest secret a bootstrap key file may hold:
// 32 characters of a random string are far beyond guessing.
const minBootstrapSecret = 32

// bootstrapKeyFile registers the secret in BootstrapAdminKeyFile as a key
// of the first admin, named "bootstrap", expiring like any key. Only its
// hash is stored. Every replica does this at start; the key's hash is
// unique, so it is registered once, and once revoked or expired it stays
// so (replace it with keys made through the API). A file that cannot be
// read or holds a short secret stops the daemon, as a typo should.
func (s *Server) bootstrapKeyFile(ctx context.Context) error {
	path := s.cfg.BootstrapAdminKeyFile
	if path == "" {
		return nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("MEEBOTER_BOOTSTRAP_ADMIN_KEY_FILE: %w", err)
	}
	secret := strings.TrimSpace(string(raw))
	if len(secret) < minBootstrapSecret || strings.ContainsFunc(secret, unicode.IsSpace) {
		return fmt.Errorf("MEEBOTER_BOOTSTRAP_ADMIN_KEY_FILE %s: want one secret of at least %d characters and no spaces, such as mbk_$(openssl rand -hex 24)", path, minBootstrapSecret)
	}
	admin, err := firstAdmin(ctx, s.store, s.now())
	if err != nil {
		return err
	}
	expires := s.now().Add(account.DefaultKeyDays * 24 * time.Hour)
	k, err := s.store.CreateAPIKey(ctx, store.NewAPIKey{UserID: admin.ID, Name: "bootstrap", Prefix: secret[:12],
		Hash: domain.HashSecret(secret), ExpiresAt: &expires, Now: s.now()})
	if errors.Is(err, store.ErrConflict) {
		return nil // registered before, by this daemon or another
	}
	if err != nil {
		return fmt.Errorf("register the bootstrap admin key: %w", err)
	}
	s.log.Info("registered the bootstrap admin key", "path", path, "key_prefix", k.Prefix, "expires_at", expires)
	return nil
}
