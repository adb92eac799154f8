package metrics

import (
	"context"
	"database/sql/driver"
	"errors"
	"time"
)

// WrapConnector times every database call at the driver: the store opens
// its connections through it (store.Config.WrapConnector), so both engines
// are measured the same way, below the store's own code. The wrapper
// forwards each optional interface database/sql looks for, so the driver
// behaves exactly as without it.
func (m *Metrics) WrapConnector(c driver.Connector) driver.Connector {
	return &timedConnector{c: c, m: m}
}

type timedConnector struct {
	c driver.Connector
	m *Metrics
}

func (t *timedConnector) Driver() driver.Driver { return t.c.Driver() }

func (t *timedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := t.c.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &timedConn{conn: conn, m: t.m}, nil
}

// observe records one call; ErrSkip (use the fallback) and a request
// cancelled by its caller are no failure of the database.
func (m *Metrics) observeDB(op string, start time.Time, err error) {
	m.dbCalls.WithLabelValues(op).Observe(seconds(time.Since(start)))
	if err != nil && !errors.Is(err, driver.ErrSkip) && !errors.Is(err, context.Canceled) {
		m.dbErrors.WithLabelValues(op).Inc()
	}
}

type timedConn struct {
	conn driver.Conn
	m    *Metrics
}

var (
	_ driver.Connector          = (*timedConnector)(nil)
	_ driver.ConnBeginTx        = (*timedConn)(nil)
	_ driver.ConnPrepareContext = (*timedConn)(nil)
	_ driver.ExecerContext      = (*timedConn)(nil)
	_ driver.QueryerContext     = (*timedConn)(nil)
	_ driver.NamedValueChecker  = (*timedConn)(nil)
	_ driver.SessionResetter    = (*timedConn)(nil)
	_ driver.Validator          = (*timedConn)(nil)
	_ driver.Pinger             = (*timedConn)(nil)
	_ driver.StmtExecContext    = (*timedStmt)(nil)
	_ driver.StmtQueryContext   = (*timedStmt)(nil)
	_ driver.NamedValueChecker  = (*timedStmt)(nil)
	_ driver.Tx                 = (*timedTx)(nil)
)

func (c *timedConn) Prepare(q string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), q)
}

func (c *timedConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	var st driver.Stmt
	var err error
	if p, ok := c.conn.(driver.ConnPrepareContext); ok {
		st, err = p.PrepareContext(ctx, q)
	} else {
		st, err = c.conn.Prepare(q)
	}
	if err != nil {
		return nil, err
	}
	return &timedStmt{Stmt: st, m: c.m}, nil
}

func (c *timedConn) Close() error { return c.conn.Close() }

func (c *timedConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *timedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (tx driver.Tx, err error) {
	defer func(start time.Time) { c.m.observeDB("begin", start, err) }(time.Now())
	b, ok := c.conn.(driver.ConnBeginTx)
	if !ok {
		return nil, errors.New("metrics: the driver cannot begin transactions with options")
	}
	inner, err := b.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &timedTx{tx: inner, m: c.m}, nil
}

func (c *timedConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (res driver.Result, err error) {
	e, ok := c.conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	defer func(start time.Time) { c.m.observeDB("exec", start, err) }(time.Now())
	return e.ExecContext(ctx, q, args)
}

func (c *timedConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (rows driver.Rows, err error) {
	qc, ok := c.conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	defer func(start time.Time) { c.m.observeDB("query", start, err) }(time.Now())
	return qc.QueryContext(ctx, q, args)
}

func (c *timedConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

func (c *timedConn) ResetSession(ctx context.Context) error {
	if r, ok := c.conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *timedConn) IsValid() bool {
	if v, ok := c.conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *timedConn) Ping(ctx context.Context) error {
	if p, ok := c.conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// timedStmt times a prepared statement's executions.
type timedStmt struct {
	driver.Stmt
	m *Metrics
}

func (s *timedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (res driver.Result, err error) {
	defer func(start time.Time) { s.m.observeDB("exec", start, err) }(time.Now())
	if e, ok := s.Stmt.(driver.StmtExecContext); ok {
		return e.ExecContext(ctx, args)
	}
	vals, err := values(args)
	if err != nil {
		return nil, err
	}
	//lint:ignore SA1019 the fallback database/sql itself takes for such drivers
	return s.Stmt.Exec(vals)
}

func (s *timedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (rows driver.Rows, err error) {
	defer func(start time.Time) { s.m.observeDB("query", start, err) }(time.Now())
	if q, ok := s.Stmt.(driver.StmtQueryContext); ok {
		return q.QueryContext(ctx, args)
	}
	vals, err := values(args)
	if err != nil {
		return nil, err
	}
	//lint:ignore SA1019 as above
	return s.Stmt.Query(vals)
}

func (s *timedStmt) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := s.Stmt.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// values turns positional named values into the old Exec/Query form.
func values(args []driver.NamedValue) ([]driver.Value, error) {
	out := make([]driver.Value, len(args))
	for i, a := range args {
		if a.Name != "" {
			return nil, errors.New("metrics: the driver does not take named parameters")
		}
		out[i] = a.Value
	}
	return out, nil
}

// timedTx times a transaction's end: the commit is where PostgreSQL
// waits for the disk and for locks, and where SQLite writes.
type timedTx struct {
	tx driver.Tx
	m  *Metrics
}

func (t *timedTx) Commit() (err error) {
	defer func(start time.Time) { t.m.observeDB("commit", start, err) }(time.Now())
	return t.tx.Commit()
}

func (t *timedTx) Rollback() (err error) {
	defer func(start time.Time) { t.m.observeDB("rollback", start, err) }(time.Now())
	return t.tx.Rollback()
}
