package store

import (
	"context"
	"database/sql/driver"
	"errors"
)

// maxCachedStmts bounds the statements one connection keeps. Multi-row
// inserts make a text per row count; past the bound, statements are
// prepared and closed per use as before.
const maxCachedStmts = 512

// stmtCacheConnector gives each SQLite connection a cache of prepared
// statements. The modernc driver prepares every query it is handed
// afresh, and preparing was over a quarter of the daemon's CPU on the
// read paths; a connection that hides its Queryer and Execer makes
// database/sql prepare through PrepareContext, which answers from the
// cache. PostgreSQL needs none of this: pgx keeps its own per-connection
// statement cache.
type stmtCacheConnector struct{ driver.Connector }

func (c stmtCacheConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &stmtCacheConn{conn: conn, stmts: map[string]*cachedStmt{}}, nil
}

// stmtCacheConn is one connection with its statements. database/sql uses
// a connection from one goroutine at a time, so the map needs no lock.
type stmtCacheConn struct {
	conn  driver.Conn
	stmts map[string]*cachedStmt
}

var (
	_ driver.ConnBeginTx        = (*stmtCacheConn)(nil)
	_ driver.ConnPrepareContext = (*stmtCacheConn)(nil)
	_ driver.NamedValueChecker  = (*stmtCacheConn)(nil)
	_ driver.SessionResetter    = (*stmtCacheConn)(nil)
	_ driver.Validator          = (*stmtCacheConn)(nil)
	_ driver.Pinger             = (*stmtCacheConn)(nil)
	_ driver.StmtExecContext    = (*cachedStmt)(nil)
	_ driver.StmtQueryContext   = (*cachedStmt)(nil)
)

// cachedStmt is a kept statement. database/sql closes the statement it
// prepared once its result or rows are done; for a kept one that only
// frees it for the next use. A query whose statement is still in use (its
// rows open while another call runs on the connection) gets a statement
// of its own.
type cachedStmt struct {
	driver.Stmt
	busy bool
}

func (s *cachedStmt) Close() error {
	s.busy = false
	return nil
}

func (s *cachedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if e, ok := s.Stmt.(driver.StmtExecContext); ok {
		return e.ExecContext(ctx, args)
	}
	return nil, errors.New("store: the sqlite driver cannot execute with a context")
}

func (s *cachedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if q, ok := s.Stmt.(driver.StmtQueryContext); ok {
		return q.QueryContext(ctx, args)
	}
	return nil, errors.New("store: the sqlite driver cannot query with a context")
}

func (s *cachedStmt) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := s.Stmt.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

func (c *stmtCacheConn) Prepare(q string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), q)
}

// PrepareContext hands out the kept statement of q when it is free,
// keeping a new one while there is room.
func (c *stmtCacheConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	if st, ok := c.stmts[q]; ok && !st.busy {
		st.busy = true
		return st, nil
	}
	st, err := c.prepare(ctx, q)
	if err != nil {
		return nil, err
	}
	if _, ok := c.stmts[q]; ok || len(c.stmts) >= maxCachedStmts {
		return st, nil
	}
	kept := &cachedStmt{Stmt: st, busy: true}
	c.stmts[q] = kept
	return kept, nil
}

func (c *stmtCacheConn) prepare(ctx context.Context, q string) (driver.Stmt, error) {
	if p, ok := c.conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, q)
	}
	return c.conn.Prepare(q)
}

// Close closes the kept statements, then the connection.
func (c *stmtCacheConn) Close() error {
	for q, st := range c.stmts {
		_ = st.Stmt.Close()
		delete(c.stmts, q)
	}
	return c.conn.Close()
}

func (c *stmtCacheConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *stmtCacheConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	b, ok := c.conn.(driver.ConnBeginTx)
	if !ok {
		return nil, errors.New("store: the sqlite driver cannot begin transactions with options")
	}
	return b.BeginTx(ctx, opts)
}

func (c *stmtCacheConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

func (c *stmtCacheConn) ResetSession(ctx context.Context) error {
	if r, ok := c.conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *stmtCacheConn) IsValid() bool {
	if v, ok := c.conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *stmtCacheConn) Ping(ctx context.Context) error {
	if p, ok := c.conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}
