package storetest

import (
	"context"
	"database/sql/driver"
	"errors"
	"net"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/meeboter/meeboter/store"
)

// Outage makes a store's database unreachable on demand, at the driver
// boundary: while it is down, new connections are refused as a dialler
// refuses them, and every call on an open connection fails as on a
// connection the server dropped. Everything above the driver (the store's
// error mapping, the services, the transports) sees what it would see in
// a real outage, on either engine.
type Outage struct{ down atomic.Bool }

// Down cuts the database off.
func (o *Outage) Down() { o.down.Store(true) }

// Up brings it back; the pool reconnects on its own.
func (o *Outage) Up() { o.down.Store(false) }

// OpenWithOutage opens a fresh store of the engine (as Engines names them)
// whose database o can cut off.
func OpenWithOutage(tb testing.TB, engine string) (store.Store, *Outage) {
	tb.Helper()
	cfg := SQLiteConfig(tb)
	if engine == "postgres" {
		cfg = PostgresConfig(tb)
	}
	o := &Outage{}
	cfg.WrapConnector = o.wrap
	return OpenConfig(tb, cfg), o
}

// Wrap interposes the outage on a store's connections
// (store.Config.WrapConnector), for a store opened on a shared database:
// the daemons of a multi-daemon test, one of which is to die.
func (o *Outage) Wrap(c driver.Connector) driver.Connector { return o.wrap(c) }

var errRefused = &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}

func (o *Outage) wrap(c driver.Connector) driver.Connector { return outageConnector{c, o} }

type outageConnector struct {
	driver.Connector
	o *Outage
}

func (c outageConnector) Connect(ctx context.Context) (driver.Conn, error) {
	if c.o.down.Load() {
		return nil, errRefused
	}
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &outageConn{conn: conn, o: c.o}, nil
}

// outageConn forwards every optional interface database/sql looks for, so
// the driver behaves as without it (argument conversion included) until
// the outage starts.
type outageConn struct {
	conn driver.Conn
	o    *Outage
}

func (c *outageConn) check() error {
	if c.o.down.Load() {
		return driver.ErrBadConn
	}
	return nil
}

func (c *outageConn) Prepare(q string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), q)
}

func (c *outageConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
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
	return &outageStmt{Stmt: st, o: c.o}, nil
}

func (c *outageConn) Close() error { return c.conn.Close() }

func (c *outageConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *outageConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	b, ok := c.conn.(driver.ConnBeginTx)
	if !ok {
		return nil, errors.New("storetest: the driver cannot begin transactions with options")
	}
	tx, err := b.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &outageTx{tx: tx, o: c.o}, nil
}

func (c *outageConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	if e, ok := c.conn.(driver.ExecerContext); ok {
		return e.ExecContext(ctx, q, args)
	}
	return nil, driver.ErrSkip
}

func (c *outageConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	if qc, ok := c.conn.(driver.QueryerContext); ok {
		return qc.QueryContext(ctx, q, args)
	}
	return nil, driver.ErrSkip
}

func (c *outageConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

func (c *outageConn) ResetSession(ctx context.Context) error {
	if err := c.check(); err != nil {
		return err
	}
	if r, ok := c.conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *outageConn) IsValid() bool {
	if c.o.down.Load() {
		return false
	}
	if v, ok := c.conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

type outageStmt struct {
	driver.Stmt
	o *Outage
}

func (s *outageStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if s.o.down.Load() {
		return nil, driver.ErrBadConn
	}
	if e, ok := s.Stmt.(driver.StmtExecContext); ok {
		return e.ExecContext(ctx, args)
	}
	return nil, driver.ErrSkip
}

func (s *outageStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if s.o.down.Load() {
		return nil, driver.ErrBadConn
	}
	if q, ok := s.Stmt.(driver.StmtQueryContext); ok {
		return q.QueryContext(ctx, args)
	}
	return nil, driver.ErrSkip
}

func (s *outageStmt) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := s.Stmt.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

type outageTx struct {
	tx driver.Tx
	o  *Outage
}

func (t *outageTx) Commit() error {
	if t.o.down.Load() {
		_ = t.tx.Rollback()
		return driver.ErrBadConn
	}
	return t.tx.Commit()
}

func (t *outageTx) Rollback() error { return t.tx.Rollback() }
