package store

import (
	"context"
	"database/sql"
	"errors"
	"hash/fnv"
)

const turnCols = "id, scope, entry, holder, requested_at, granted_at, lease_until, wait_until"

func scanTurn(r interface{ Scan(...any) error }, x *DeployTurn) error {
	*x = DeployTurn{}
	err := r.Scan(&x.Seq, &x.Scope, &x.Entry, &x.Holder, timeCol{&x.RequestedAt}, nullTimeCol{&x.GrantedAt},
		timeCol{&x.LeaseUntil}, timeCol{&x.WaitUntil})
	x.Granted = x.GrantedAt != nil
	return err
}

// AcquireDeployTurn queues, renews and grants entries of one scope in one
// transaction under the scope's lock: counting the granted turns and
// granting more must not interleave, or two daemons could each see a free
// turn and together exceed Max. On SQLite the single writer is that lock.
func (s *db) AcquireDeployTurn(ctx context.Context, p DeployTurnParams) (DeployTurn, error) {
	if p.Max < 1 {
		return DeployTurn{}, errors.New("store: AcquireDeployTurn needs Max of at least 1")
	}
	var out DeployTurn
	var timedOut bool
	err := s.tx(ctx, func(t *db) error {
		if err := t.lockScope(ctx, p.Scope); err != nil {
			return err
		}
		var err error
		out, timedOut, err = t.acquireTurn(ctx, p)
		return err
	})
	if err == nil && timedOut {
		err = ErrWaitTimeout // the entry's deletion is committed
	}
	return out, err
}

// acquireTurn is AcquireDeployTurn in its transaction; timedOut reports a
// entry dropped for waiting too long.
func (s *db) acquireTurn(ctx context.Context, p DeployTurnParams) (_ DeployTurn, timedOut bool, _ error) {
	now := s.d.at(p.Now)
	// Entries not renewed in time belong to daemons that died or gave up.
	if _, err := s.exec(ctx, "DELETE FROM deploy_turns WHERE scope = ? AND lease_until < ?", p.Scope, now); err != nil {
		return DeployTurn{}, false, err
	}
	mine, err := s.turnRow(ctx, "INSERT INTO deploy_turns (scope, entry, holder, requested_at, lease_until, wait_until) "+
		"VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scope, entry) DO UPDATE SET lease_until = excluded.lease_until "+
		"WHERE deploy_turns.holder = excluded.holder RETURNING "+turnCols,
		p.Scope, p.Entry, p.Holder, now, s.d.at(p.Now.Add(p.LeaseFor)), s.d.at(p.Now.Add(p.WaitFor)))
	if errors.Is(err, ErrNotFound) {
		return DeployTurn{}, false, ErrConflict // another holder's live entry
	}
	if err != nil || mine.Granted {
		return mine, false, err
	}
	if !p.Now.Before(mine.WaitUntil) {
		_, err := s.exec(ctx, "DELETE FROM deploy_turns WHERE id = ?", mine.Seq)
		return DeployTurn{}, err == nil, err
	}
	if err := s.grantTurns(ctx, p.Scope, p.Max, now); err != nil {
		return DeployTurn{}, false, err
	}
	x, err := s.turnWithPosition(ctx, mine.Seq)
	return x, false, err
}

// grantTurns grants waiting entries in queue order while turns are free.
func (s *db) grantTurns(ctx context.Context, scope string, max int, now any) error {
	granted, err := s.count(ctx, "SELECT count(*) FROM deploy_turns WHERE scope = ? AND granted_at IS NOT NULL", scope)
	if err != nil || granted >= max {
		return err
	}
	_, err = s.exec(ctx, "UPDATE deploy_turns SET granted_at = ? WHERE id IN (SELECT id FROM deploy_turns WHERE scope = ? "+
		"AND granted_at IS NULL ORDER BY id LIMIT ?)", now, scope, max-granted)
	return err
}

func (s *db) turnWithPosition(ctx context.Context, seq int64) (DeployTurn, error) {
	x, err := s.turnRow(ctx, "SELECT "+turnCols+" FROM deploy_turns WHERE id = ?", seq)
	if err != nil || x.Granted {
		return x, err
	}
	ahead, err := s.count(ctx, "SELECT count(*) FROM deploy_turns WHERE scope = ? AND granted_at IS NULL AND id < ?", x.Scope, seq)
	x.Position = ahead + 1
	return x, err
}

func (s *db) turnRow(ctx context.Context, q string, args ...any) (DeployTurn, error) {
	var x DeployTurn
	err := mapErr(scanTurn(s.ex.QueryRowContext(ctx, s.d.rebind(q), args...), &x))
	return x, err
}

// ReleaseDeployTurn deletes the holder's entry.
func (s *db) ReleaseDeployTurn(ctx context.Context, scope, entry, holder string) error {
	_, err := s.exec(ctx, "DELETE FROM deploy_turns WHERE scope = ? AND entry = ? AND holder = ?", scope, entry, holder)
	return err
}

// ListDeployTurns lists a scope's entries in queue order, with the
// positions of those waiting.
func (s *db) ListDeployTurns(ctx context.Context, scope string) ([]DeployTurn, error) {
	out, err := collect(ctx, s, "SELECT "+turnCols+" FROM deploy_turns WHERE scope = ? ORDER BY id", []any{scope},
		func(r *sql.Rows, x *DeployTurn) error { return scanTurn(r, x) })
	pos := 0
	for i := range out {
		if !out[i].Granted {
			pos++
			out[i].Position = pos
		}
	}
	return out, err
}

// lockScope serialises deploy turns of one scope (PostgreSQL only: SQLite's
// single writer already does).
func (s *db) lockScope(ctx context.Context, scope string) error {
	if !s.d.postgres {
		return nil
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(scope))
	_, err := s.exec(ctx, "SELECT pg_advisory_xact_lock(?, ?)", deployTurnLockClass, int32(h.Sum32()))
	return err
}
