package store

import (
	"context"
	"time"
)

// TryLead takes or renews a lease with one upsert: the conflicting row is
// only overwritten when it is the holder's own or has expired, so of many
// daemons racing for a free lease exactly one gets a row affected.
func (s *db) TryLead(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error) {
	n, err := s.exec(ctx, "INSERT INTO leader_leases (name, holder, expires_at) VALUES (?, ?, ?) "+
		"ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at "+
		"WHERE leader_leases.holder = excluded.holder OR leader_leases.expires_at < ?",
		name, holder, s.d.at(now.Add(ttl)), s.d.at(now))
	return n > 0, err
}

// Resign gives up holder's lease so another daemon can lead at once.
func (s *db) Resign(ctx context.Context, name, holder string) error {
	_, err := s.exec(ctx, "DELETE FROM leader_leases WHERE name = ? AND holder = ?", name, holder)
	return err
}

// PurgeOlderThan deletes request logs and idempotency records created before
// the cut-off (W47: the original kept them forever), and console sessions
// and links that expired before it: they can never be used again.
func (s *db) PurgeOlderThan(ctx context.Context, before time.Time) (int64, error) {
	var total int64
	err := s.tx(ctx, func(t *db) error {
		for _, q := range []string{
			"DELETE FROM api_request_logs WHERE created_at < ?", "DELETE FROM idempotency_keys WHERE created_at < ?",
			"DELETE FROM console_sessions WHERE expires_at < ?", "DELETE FROM console_links WHERE expires_at < ?",
		} {
			n, err := t.exec(ctx, q, t.d.at(before))
			if err != nil {
				return err
			}
			total += n
		}
		return nil
	})
	return total, err
}
