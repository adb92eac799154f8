// Package account is the user side of the control plane: users and their
// API keys, authentication of API callers, plans and daily quotas, usage,
// and the request log.
package account

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/meeboter/meeboter/daemon/batch"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// ErrBadKey is an API key that is unknown, revoked or expired. A store
// failure while checking a key is never ErrBadKey: it is
// store.ErrUnavailable, so a database outage does not read as a bad key.
var ErrBadKey = errors.New("the API key is unknown, revoked or expired")

// Service manages users, keys and plans.
type Service struct {
	log    *slog.Logger
	store  store.Store
	now    func() time.Time
	reqlog *batch.Batcher[store.APIRequestLog]
	keys   *keyCache
	limits ttlCache[int64, store.Limits] // by user id
}

// New returns the service; run RequestLog for the request log to be written.
func New(log *slog.Logger, st store.Store, now func() time.Time) *Service {
	s := &Service{log: log, store: st, now: now, keys: newKeyCache(KeyCacheTTL),
		limits: newTTLCache[int64, store.Limits](KeyCacheTTL, maxCachedKeys)}
	s.reqlog = batch.New("request_log", 500, time.Second, log, s.writeRequestLogs).
		RowByRow(func(ctx context.Context, l store.APIRequestLog) error {
			return s.writeRequestLogs(ctx, []store.APIRequestLog{l})
		})
	return s
}

// Authenticate finds the live key a secret belongs to, and its user: from
// memory when this daemon read it less than KeyCacheTTL ago (and it has
// not expired since), else from the store. Only live keys are kept, and
// a store failure is never kept: it is store.ErrUnavailable each time.
func (s *Service) Authenticate(ctx context.Context, secret string) (domain.Caller, error) {
	hash, now := domain.HashSecret(secret), s.now()
	if c, ok := s.keys.get(hash, now); ok {
		return c, nil
	}
	gen := s.keys.generation()
	key, user, err := s.store.Authenticate(ctx, hash, now)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return domain.Caller{}, ErrBadKey
	case err != nil:
		return domain.Caller{}, fmt.Errorf("%w: authenticate: %w", store.ErrUnavailable, err)
	}
	c := domain.Caller{User: user, Key: key}
	s.keys.put(hash, c, gen)
	return c, nil
}

// ForgetUser drops what this daemon keeps of a user (their keys' callers
// and their limits), so the next request reads them from the store: call
// it after revoking a key or changing the user other than through this
// service.
func (s *Service) ForgetUser(userID int64) {
	s.keys.forgetUser(userID)
	s.limits.forget(func(id int64, _ store.Limits) bool { return id == userID })
}

// StillLive tells a long-lived connection (an event stream) whether the
// key it was opened with still is: ErrBadKey once it is revoked, expired or
// its user gone. A store failure is only that; the caller carries on.
func (s *Service) StillLive(ctx context.Context, c domain.Caller) error {
	err := s.store.KeyLive(ctx, c.Key.ID, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return ErrBadKey
	}
	return err
}

// RequestLog is the batcher of the request log; the daemon runs it.
func (s *Service) RequestLog() *batch.Batcher[store.APIRequestLog] { return s.reqlog }

// Record queues one request for the request log, off the request path.
func (s *Service) Record(l store.APIRequestLog) { s.reqlog.Add(l) }

func (s *Service) writeRequestLogs(ctx context.Context, items []store.APIRequestLog) error {
	used := map[int64]time.Time{}
	for i, it := range items {
		items[i].Path, items[i].Method, items[i].IP = domain.Clean(it.Path), domain.Clean(it.Method), domain.Clean(it.IP)
		if it.CreatedAt.After(used[it.APIKeyID]) {
			used[it.APIKeyID] = it.CreatedAt
		}
	}
	if err := s.store.InsertRequestLogs(ctx, items); err != nil {
		return err
	}
	return s.store.TouchAPIKeys(ctx, used)
}
