// Package storetest is the store's contract suite, and the openers other
// packages' tests use to get a fresh store on either engine.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/meeboter/meeboter/store"
)

// EnvPostgresURL names the variable holding a PostgreSQL URL for tests.
// When it is set, every test gets its own schema in that database; when the
// database is then unreachable the tests fail rather than skip, so CI cannot
// pass without having tested PostgreSQL.
const EnvPostgresURL = "MEEBOTER_TEST_POSTGRES_URL"

// SQLiteConfig is a config for a new SQLite file in a temporary directory.
func SQLiteConfig(tb testing.TB) store.Config {
	tb.Helper()
	return store.Config{SQLitePath: filepath.Join(tb.TempDir(), "meeboter.db")}
}

// PostgresConfig creates an empty schema t_<random> in the test database
// and returns a config whose connections use it; the schema is dropped when
// the test ends. It skips when EnvPostgresURL is unset.
func PostgresConfig(tb testing.TB) store.Config {
	tb.Helper()
	base := os.Getenv(EnvPostgresURL)
	if base == "" {
		tb.Skipf("set %s to run the PostgreSQL tests", EnvPostgresURL)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open %s: %v", EnvPostgresURL, err)
	}
	tb.Cleanup(func() { _ = admin.Close() })
	schema := "t_" + randomHex(tb, 8)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("postgres from %s unreachable: %v", EnvPostgresURL, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", EnvPostgresURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	// Tests open many stores at once (several daemons per test, tests in
	// parallel, packages in parallel), all against one server and its
	// max_connections: each gets a small pool, not the daemon's default.
	// A benchmark measures the daemon as it runs: with its default pool.
	if _, bench := tb.(*testing.B); bench {
		return store.Config{DatabaseURL: u.String()}
	}
	return store.Config{DatabaseURL: u.String(), MaxConns: testMaxConns}
}

// testMaxConns is the pool size of a test store on PostgreSQL.
const testMaxConns = 4

func randomHex(tb testing.TB, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// OpenConfig opens a store, closed when the test ends.
func OpenConfig(tb testing.TB, cfg store.Config) store.Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := store.Open(ctx, cfg)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

// OpenSQLite returns a migrated store on a fresh SQLite file.
func OpenSQLite(tb testing.TB) store.Store {
	tb.Helper()
	return OpenConfig(tb, SQLiteConfig(tb))
}

// OpenPostgres returns a migrated store on a fresh PostgreSQL schema; it
// skips when EnvPostgresURL is unset.
func OpenPostgres(tb testing.TB) store.Store {
	tb.Helper()
	return OpenConfig(tb, PostgresConfig(tb))
}

// Engines maps engine names to openers of fresh stores: sqlite always,
// postgres when EnvPostgresURL is set. Tests above the store run against
// each, as in: for name, open := range storetest.Engines(t) { t.Run(name, ...) }.
func Engines(tb testing.TB) map[string]func(tb testing.TB) store.Store {
	tb.Helper()
	out := map[string]func(testing.TB) store.Store{"sqlite": OpenSQLite}
	if os.Getenv(EnvPostgresURL) != "" {
		out["postgres"] = OpenPostgres
	}
	return out
}
