package session

import (
	"context"
	"errors"
	"time"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// Link is a new one-time sign-in link: its secret, which exists only in
// this value, and when it stops working.
type Link struct {
	Secret    string
	ExpiresAt time.Time
}

// NewLink issues a sign-in link for the caller's key: opening it signs a
// browser in as the caller, once, within the link's lifetime.
func (s *Service) NewLink(ctx context.Context, c domain.Caller) (Link, error) {
	secret := domain.NewSecret(LinkPrefix)
	now := s.now()
	l := Link{Secret: secret, ExpiresAt: now.Add(s.cfg.LinkTTL)}
	err := s.store.CreateConsoleLink(ctx, store.NewConsoleLink{APIKeyID: c.Key.ID, Hash: domain.HashSecret(secret), ExpiresAt: l.ExpiresAt, Now: now})
	return l, err
}

// Started is a new session: its secret, the cookie's value, exists only
// in this value; the store keeps its hash.
type Started struct {
	Secret  string
	Session store.ConsoleSession
}

// Redeem uses up a sign-in link and starts a session of the link's key.
func (s *Service) Redeem(ctx context.Context, linkSecret string) (Started, error) {
	if !wellFormed(linkSecret, LinkPrefix) {
		return Started{}, ErrBadLink
	}
	secret, now := domain.NewSecret(SecretPrefix), s.now()
	cs, err := s.store.RedeemConsoleLink(ctx, store.RedeemConsoleLink{
		LinkHash: domain.HashSecret(linkSecret), SessionHash: domain.HashSecret(secret), ExpiresAt: now.Add(s.cfg.MaxAge), Now: now,
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Started{}, ErrBadLink
	case err != nil:
		return Started{}, unavailable("redeem link", err)
	}
	return Started{Secret: secret, Session: cs}, nil
}

// SignIn checks an API key and starts a session of it. A bad key is the
// key service's error (account.ErrBadKey).
func (s *Service) SignIn(ctx context.Context, apiKey string) (Started, error) {
	c, err := s.keys.Authenticate(ctx, apiKey)
	if err != nil {
		return Started{}, err
	}
	secret, now := domain.NewSecret(SecretPrefix), s.now()
	cs, err := s.store.CreateConsoleSession(ctx, store.NewConsoleSession{
		APIKeyID: c.Key.ID, Hash: domain.HashSecret(secret), ExpiresAt: now.Add(s.cfg.MaxAge), Now: now,
	})
	if err != nil {
		return Started{}, err
	}
	return Started{Secret: secret, Session: cs}, nil
}

// SignOut ends the session with this secret; an unknown one is no error.
func (s *Service) SignOut(ctx context.Context, secret string) error {
	if !wellFormed(secret, SecretPrefix) {
		return nil
	}
	return s.store.DeleteConsoleSession(ctx, domain.HashSecret(secret))
}
