package store

import (
	"context"
	"time"
)

// ConsoleSession is one signed-in browser of the web console, acting as
// the user of the API key it was started with.
type ConsoleSession struct {
	ID         int64
	APIKeyID   int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute: the session ends then however active
}

// NewConsoleLink is the input of CreateConsoleLink; Hash is the hex
// SHA-256 of the link's secret.
type NewConsoleLink struct {
	APIKeyID  int64
	Hash      string
	ExpiresAt time.Time
	Now       time.Time
}

// NewConsoleSession is the input of CreateConsoleSession.
type NewConsoleSession struct {
	APIKeyID  int64
	Hash      string
	ExpiresAt time.Time
	Now       time.Time
}

// RedeemConsoleLink is the input of RedeemConsoleLink: the link to use
// up, and the session to start from it.
type RedeemConsoleLink struct {
	LinkHash    string
	SessionHash string
	ExpiresAt   time.Time // the new session's
	Now         time.Time
}

// ConsoleSessionQuery is the input of LiveConsoleSession.
type ConsoleSessionQuery struct {
	Hash      string
	Now       time.Time
	IdleSince time.Time // the session must have been seen after this
}

const sessionCols = "id, api_key_id, created_at, last_seen_at, expires_at"

func scanSession(r interface{ Scan(...any) error }, cs *ConsoleSession) error {
	return r.Scan(&cs.ID, &cs.APIKeyID, timeCol{&cs.CreatedAt}, timeCol{&cs.LastSeenAt}, timeCol{&cs.ExpiresAt})
}

// liveKey is the condition on api_keys (aliased k) of a key that may act.
const liveKey = "k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?)"

// CreateConsoleLink stores a link's hash; an unknown key is ErrConflict.
func (s *db) CreateConsoleLink(ctx context.Context, p NewConsoleLink) error {
	_, err := s.exec(ctx, "INSERT INTO console_links (api_key_id, hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
		p.APIKeyID, p.Hash, s.d.at(p.Now), s.d.at(p.ExpiresAt))
	return err
}

// RedeemConsoleLink marks the link used with one guarded UPDATE, so two
// redeemers cannot both see it unused, then starts the session.
func (s *db) RedeemConsoleLink(ctx context.Context, p RedeemConsoleLink) (ConsoleSession, error) {
	var cs ConsoleSession
	err := s.tx(ctx, func(t *db) error {
		var keyID int64
		err := t.get(ctx, "UPDATE console_links SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ? "+
			"AND EXISTS (SELECT 1 FROM api_keys k WHERE k.id = console_links.api_key_id AND "+liveKey+") RETURNING api_key_id",
			[]any{t.d.at(p.Now), p.LinkHash, t.d.at(p.Now), t.d.at(p.Now)}, &keyID)
		if err != nil {
			return err
		}
		cs, err = t.CreateConsoleSession(ctx, NewConsoleSession{APIKeyID: keyID, Hash: p.SessionHash, ExpiresAt: p.ExpiresAt, Now: p.Now})
		return err
	})
	return cs, err
}

// CreateConsoleSession stores a session's hash.
func (s *db) CreateConsoleSession(ctx context.Context, p NewConsoleSession) (ConsoleSession, error) {
	var cs ConsoleSession
	err := mapErr(scanSession(s.ex.QueryRowContext(ctx, s.d.rebind(
		"INSERT INTO console_sessions (api_key_id, hash, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING "+sessionCols),
		p.APIKeyID, p.Hash, s.d.at(p.Now), s.d.at(p.Now), s.d.at(p.ExpiresAt)), &cs))
	return cs, err
}

// LiveConsoleSession reads the session, checked against its key in the
// same query, then the key's user.
func (s *db) LiveConsoleSession(ctx context.Context, q ConsoleSessionQuery) (ConsoleSession, APIKey, User, error) {
	var (
		cs ConsoleSession
		k  APIKey
	)
	err := s.get(ctx, "SELECT s.id, s.api_key_id, s.created_at, s.last_seen_at, s.expires_at, "+
		"k.id, k.user_id, k.name, k.prefix, k.created_at, k.expires_at, k.revoked_at, k.last_used_at "+
		"FROM console_sessions s JOIN api_keys k ON k.id = s.api_key_id "+
		"WHERE s.hash = ? AND s.expires_at > ? AND s.last_seen_at > ? AND "+liveKey,
		[]any{q.Hash, s.d.at(q.Now), s.d.at(q.IdleSince), s.d.at(q.Now)},
		&cs.ID, &cs.APIKeyID, timeCol{&cs.CreatedAt}, timeCol{&cs.LastSeenAt}, timeCol{&cs.ExpiresAt},
		&k.ID, &k.UserID, &k.Name, &k.Prefix, timeCol{&k.CreatedAt}, nullTimeCol{&k.ExpiresAt}, nullTimeCol{&k.RevokedAt}, nullTimeCol{&k.LastUsedAt})
	if err != nil {
		return ConsoleSession{}, APIKey{}, User{}, err
	}
	u, err := s.GetUser(ctx, k.UserID)
	return cs, k, u, err
}

// TouchConsoleSession moves last_seen_at forward only when it is older
// than since, so a busy browser costs one write a while.
func (s *db) TouchConsoleSession(ctx context.Context, id int64, now, since time.Time) error {
	_, err := s.exec(ctx, "UPDATE console_sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?", s.d.at(now), id, s.d.at(since))
	return err
}

// DeleteConsoleSession removes a session by its hash.
func (s *db) DeleteConsoleSession(ctx context.Context, hash string) error {
	_, err := s.exec(ctx, "DELETE FROM console_sessions WHERE hash = ?", hash)
	return err
}
