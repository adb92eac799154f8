package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// openStmtTest opens a fresh SQLite store with kept statements.
func openStmtTest(tb testing.TB) *db {
	tb.Helper()
	s, err := openSQLite(context.Background(), Config{SQLitePath: filepath.Join(tb.TempDir(), "db.sqlite")})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	if _, err := s.exec(context.Background(), "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		tb.Fatal(err)
	}
	for _, v := range []string{"a", "b", "c"} {
		if _, err := s.exec(context.Background(), "INSERT INTO t (v) VALUES (?)", v); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// TestStmtCache_SameQueryWhileOpen: a kept statement whose rows are still
// open is not handed out again; the same query nested in its own rows (in
// a transaction, on the one connection) reads its own rows, and each
// use binds its own arguments.
func TestStmtCache_SameQueryWhileOpen(t *testing.T) {
	t.Parallel()
	s := openStmtTest(t)
	const q = "SELECT v FROM t WHERE id >= ? ORDER BY id"
	var outer, inner []string
	err := s.tx(t.Context(), func(tx *db) error {
		return tx.each(t.Context(), q, []any{1}, func(r *sql.Rows) error {
			var v string
			if err := r.Scan(&v); err != nil {
				return err
			}
			outer = append(outer, v)
			return tx.each(t.Context(), q, []any{3}, func(r *sql.Rows) error {
				var w string
				err := r.Scan(&w)
				inner = append(inner, w)
				return err
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(outer) != 3 || outer[2] != "c" || len(inner) != 3 || inner[0] != "c" {
		t.Fatalf("outer %v, inner %v", outer, inner)
	}
	for i, arg := range []int{2, 1, 3} { // the kept statement, rebound each time
		var n int
		if err := s.get(t.Context(), "SELECT count(*) FROM t WHERE id >= ?", []any{arg}, &n); err != nil || n != 4-arg {
			t.Fatalf("use %d: count %d, %v", i, n, err)
		}
	}
}

// TestStmtCache_ErrorsStayErrors: a failed statement, kept or not, fails
// alone; the next use of the kept statement works.
func TestStmtCache_ErrorsStayErrors(t *testing.T) {
	t.Parallel()
	s := openStmtTest(t)
	if _, err := s.exec(t.Context(), "INSERT INTO t (id, v) VALUES (?, ?)", 1, "dup"); err == nil {
		t.Fatal("a duplicate key was inserted")
	}
	if _, err := s.exec(t.Context(), "INSERT INTO t (id, v) VALUES (?, ?)", 10, "ok"); err != nil {
		t.Fatalf("the kept statement after a failure: %v", err)
	}
	if err := s.get(t.Context(), "SELECT nope FROM t", nil); err == nil {
		t.Fatal("a bad query succeeded")
	}
}

func BenchmarkStmtCache(b *testing.B) {
	s := openStmtTest(b)
	var v string
	for b.Loop() {
		if err := s.get(b.Context(), "SELECT v FROM t WHERE id = ?", []any{2}, &v); err != nil {
			b.Fatal(err)
		}
	}
}
