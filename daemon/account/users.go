package account

import (
	"context"
	"errors"
	"net/mail"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// MaxDailyLimit bounds a per-user daily bot limit (a 32-bit column on
// PostgreSQL; far above any real use).
const MaxDailyLimit = 1_000_000

// NewUser is a user to create, with its first key.
type NewUser struct {
	Email, Name, Role   string
	CustomDailyBotLimit *int
}

// CreatedUser is a new user and its first key.
type CreatedUser struct {
	User store.User
	Key  CreatedKey
}

// CreateUser makes a user with a first key (admins only).
func (s *Service) CreateUser(ctx context.Context, c domain.Caller, req NewUser) (CreatedUser, error) {
	if err := c.RequireAdmin(); err != nil {
		return CreatedUser{}, err
	}
	v := &domain.Validator{}
	_, mailErr := mail.ParseAddress(req.Email)
	v.Check(req.Email != "" && mailErr == nil && len(req.Email) <= 255, "email", "must be an email address")
	v.MaxLen(req.Name, 255, "name")
	v.Check(req.Role == "" || req.Role == api.RoleAdmin || req.Role == api.RoleMember, "role", "must be admin or member")
	v.Check(req.CustomDailyBotLimit == nil || (*req.CustomDailyBotLimit >= 0 && *req.CustomDailyBotLimit <= MaxDailyLimit),
		"customDailyBotLimit", "must be from 0 to %d", MaxDailyLimit)
	if err := v.Err(); err != nil {
		return CreatedUser{}, err
	}
	u, err := s.store.CreateUser(ctx, store.NewUser{Email: req.Email, Name: orDefault(req.Name, req.Email), Role: store.Role(orDefault(req.Role, api.RoleMember)), Now: s.now()})
	if errors.Is(err, store.ErrConflict) {
		return CreatedUser{}, domain.Conflict("a user with this email exists")
	}
	if err != nil {
		return CreatedUser{}, err
	}
	if req.CustomDailyBotLimit != nil {
		if err := s.store.SetCustomDailyLimit(ctx, u.ID, req.CustomDailyBotLimit); err != nil {
			return CreatedUser{}, err
		}
		u.CustomDailyBotLimit = req.CustomDailyBotLimit
	}
	key, err := s.IssueKey(ctx, u.ID, "first key", DefaultKeyDays)
	if err != nil {
		return CreatedUser{}, err
	}
	return CreatedUser{User: u, Key: key}, nil
}

// ListUsers pages every user (admins only).
func (s *Service) ListUsers(ctx context.Context, c domain.Caller, p store.Page) ([]store.User, error) {
	if err := c.RequireAdmin(); err != nil {
		return nil, err
	}
	return s.store.ListUsers(ctx, p)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
