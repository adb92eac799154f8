package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

func TestSQLite(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store { return storetest.OpenSQLite(t) })
}

func TestSQLiteConfig(t *testing.T) {
	t.Parallel()
	storetest.RunConfig(t, storetest.SQLiteConfig)
}

// TestSQLiteFileIsPrivate: the database holds every key's hash; only the
// daemon's user may read it, and its WAL too.
func TestSQLiteFileIsPrivate(t *testing.T) {
	t.Parallel()
	cfg := storetest.SQLiteConfig(t)
	st := storetest.OpenConfig(t, cfg)
	if _, err := st.CountUsers(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{cfg.SQLitePath, cfg.SQLitePath + "-wal"} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, fi.Mode().Perm())
		}
	}
}

// TestMigrateDryRunChangesNothing: a dry run on a data dir that does not
// exist yet lists every migration and creates neither the directory nor a
// database.
func TestMigrateDryRunChangesNothing(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "fresh")
	ms, err := store.Migrate(t.Context(), store.Config{SQLitePath: filepath.Join(dir, "meeboter.db")}, true)
	if err != nil || len(ms) == 0 {
		t.Fatalf("dry run: %d migrations, %v", len(ms), err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the dry run created %s (%v)", dir, err)
	}
}
