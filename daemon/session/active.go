package session

import (
	"context"
	"errors"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// Active is a live session and who it acts as.
type Active struct {
	Caller  domain.Caller
	Session store.ConsoleSession
	// CSRF is the token every form of this session must send back.
	CSRF string
}

// Authenticate finds the live session with this secret and records its
// use, which keeps it from idling out.
func (s *Service) Authenticate(ctx context.Context, secret string) (Active, error) {
	a, err := s.Check(ctx, secret)
	if err != nil {
		return a, err
	}
	now := s.now()
	if since := now.Add(-touchEvery); a.Session.LastSeenAt.Before(since) {
		// A failed touch costs the session at most touchEvery of its
		// idle allowance; the page should not fail for it.
		if err := s.store.TouchConsoleSession(ctx, a.Session.ID, now, since); err == nil {
			a.Session.LastSeenAt = now
		}
	}
	return a, nil
}

// Check finds the live session with this secret without recording a use:
// an open event stream re-checks its session with it, so a revoked key or
// an expired session ends the stream, but watching alone does not keep a
// session alive.
func (s *Service) Check(ctx context.Context, secret string) (Active, error) {
	if !wellFormed(secret, SecretPrefix) {
		return Active{}, ErrNoSession
	}
	now := s.now()
	cs, key, user, err := s.store.LiveConsoleSession(ctx, store.ConsoleSessionQuery{
		Hash: domain.HashSecret(secret), Now: now, IdleSince: now.Add(-s.cfg.Idle),
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Active{}, ErrNoSession
	case err != nil:
		return Active{}, unavailable("check session", err)
	}
	return Active{Caller: domain.Caller{User: user, Key: key}, Session: cs, CSRF: CSRFToken(secret)}, nil
}
