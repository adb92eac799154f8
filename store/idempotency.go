package store

import (
	"context"
	"time"
)

const idemCols = "user_id, idem_key, request_hash, status, body, created_at"

// ClaimIdempotencyKey takes (UserID, Key) for one request before it runs,
// so that of any number of concurrent retries exactly one runs it. A key
// nobody holds (never used, used before NotBefore, or claimed by a request
// whose claim expired because its daemon died) is claimed for p.Token
// until p.Now+p.LeaseFor. Otherwise the state says why not: the stored
// answer of a finished request, or another request holding the key.
func (s *db) ClaimIdempotencyKey(ctx context.Context, p IdempotencyClaim) (IdempotencyState, error) {
	var st IdempotencyState
	err := s.tx(ctx, func(t *db) error {
		var err error
		st, err = t.claimIdempotencyKey(ctx, p)
		return err
	})
	return st, err
}

func (s *db) claimIdempotencyKey(ctx context.Context, p IdempotencyClaim) (IdempotencyState, error) {
	until := s.d.at(p.Now.Add(p.LeaseFor))
	n, err := s.exec(ctx, "INSERT INTO idempotency_keys ("+idemCols+", claim_token, claim_until) VALUES (?, ?, ?, 0, ?, ?, ?, ?) "+
		"ON CONFLICT (user_id, idem_key) DO NOTHING", p.UserID, p.Key, p.RequestHash, []byte{}, s.d.at(p.Now), p.Token, until)
	if err != nil || n == 1 {
		return IdempotencyState{Claimed: n == 1}, err
	}
	var cur IdempotentResponse
	var token *string
	var claimUntil *time.Time
	if err := s.get(ctx, "SELECT "+idemCols+", claim_token, claim_until FROM idempotency_keys WHERE user_id = ? AND idem_key = ?",
		[]any{p.UserID, p.Key}, &cur.UserID, &cur.Key, &cur.RequestHash, &cur.Status, &cur.Body, timeCol{&cur.CreatedAt},
		&token, nullTimeCol{&claimUntil}); err != nil {
		return IdempotencyState{}, err
	}
	stale := cur.CreatedAt.Before(p.NotBefore) || (claimUntil != nil && !claimUntil.After(p.Now))
	if stale {
		// Take the key over: from a window that has passed, or from a
		// request that will never finish. The guard on created_at makes
		// the take-over itself race-free.
		n, err := s.exec(ctx, "UPDATE idempotency_keys SET request_hash = ?, status = 0, body = ?, created_at = ?, claim_token = ?, claim_until = ? "+
			"WHERE user_id = ? AND idem_key = ? AND created_at = ?", p.RequestHash, []byte{}, s.d.at(p.Now), p.Token, until,
			p.UserID, p.Key, s.d.at(cur.CreatedAt))
		return IdempotencyState{Claimed: n == 1, InProgress: n == 0}, err
	}
	if token != nil {
		return IdempotencyState{InProgress: true, RequestHash: cur.RequestHash}, nil
	}
	return IdempotencyState{Response: &cur, RequestHash: cur.RequestHash}, nil
}

// CompleteIdempotencyKey stores the answer of the request holding the key
// under r.Token, ending its claim. A claim taken over meanwhile (the
// request outlived its lease) is left to its new holder.
func (s *db) CompleteIdempotencyKey(ctx context.Context, r IdempotentResponse, token string) error {
	body := r.Body
	if body == nil {
		body = []byte{}
	}
	_, err := s.exec(ctx, "UPDATE idempotency_keys SET status = ?, body = ?, claim_token = NULL, claim_until = NULL "+
		"WHERE user_id = ? AND idem_key = ? AND claim_token = ?", r.Status, body, r.UserID, r.Key, token)
	return err
}

// ReleaseIdempotencyKey gives up a claim without an answer (the request
// failed on the server's side), so a retry runs the request again.
func (s *db) ReleaseIdempotencyKey(ctx context.Context, userID int64, key, token string) error {
	_, err := s.exec(ctx, "DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ? AND claim_token = ?", userID, key, token)
	return err
}
