package store

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

const keyCols = "id, user_id, name, prefix, created_at, expires_at, revoked_at, last_used_at, max_concurrent_bots"

func scanKey(r interface{ Scan(...any) error }, k *APIKey) error {
	dests, finish := keyDests(k)
	err := r.Scan(dests...)
	finish()
	return err
}

// keyDests are the scan destinations of keyCols into k, and what turns
// them into k's fields once scanned.
func keyDests(k *APIKey) ([]any, func()) {
	var concurrent sql.NullInt64
	return []any{&k.ID, &k.UserID, &k.Name, &k.Prefix, timeCol{&k.CreatedAt},
			nullTimeCol{&k.ExpiresAt}, nullTimeCol{&k.RevokedAt}, nullTimeCol{&k.LastUsedAt}, &concurrent},
		func() { k.MaxConcurrentBots = nullInt(concurrent) }
}

// CreateAPIKey stores a key's hash; a duplicate hash is ErrConflict and an
// unknown user ErrConflict (foreign key).
func (s *db) CreateAPIKey(ctx context.Context, p NewAPIKey) (APIKey, error) {
	var k APIKey
	err := mapErr(scanKey(s.ex.QueryRowContext(ctx, s.d.rebind(
		"INSERT INTO api_keys (user_id, name, prefix, hash, created_at, expires_at, max_concurrent_bots) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING "+keyCols),
		p.UserID, p.Name, p.Prefix, p.Hash, s.d.at(p.Now), s.d.atp(p.ExpiresAt), intArg(p.MaxConcurrentBots)), &k))
	return k, err
}

// Authenticate finds the live key with this hash and its user, in one
// read on the reader: it runs before every API request.
func (s *db) Authenticate(ctx context.Context, hash string, now time.Time) (APIKey, User, error) {
	var k APIKey
	var u User
	kd, kfin := keyDests(&k)
	ud, ufin := userDests(&u)
	err := mapErr(s.reader().QueryRowContext(ctx, s.d.rebind(authenticateQuery), hash, s.d.at(now)).Scan(append(kd, ud...)...))
	if err != nil {
		return APIKey{}, User{}, err
	}
	kfin()
	ufin()
	return k, u, nil
}

var authenticateQuery = "SELECT " + qualified("k", keyCols) + ", " + qualified("u", userCols) +
	" FROM api_keys k JOIN users u ON u.id = k.user_id" +
	" WHERE k.hash = ? AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?)"

// qualified prefixes each column of a list with a table alias.
func qualified(alias, cols string) string {
	parts := strings.Split(cols, ", ")
	for i, c := range parts {
		parts[i] = alias + "." + c
	}
	return strings.Join(parts, ", ")
}

// KeyLive answers nil while the key is live (not revoked, not expired at
// now, its user not deleted), else ErrNotFound.
func (s *db) KeyLive(ctx context.Context, keyID int64, now time.Time) error {
	ok, err := s.exists(ctx, "SELECT count(*) FROM api_keys WHERE id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
		keyID, s.d.at(now))
	if err == nil && !ok {
		err = ErrNotFound
	}
	return err
}

// ListAPIKeys pages a user's keys, newest first.
func (s *db) ListAPIKeys(ctx context.Context, userID int64, p Page) ([]APIKey, error) {
	q, args := newestFirst("SELECT "+keyCols+" FROM api_keys WHERE user_id = ?", []any{userID}, p)
	return collect(ctx, s, q, args, func(r *sql.Rows, k *APIKey) error { return scanKey(r, k) })
}

// RevokeAPIKey revokes one of the user's keys; revoking twice keeps the first
// time.
func (s *db) RevokeAPIKey(ctx context.Context, userID, keyID int64, now time.Time) (APIKey, error) {
	var k APIKey
	err := mapErr(scanKey(s.ex.QueryRowContext(ctx, s.d.rebind(
		"UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND user_id = ? RETURNING "+keyCols),
		s.d.at(now), keyID, userID), &k))
	return k, err
}

// RevokeUserKeys revokes every live key of a user.
func (s *db) RevokeUserKeys(ctx context.Context, userID int64, now time.Time) (int, error) {
	n, err := s.exec(ctx, "UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", s.d.at(now), userID)
	return int(n), err
}

// TouchAPIKeys records last use of many keys in one batch; a time never
// moves backwards.
func (s *db) TouchAPIKeys(ctx context.Context, lastUsed map[int64]time.Time) error {
	return s.batchTimes(ctx, "api_keys", "last_used_at", lastUsed)
}

const logCols = "id, api_key_id, user_id, method, path, status, duration_ms, ip, error, created_at"

// InsertRequestLogs writes a batch with multi-row inserts.
func (s *db) InsertRequestLogs(ctx context.Context, logs []APIRequestLog) error {
	return s.insertRows(ctx, "INSERT INTO api_request_logs ("+logCols[4:]+") VALUES ", 9, len(logs), "",
		func(i int) []any {
			l := logs[i]
			return []any{l.APIKeyID, l.UserID, l.Method, l.Path, l.Status, l.DurationMS, l.IP, l.Error, s.d.at(l.CreatedAt)}
		})
}

// ListRequestLogs pages a user's request log, newest first.
func (s *db) ListRequestLogs(ctx context.Context, userID int64, keyID *int64, p Page) ([]APIRequestLog, error) {
	q, args := "SELECT "+logCols+" FROM api_request_logs WHERE user_id = ?", []any{userID}
	if keyID != nil {
		q, args = q+" AND api_key_id = ?", append(args, *keyID)
	}
	q, args = newestFirst(q, args, p)
	return collect(ctx, s, q, args, func(r *sql.Rows, l *APIRequestLog) error {
		return r.Scan(&l.ID, &l.APIKeyID, &l.UserID, &l.Method, &l.Path, &l.Status, &l.DurationMS, &l.IP, &l.Error, timeCol{&l.CreatedAt})
	})
}
