package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// executor is what both *sql.DB and *sql.Tx offer; a db runs every query
// through one, so the same methods work inside and outside a transaction.
type executor interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// db implements Store for both engines on database/sql.
type db struct {
	conn *sql.DB
	ex   executor // conn, or the transaction the store is bound to
	// rd serves the hot reads made outside a transaction: SQLite's pool
	// of read-only connections; nil on PostgreSQL, whose pool serves
	// reads and writes alike, and in a transaction.
	rd    *sql.DB
	inTx  bool
	d     dialect
	close func() error
	// pending collects the transaction's changes for the feed; nil
	// outside a transaction.
	pending *[]pendingChange
	// pool is PostgreSQL's connection pool, for the one connection that
	// listens for other daemons' changes; nil on SQLite.
	pool *pgxpool.Pool
	// watch hears, after each commit, which bots were written.
	watch *botWatchers
	// caps memoizes, in a transaction, whether any concurrency cap is set.
	caps *bool
	// hooks memoizes, in a transaction, each user's enabled webhook
	// endpoints; any write of an endpoint clears it.
	hooks map[int64][]WebhookEndpoint
	// noHooks is set, in a transaction, when it read that no webhook
	// endpoint is enabled anywhere; any write of an endpoint clears it.
	noHooks bool
	// booked memoizes, in a transaction, whether any reservation is
	// stored; a booking clears it.
	booked *bool
	// groupClock is, in a CreateAndAdmit transaction, the group's
	// admission time: the group holds the admission lock already.
	groupClock *time.Time
	// groupUsed is, in a CreateAndAdmit transaction, the capacity in use
	// per platform, counted once and kept by the group's admissions.
	groupUsed map[string]int
	// clearUpTo is, in a CreateAndAdmit transaction, the least urgent
	// priority at which a new bot was found to have no queue entry ahead
	// of it since the group last queued one (see queuedAhead).
	clearUpTo *int
	// touched collects, in a transaction, bots written without a change
	// (a new token, a deletion), for the watchers after the commit.
	touched *[]int64
	// outboxed is set, in a transaction, when it added webhook
	// deliveries, for the outbox watchers after the commit.
	outboxed *bool
	// capsSeen is whether the last admission clock read saw a
	// concurrency cap set anywhere: a hint, for work a group may do
	// before it takes the admission lock.
	capsSeen *atomic.Bool
}

var _ Store = (*db)(nil)

// Engine names the engine: "sqlite" or "postgres".
func (s *db) Engine() string { return s.d.name }

// Close releases the connections. A store bound to a transaction owns none.
func (s *db) Close() error {
	if s.inTx || s.close == nil {
		return nil
	}
	return s.close()
}

// InTx runs fn in one transaction. Inside a transaction already, fn joins it,
// so store methods compose without nesting.
func (s *db) InTx(ctx context.Context, fn func(Store) error) error {
	return s.tx(ctx, func(t *db) error { return fn(t) })
}

// tx runs fn with a store bound to a transaction, beginning one unless the
// store already is in one. It rolls back on error and on panic.
func (s *db) tx(ctx context.Context, fn func(*db) error) (err error) {
	if s.inTx {
		return fn(s)
	}
	sqlTx, err := s.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", mapErr(err))
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	t := &db{conn: s.conn, ex: sqlTx, inTx: true, d: s.d, pending: &[]pendingChange{}, pool: s.pool, watch: s.watch, capsSeen: s.capsSeen, touched: &[]int64{}, outboxed: new(bool)}
	if err := fn(t); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := t.flushChanges(ctx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return mapErr(err)
	}
	s.watch.tell(append(changedBotIDs(*t.pending), *t.touched...))
	if *t.outboxed {
		s.watch.tellOutbox()
	}
	return nil
}

// reader is the executor of a read that needs no transaction: rd when
// the store has one, else the store's own executor (which, in a
// transaction, sees the transaction's own writes).
func (s *db) reader() executor {
	if s.rd != nil && !s.inTx {
		return s.rd
	}
	return s.ex
}

// exec runs a statement and returns the rows it affected.
func (s *db) exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := s.ex.ExecContext(ctx, s.d.rebind(q), args...)
	if err != nil {
		return 0, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n, mapErr(err)
}

// get scans the first row of q into dest; no row is ErrNotFound.
func (s *db) get(ctx context.Context, q string, args []any, dest ...any) error {
	return mapErr(s.ex.QueryRowContext(ctx, s.d.rebind(q), args...).Scan(dest...))
}

// each runs q and calls scan for every row. The rows are closed before each
// returns, which matters on SQLite: its single connection is not free for the
// next statement until they are.
func (s *db) each(ctx context.Context, q string, args []any, scan func(*sql.Rows) error) error {
	return s.eachOn(ctx, s.ex, q, args, scan)
}

// eachOn is each on the executor ex (the store's, or its reader).
func (s *db) eachOn(ctx context.Context, ex executor, q string, args []any, scan func(*sql.Rows) error) error {
	rows, err := ex.QueryContext(ctx, s.d.rebind(q), args...)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return mapErr(err)
		}
	}
	return mapErr(rows.Err())
}

