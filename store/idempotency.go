package store

import (
	"context"
	"errors"
	"time"
)

const idemCols = "user_id, idem_key, request_hash, status, body, created_at"

func scanIdem(r interface{ Scan(...any) error }, x *IdempotentResponse) error {
	return r.Scan(&x.UserID, &x.Key, &x.RequestHash, &x.Status, &x.Body, timeCol{&x.CreatedAt})
}

// SaveIdempotentResponse stores r unless (UserID, Key) is taken, in which
// case the stored response comes back with ErrConflict so the caller can
// replay it (or refuse a different request under the same key).
func (s *db) SaveIdempotentResponse(ctx context.Context, r IdempotentResponse) (IdempotentResponse, error) {
	body := r.Body
	if body == nil {
		body = []byte{}
	}
	n, err := s.exec(ctx, "INSERT INTO idempotency_keys ("+idemCols+") VALUES (?, ?, ?, ?, ?, ?) "+
		"ON CONFLICT (user_id, idem_key) DO NOTHING",
		r.UserID, r.Key, r.RequestHash, r.Status, body, s.d.at(r.CreatedAt))
	if err != nil {
		return IdempotentResponse{}, err
	}
	if n == 1 {
		return s.GetIdempotentResponse(ctx, r.UserID, r.Key, time.Time{})
	}
	stored, err := s.GetIdempotentResponse(ctx, r.UserID, r.Key, time.Time{})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return IdempotentResponse{}, err
	}
	return stored, ErrConflict
}

// GetIdempotentResponse reads a stored response created at or after
// notBefore; older ones are as good as gone.
func (s *db) GetIdempotentResponse(ctx context.Context, userID int64, key string, notBefore time.Time) (IdempotentResponse, error) {
	var x IdempotentResponse
	err := mapErr(scanIdem(s.ex.QueryRowContext(ctx, s.d.rebind("SELECT "+idemCols+
		" FROM idempotency_keys WHERE user_id = ? AND idem_key = ? AND created_at >= ?"),
		userID, key, s.d.at(notBefore)), &x))
	return x, err
}
