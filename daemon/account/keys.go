package account

import (
	"context"
	"strconv"
	"time"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// Key lifetimes, in days.
const (
	DefaultKeyDays = 180
	MaxKeyDays     = 365
)

// CreatedKey is a new key with its secret, which exists only in this value:
// the store keeps a hash.
type CreatedKey struct {
	Key    store.APIKey
	Secret string
}

// IssueKey makes a key for a user; days 0 makes one that never expires.
func (s *Service) IssueKey(ctx context.Context, userID int64, name string, days int) (CreatedKey, error) {
	return s.issueKey(ctx, userID, name, days, nil)
}

// issueKey is IssueKey with the key's own concurrency cap (nil: none).
func (s *Service) issueKey(ctx context.Context, userID int64, name string, days int, maxConcurrent *int) (CreatedKey, error) {
	secret := domain.NewSecret(domain.KeyPrefix)
	var expires *time.Time
	if days > 0 {
		t := s.now().Add(time.Duration(days) * 24 * time.Hour)
		expires = &t
	}
	k, err := s.store.CreateAPIKey(ctx, store.NewAPIKey{
		UserID: userID, Name: name, Prefix: secret[:len(domain.KeyPrefix)+8], Hash: domain.HashSecret(secret), ExpiresAt: expires, Now: s.now(),
		MaxConcurrentBots: maxConcurrent,
	})
	if err != nil {
		return CreatedKey{}, err
	}
	return CreatedKey{Key: k, Secret: secret}, nil
}

// CreateKey validates and issues a key of the caller; days 0 is the default.
func (s *Service) CreateKey(ctx context.Context, c domain.Caller, name string, days int) (CreatedKey, error) {
	return s.CreateCappedKey(ctx, c, name, days, nil)
}

// CreateCappedKey is CreateKey for a key whose bots may hold capacity at
// most maxConcurrent at once (nil: only the user's cap applies), so one
// integration cannot take a whole account's allowance.
func (s *Service) CreateCappedKey(ctx context.Context, c domain.Caller, name string, days int, maxConcurrent *int) (CreatedKey, error) {
	v := &domain.Validator{}
	v.Check(maxConcurrent == nil || (*maxConcurrent >= 0 && *maxConcurrent <= MaxConcurrentBots), "maxConcurrentBots", "must be from 0 to %d", MaxConcurrentBots)
	v.Check(name != "", "name", "is required")
	v.MaxLen(name, 255, "name")
	v.Check(days >= 0 && days <= MaxKeyDays, "expiresInDays", "must be from 1 to %d (default %d)", MaxKeyDays, DefaultKeyDays)
	if err := v.Err(); err != nil {
		return CreatedKey{}, err
	}
	if days == 0 {
		days = DefaultKeyDays
	}
	return s.issueKey(ctx, c.User.ID, name, days, maxConcurrent)
}

// ListKeys pages the caller's keys, newest first.
func (s *Service) ListKeys(ctx context.Context, c domain.Caller, p store.Page) ([]store.APIKey, error) {
	return s.store.ListAPIKeys(ctx, c.User.ID, p)
}

// RevokeKey revokes one of the caller's keys for good.
func (s *Service) RevokeKey(ctx context.Context, c domain.Caller, id int64) (store.APIKey, error) {
	k, err := s.store.RevokeAPIKey(ctx, c.User.ID, id, s.now())
	s.ForgetUser(c.User.ID)
	return k, domain.NotFoundIf(err, "key")
}

// RequestLogs pages the request log of the caller's keys, or of one of
// them when keyID is set.
func (s *Service) RequestLogs(ctx context.Context, c domain.Caller, keyID *int64, p store.Page) ([]store.APIRequestLog, error) {
	if keyID != nil {
		if err := s.ownKey(ctx, c.User.ID, *keyID); err != nil {
			return nil, err
		}
	}
	return s.store.ListRequestLogs(ctx, c.User.ID, keyID, p)
}

// ownKey answers not found unless userID owns the key.
func (s *Service) ownKey(ctx context.Context, userID, id int64) error {
	owned, err := s.store.ListAPIKeys(ctx, userID, store.Page{BeforeID: id + 1, Limit: 1})
	if err != nil {
		return err
	}
	if len(owned) == 0 || owned[0].ID != id {
		return domain.NotFound("key")
	}
	return nil
}

// ResetKeys revokes every key of a user and issues one new key (admins).
func (s *Service) ResetKeys(ctx context.Context, c domain.Caller, userID int64) (CreatedKey, error) {
	if err := c.RequireAdmin(); err != nil {
		return CreatedKey{}, err
	}
	if _, err := s.store.GetUser(ctx, userID); err != nil {
		return CreatedKey{}, domain.NotFoundIf(err, "user")
	}
	_, err := s.store.RevokeUserKeys(ctx, userID, s.now())
	s.ForgetUser(userID)
	if err != nil {
		return CreatedKey{}, err
	}
	return s.IssueKey(ctx, userID, "reset "+strconv.FormatInt(s.now().Unix(), 10), DefaultKeyDays)
}
