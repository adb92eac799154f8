package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ConcurrencyLimitError is a bot its owner's (or its key's) concurrency
// cap keeps from taking capacity: Running bots of that scope hold
// capacity, and Limit is the cap.
type ConcurrencyLimitError struct {
	Scope   string // "user" or "key"
	Running int
	Limit   int
}

func (e *ConcurrencyLimitError) Error() string {
	return fmt.Sprintf("%d of %d concurrent bots of this %s are running", e.Running, e.Limit, e.Scope)
}

// userCapSQL is the concurrency cap of user u in SQL, resolved as
// UserLimits resolves it (NULL: none). Its two placeholders are now.
const userCapSQL = "COALESCE(u.max_concurrent_bots, (SELECT p.concurrent_bots FROM plans p WHERE p.name = " +
	"CASE WHEN u.plan IS NOT NULL THEN u.plan WHEN u.role = 'admin' THEN NULL ELSE COALESCE((SELECT sub.plan FROM subscriptions sub " +
	"WHERE sub.user_id = u.id AND sub.active AND sub.starts_at <= ? AND (sub.ends_at IS NULL OR sub.ends_at > ?) " +
	"ORDER BY sub.starts_at DESC, sub.id DESC LIMIT 1), 'FREE') END))"

// runningOf counts the bots holding capacity whose col equals the outer
// query's ref, leaving out one bot id (the placeholder after the statuses).
func runningOf(col, ref string) (string, []any) {
	cond, args := statusIn("r.status", capacityStatuses)
	return "(SELECT count(*) FROM bots r WHERE r." + col + " = " + ref + " AND " + cond + " AND r.id <> ?)", args
}

// overCap answers the cap that keeps bot b from taking capacity now: its
// owner's, else its key's; nil when both have room. b itself is not
// counted (it may be DEPLOYING already, failing over). Called under the
// admission lock, the count and the decision are one.
func (s *db) overCap(ctx context.Context, b Bot, now time.Time) (*ConcurrencyLimitError, error) {
	if some, err := s.anyCaps(ctx); err != nil || !some {
		return nil, err
	}
	at := s.d.at(now)
	running, rargs := runningOf("user_id", "u.id")
	q := "SELECT " + userCapSQL + ", " + running + " FROM users u WHERE u.id = ?"
	args := append(append([]any{at, at}, rargs...), b.ID, b.UserID)
	if e, err := s.capRow(ctx, "user", q, args); e != nil || err != nil {
		return e, err
	}
	running, rargs = runningOf("api_key_id", "k.id")
	q = "SELECT k.max_concurrent_bots, " + running + " FROM bots b JOIN api_keys k ON k.id = b.api_key_id WHERE b.id = ?"
	return s.capRow(ctx, "key", q, append(append([]any{}, rargs...), b.ID, b.ID))
}

// keyCap answers the cap of key keyID when its bots, but for bot except,
// reach it; nil when it has room or no cap (with no cap set anywhere, its
// bots are not counted).
func (s *db) keyCap(ctx context.Context, keyID, except int64) (*ConcurrencyLimitError, error) {
	if some, err := s.anyCaps(ctx); err != nil || !some {
		return nil, err
	}
	running, rargs := runningOf("api_key_id", "k.id")
	q := "SELECT k.max_concurrent_bots, " + running + " FROM api_keys k WHERE k.id = ?"
	return s.capRow(ctx, "key", q, append(append([]any{}, rargs...), except, keyID))
}

// capRow reads (cap, running) and answers the error when running reaches
// the cap; no row or no cap is room.
func (s *db) capRow(ctx context.Context, scope, q string, args []any) (*ConcurrencyLimitError, error) {
	var limit sql.NullInt64
	var running int
	err := s.get(ctx, q, args, &limit, &running)
	if errors.Is(err, ErrNotFound) || (err == nil && (!limit.Valid || int64(running) < limit.Int64)) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &ConcurrencyLimitError{Scope: scope, Running: running, Limit: int(limit.Int64)}, nil
}

// cappedQueued is a condition on deployment_queue rows leaving out the
// bots whose owner or key is at its concurrency cap, with its arguments:
// those bots wait without holding back the bots behind them, who may take
// capacity they cannot. It is empty when no cap applies to anyone queued.
func (s *db) cappedQueued(ctx context.Context, now time.Time) (string, []any, error) {
	if some, err := s.anyCaps(ctx); err != nil || !some {
		return "", nil, err
	}
	at := s.d.at(now)
	running, rargs := runningOf("user_id", "u.id")
	users, err := s.ids(ctx, "SELECT u.id FROM users u WHERE u.id IN (SELECT b.user_id FROM deployment_queue q JOIN bots b ON b.id = q.bot_id) AND "+
		running+" >= "+userCapSQL, append(append([]any{}, rargs...), 0, at, at)...)
	if err != nil {
		return "", nil, err
	}
	running, rargs = runningOf("api_key_id", "k.id")
	keys, err := s.ids(ctx, "SELECT k.id FROM api_keys k WHERE k.max_concurrent_bots IS NOT NULL AND "+running+" >= k.max_concurrent_bots",
		append(append([]any{}, rargs...), 0)...)
	if err != nil || len(users)+len(keys) == 0 {
		return "", nil, err
	}
	return " AND bot_id NOT IN (SELECT id FROM bots WHERE user_id IN (" + inList(users) + ") OR api_key_id IN (" + inList(keys) + "))",
		append(int64Args(users), int64Args(keys)...), nil
}

// capsSomewhere counts the concurrency caps set anywhere: with none (the
// default plans have none), no bot is held back by one.
const capsSomewhere = "SELECT (SELECT count(*) FROM plans WHERE concurrent_bots IS NOT NULL) + " +
	"(SELECT count(*) FROM users WHERE max_concurrent_bots IS NOT NULL) + (SELECT count(*) FROM api_keys WHERE max_concurrent_bots IS NOT NULL)"

// anyCaps reports whether a concurrency cap is set anywhere, read once per
// transaction: an admission asks for the new bot and for each queue head.
func (s *db) anyCaps(ctx context.Context) (bool, error) {
	if s.caps != nil {
		return *s.caps, nil
	}
	some, err := s.exists(ctx, capsSomewhere)
	if err == nil && s.inTx {
		s.caps = &some
	}
	return some, err
}

// inList is n placeholders, or NULL for none (IN (NULL) matches nothing).
func inList(ids []int64) string {
	if len(ids) == 0 {
		return "NULL"
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// refuse deletes a just-created bot its cap keeps from running, inside the
// admission transaction that counted, so no other admission sees it.
func (s *db) refuse(ctx context.Context, b Bot, capped *ConcurrencyLimitError) (AdmitResult, error) {
	if _, err := s.exec(ctx, "DELETE FROM bots WHERE id = ? AND status = 'SCHEDULED'", b.ID); err != nil {
		return AdmitResult{}, err
	}
	return AdmitResult{Bot: b, From: b.Status, Refused: capped}, nil
}
