// Package session signs people in to the web console: one-time sign-in
// links issued to an API key holder (for `meeboter open`), sign-in with an
// API key, and the server-side sessions both start. Sessions are rows in
// the database, so every replica behind a load balancer knows every
// browser; only hashes of their secrets are stored. A session acts as the
// API key it was started with and ends with it: revoking the key signs its
// browsers out.
package session

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// Prefixes of the console's secrets, so a leaked one is recognisable and
// never mistaken for an API key.
const (
	SecretPrefix = "mbc_" // a session, the value of the console's cookie
	LinkPrefix   = "mbl_" // a one-time sign-in link
)

// LinkPath is the console page that redeems a sign-in link, with the
// link's secret in its token parameter. The REST endpoint that issues
// links and the console that serves the page both use it.
const LinkPath = "/signin/link"

// ErrNoSession is a session secret that is unknown, signed out, expired
// (idle or absolute), or whose API key was revoked or expired. A store
// failure is never ErrNoSession but store.ErrUnavailable, so an outage does
// not sign anyone out.
var ErrNoSession = errors.New("not signed in, or the session has ended")

// ErrBadLink is a sign-in link that is unknown, used, expired, or whose
// key was revoked. Run `meeboter open` again for a new one.
var ErrBadLink = errors.New("the sign-in link is unknown, already used or expired")

// Config sets the lifetimes. Zero values take the defaults.
type Config struct {
	// Idle ends a session not used for this long (default 12h).
	Idle time.Duration
	// MaxAge ends a session this long after sign-in however busy
	// (default 7 days).
	MaxAge time.Duration
	// LinkTTL is how long a sign-in link may wait to be opened
	// (default 2 minutes: it is meant to be opened at once).
	LinkTTL time.Duration
}

// Keys authenticates API keys; account.Service is one.
type Keys interface {
	Authenticate(ctx context.Context, secret string) (domain.Caller, error)
}

// touchEvery spaces the writes that record a session's use: a session is
// idle-expired hours after its last use, so minutes of slack cost nothing
// and save a write per page view.
const touchEvery = time.Minute

// Service issues links and runs sessions.
type Service struct {
	cfg   Config
	store store.Store
	now   func() time.Time
	keys  Keys
}

// New returns the service.
func New(cfg Config, st store.Store, now func() time.Time, keys Keys) *Service {
	cfg.Idle = cmp.Or(cfg.Idle, 12*time.Hour)
	cfg.MaxAge = cmp.Or(cfg.MaxAge, 7*24*time.Hour)
	cfg.LinkTTL = cmp.Or(cfg.LinkTTL, 2*time.Minute)
	return &Service{cfg: cfg, store: st, now: now, keys: keys}
}

// MaxAge is the absolute lifetime of a session, for the cookie's Max-Age.
func (s *Service) MaxAge() time.Duration { return s.cfg.MaxAge }

// unavailable marks a store failure as an outage, keeping its cause.
func unavailable(op string, err error) error {
	if errors.Is(err, store.ErrUnavailable) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return fmt.Errorf("%w: %s: %w", store.ErrUnavailable, op, err)
}

// wellFormed rejects a secret that cannot be one of ours before any query:
// the prefix and 43 characters of base64 that NewSecret makes.
func wellFormed(secret, prefix string) bool {
	body, ok := strings.CutPrefix(secret, prefix)
	if !ok || len(body) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(body)
	return err == nil
}

// CSRFToken is the anti-forgery token of the session with this secret.
// It is derived rather than stored: only the holder of the cookie and the
// daemon can compute it, and it changes with every session.
func CSRFToken(secret string) string {
	sum := sha256.Sum256([]byte("meeboter console csrf\x00" + secret))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