// count runs a query returning one integer.
func (s *db) count(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	err := s.get(ctx, q, args, &n)
	return n, err
}

// lockAdmission serialises capacity, queue and quota decisions. PostgreSQL
// takes a transaction-scoped advisory lock, released at commit, so any
// number of daemons agree; SQLite needs nothing, as its one writer
// connection and BEGIN IMMEDIATE already serialise every write transaction.
func (s *db) lockAdmission(ctx context.Context) error {
	return s.lock(ctx, admissionLockKey)
}

// admissionClock returns now, or the last admission time when that is
// later, and records it. Called under the admission lock, it makes the
// times admissions write (queued_at, deploy_started_at) increase in the
// order the lock was granted, whatever the callers' clocks read before
// waiting. One statement reads and advances the clock, and reads the memos
// nearly every admission needs (are caps or reservations set anywhere?)
// in the same snapshot, taken after the lock, so they are as fresh as if
// read apart: two round trips fewer on every admission, and a third (the
// owner's webhook endpoints) where no endpoint is enabled at all. Given
// used, it also counts the capacity in use per platform (capacityUsed):
// a group of creates, the queue's admission and an end need the count
// once, and have it without a round trip of its own.
func (s *db) admissionClock(ctx context.Context, now time.Time, used *map[string]int) (time.Time, error) {
	var last time.Time
	var caps, booked, hooked bool
	q := "UPDATE admission_clock SET last_at = " + s.d.greatest() + "(last_at, ?) WHERE id = 1 " +
		"RETURNING last_at, (" + capsSomewhere + ") > 0, EXISTS (SELECT 1 FROM capacity_reservations), " +
		"EXISTS (SELECT 1 FROM webhook_endpoints WHERE disabled_at IS NULL)"
	args, dest := []any{s.d.at(now)}, []any{timeCol{&last}, &caps, &booked, &hooked}
	var counts []byte
	if used != nil {
		cond, cargs := statusIn("status", capacityStatuses)
		q += ", (SELECT " + s.d.jsonObjectAgg() + "(deployment_platform, n) FROM (SELECT deployment_platform, count(*) AS n " +
			"FROM bots WHERE " + cond + " AND deployment_platform IS NOT NULL GROUP BY deployment_platform) c)"
		args, dest = append(args, cargs...), append(dest, &counts)
	}
	if err := s.get(ctx, q, args, dest...); err != nil {
		return now, err
	}
	if s.inTx {
		s.caps, s.booked, s.noHooks = &caps, &booked, !hooked
	}
	s.capsSeen.Store(caps)
	if used != nil && counts != nil { // NULL: nothing holds capacity
		if err := json.Unmarshal(counts, used); err != nil {
			return now, fmt.Errorf("store: capacity in use: %w", err)
		}
	}
	return last, nil
}

func (s *db) lock(ctx context.Context, key int64) error {
	if !s.d.postgres {
		return nil
	}
	if !s.inTx {
		return errors.New("store: advisory lock outside a transaction")
	}
	_, err := s.exec(ctx, "SELECT pg_advisory_xact_lock(?)", key)
	return err
}

// lockQuota serialises quota checks of one user (PostgreSQL only, as above).
func (s *db) lockQuota(ctx context.Context, userID int64) error {
	if !s.d.postgres {
		return nil
	}
	_, err := s.exec(ctx, "SELECT pg_advisory_xact_lock(?, ?)", quotaLockClass, int32(userID))
	return err
}

// exists reports whether a row matches q (a SELECT count(*)).
func (s *db) exists(ctx context.Context, q string, args ...any) (bool, error) {
	n, err := s.count(ctx, q, args...)
	return n > 0, err
}

// missingOr resolves a guarded write that matched nothing: ErrNotFound when
// the row is absent (or not the caller's), ErrConflict when its state
// refused the change.
func (s *db) missingOr(ctx context.Context, q string, args ...any) error {
	ok, err := s.exists(ctx, q, args...)
	if err != nil {
		return err
	}
	if ok {
		return ErrConflict
	}
	return ErrNotFound
}

// Page limits.
const (
	defaultLimit = 50
	maxLimit     = 500
)

// limit applies the page-size default and cap.
func limit(n int) int {
	if n <= 0 {
		return defaultLimit
	}
	return min(n, maxLimit)
}

// newestFirst finishes a listing query that pages by id descending: rows
// before p.BeforeID, newest first, at most one page.
func newestFirst(q string, args []any, p Page) (string, []any) {
	if p.BeforeID > 0 {
		q, args = q+" AND id < ?", append(args, p.BeforeID)
	}
	return q + " ORDER BY id DESC LIMIT ?", append(args, limit(p.Limit))
}

// collect runs q and scans each row into a new T.
func collect[T any](ctx context.Context, s *db, q string, args []any, scan func(*sql.Rows, *T) error) ([]T, error) {
	var out []T
	err := s.each(ctx, q, args, func(r *sql.Rows) error {
		var v T
		err := scan(r, &v)
		out = append(out, v)
		return err
	})
	return out, err
}

// placeholders returns "?, ?, ..." with n marks.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, 0, n*3)
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '?')
	}
	return string(b)
}
