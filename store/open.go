package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite" // pure Go, so CGO_ENABLED=0 builds work
)

// Config says which database to open.
type Config struct {
	// DatabaseURL selects PostgreSQL (postgres:// or postgresql://).
	DatabaseURL string
	// SQLitePath selects SQLite, a file created with its parent directory
	// when missing. Used when DatabaseURL is empty.
	SQLitePath string
	// NoMigrate opens without applying pending migrations (a newer schema
	// is still refused).
	NoMigrate bool
	// MaxConns bounds the PostgreSQL pool; 0 keeps pgx's default.
	MaxConns int32
	// WrapConnector, when set, interposes on every connection the store
	// opens: to measure database calls, or to inject faults in tests.
	WrapConnector func(driver.Connector) driver.Connector
}

// Open connects to the configured database and brings its schema up to date
// unless cfg.NoMigrate. It returns ErrSchemaTooNew (wrapped) when the
// database was migrated by a newer meeboter.
func Open(ctx context.Context, cfg Config) (Store, error) {
	s, err := openDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	applied, err := s.migrate(ctx, !cfg.NoMigrate)
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	if len(applied) > 0 && s.d.name == "sqlite" {
		// Creating the schema filled the writer's page cache with pages
		// no request needs yet; handing them back keeps a fresh daemon
		// as light as a restarted one. Best effort: the cache refills.
		_, _ = s.conn.ExecContext(ctx, "PRAGMA shrink_memory")
	}
	return s, nil
}

func openDB(ctx context.Context, cfg Config) (*db, error) {
	switch {
	case strings.HasPrefix(cfg.DatabaseURL, "postgres://"), strings.HasPrefix(cfg.DatabaseURL, "postgresql://"):
		return openPostgres(ctx, cfg)
	case cfg.DatabaseURL != "":
		return nil, errors.New("store: DatabaseURL must start with postgres:// or postgresql://")
	case cfg.SQLitePath != "":
		return openSQLite(ctx, cfg)
	}
	return nil, errors.New("store: set DatabaseURL or SQLitePath")
}

// defaultMaxConns is the PostgreSQL pool's size unless the URL
// (pool_max_conns) or Config.MaxConns sets one.
const defaultMaxConns = 16

// openPostgres builds a pgx pool and hands it to database/sql, so the pool
// (sizes, health checks) is pgx's while queries share the SQLite code path.
func openPostgres(ctx context.Context, cfg Config) (*db, error) {
	pcfg, err := pgxpool.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("store: parse database url: %w", err)
	}
	switch {
	case cfg.MaxConns > 0:
		pcfg.MaxConns = cfg.MaxConns
	case !strings.Contains(cfg.DatabaseURL, "pool_max_conns"):
		// pgx's default is the CPU count (at least 4): on a small host the
		// API's handlers then spend most of their time queued for a
		// connection while PostgreSQL idles. One connection also leaves
		// the pool for good to LISTEN for other daemons' changes.
		pcfg.MaxConns = defaultMaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("store: connect postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: connect postgres: %w", err)
	}
	conn := sql.OpenDB(wrap(cfg, stdlib.GetPoolConnector(pool)))
	closeAll := func() error {
		err := conn.Close()
		pool.Close()
		return err
	}
	return &db{conn: conn, ex: conn, d: postgresDialect, close: closeAll, pool: pool, watch: &botWatchers{}, capsSeen: new(atomic.Bool)}, nil
}

// sqlitePragmas are set on the connection when it opens:
//   - journal_mode(WAL): readers (other processes, the CLI) never block the
//     writer and the writer never blocks them.
//   - foreign_keys(1): SQLite ignores REFERENCES without it, and the schema
//     relies on cascades.
//   - busy_timeout(10000): another process holding the write lock makes us
//     wait up to 10s instead of failing at once with SQLITE_BUSY.
//   - synchronous(NORMAL): with WAL this is durable across application
//     crashes and only loses the last commits on power loss, at a fraction
//     of FULL's fsyncs.
var sqlitePragmas = []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)"}

// openSQLite opens the file with one connection. One connection is the
// simplest correct way to get SQLite's single writer: every transaction
// (and so every admission, claim and dequeue) runs one after another, and a
// read can never hold a shared lock that a write in the same process must
// upgrade. _txlock=immediate makes BEGIN take the write lock at once, so two
// processes on the same file wait on busy_timeout rather than deadlock on
// upgrade.
func openSQLite(ctx context.Context, cfg Config) (*db, error) {
	path := cfg.SQLitePath
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("store: create database directory: %w", err)
		}
	}
	// The file holds every key's hash and every bot's data: only the
	// daemon's user may read it. SQLite gives its -wal and -shm files the
	// database file's mode, so creating it 0600 covers them too.
	if f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600); err == nil {
		_ = f.Close()
	} else if !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("store: create database file: %w", err)
	}
	if strings.Contains(path, "?") {
		return nil, fmt.Errorf("store: sqlite path %q must not contain '?'", path)
	}
	q := url.Values{"_txlock": {"immediate"}}
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	conn := sql.OpenDB(wrap(cfg, stmtCacheConnector{dsnConnector{dsn: path + "?" + q.Encode(), driver: &sqlite.Driver{}}}))
	conn.SetMaxOpenConns(1)
	conn.SetMaxIdleConns(1)
	conn.SetConnMaxLifetime(0)
	if err := conn.PingContext(ctx); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	rd := openSQLiteReaders(cfg, path)
	closeAll := func() error { return errors.Join(rd.Close(), conn.Close()) }
	return &db{conn: conn, ex: conn, rd: rd, d: sqliteDialect, close: closeAll, watch: &botWatchers{}, capsSeen: new(atomic.Bool)}, nil
}

// sqliteReaders is the size of SQLite's pool of read-only connections.
const sqliteReaders = 4

// sqliteReaderPragmas are the readers' pragmas: query_only(1) makes a
// statement that would write fail instead of taking the write lock, so
// the one writer connection stays the only one; busy_timeout covers the
// rare moments WAL makes a reader wait (recovery of the WAL index).
var sqliteReaderPragmas = []string{"query_only(1)", "busy_timeout(10000)"}

// openSQLiteReaders opens the pool that serves the hot reads outside
// transactions (authenticating an API key, a bot by id, a page of bots).
// In WAL mode readers run beside the writer and each other, and each
// read sees every transaction committed before it began; through the
// single writer connection each such read queued behind every write and
// every other read. The writer opened the file and set WAL first, so the
// readers find it in WAL mode.
func openSQLiteReaders(cfg Config, path string) *sql.DB {
	q := url.Values{}
	for _, p := range sqliteReaderPragmas {
		q.Add("_pragma", p)
	}
	rd := sql.OpenDB(wrap(cfg, stmtCacheConnector{dsnConnector{dsn: path + "?" + q.Encode(), driver: &sqlite.Driver{}}}))
	rd.SetMaxOpenConns(sqliteReaders)
	rd.SetMaxIdleConns(sqliteReaders)
	rd.SetConnMaxLifetime(0)
	return rd
}

// dsnConnector opens connections of a driver that has no connector of its
// own, so SQLite connections can be wrapped like PostgreSQL's.
type dsnConnector struct {
	dsn    string
	driver driver.Driver
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.driver.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.driver }

func wrap(cfg Config, c driver.Connector) driver.Connector {
	if cfg.WrapConnector != nil {
		return cfg.WrapConnector(c)
	}
	return c
}
