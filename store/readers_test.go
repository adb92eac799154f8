package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestSQLiteReaders_NeverWrite: the read pool refuses writes, so the one
// writer connection stays SQLite's only writer.
func TestSQLiteReaders_NeverWrite(t *testing.T) {
	t.Parallel()
	s, err := openSQLite(context.Background(), Config{SQLitePath: filepath.Join(t.TempDir(), "db.sqlite")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.exec(t.Context(), "CREATE TABLE t (v TEXT)"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.rd.ExecContext(t.Context(), "INSERT INTO t (v) VALUES ('x')"); err == nil {
		t.Fatal("a reader connection wrote")
	}
	var n int
	if err := s.rd.QueryRowContext(t.Context(), "SELECT count(*) FROM t").Scan(&n); err != nil || n != 0 {
		t.Fatalf("count = %d, %v; want 0, nil", n, err)
	}
}
