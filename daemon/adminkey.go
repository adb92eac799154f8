package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/account"
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
