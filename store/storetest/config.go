package storetest

import (
	"database/sql"
	"testing"

	"github.com/meeboter/meeboter/migrations"
	"github.com/meeboter/meeboter/store"
)

var configTests = []configTest{
	{"MigrateDryRun", func(t *testing.T, cfg store.Config) {
		pending, err := store.Migrate(t.Context(), cfg, true)
		ok(t, err)
		latest, err := migrations.Latest(engineOf(cfg))
		ok(t, err)
		if len(pending) == 0 || pending[len(pending)-1].Version != latest {
			t.Fatalf("dry run listed %v, want up to %d", pending, latest)
		}
		again, err := store.Migrate(t.Context(), cfg, true)
		ok(t, err)
		eq(t, "dry run applied nothing", len(again), len(pending))
		applied, err := store.Migrate(t.Context(), cfg, false)
		ok(t, err)
		eq(t, "applied", len(applied), len(pending))
		none, err := store.Migrate(t.Context(), cfg, true)
		ok(t, err)
		eq(t, "nothing pending", len(none), 0)
	}},
	{"ReopenIsNoop", func(t *testing.T, cfg store.Config) {
		s := OpenConfig(t, cfg)
		u := mkUser(t, s)
		s2 := OpenConfig(t, cfg)
		got, err := s2.GetUser(t.Context(), u.ID)
		ok(t, err)
		eq(t, "user survives", got.Email, u.Email)
	}},
	{"SchemaTooNew", func(t *testing.T, cfg store.Config) {
		OpenConfig(t, cfg)
		raw := rawDB(t, cfg)
		_, err := raw.ExecContext(t.Context(), rebind(cfg, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
			9999, "future", "2030-01-01T00:00:00.000000Z")
		ok(t, err)
		_, err = store.Open(t.Context(), cfg)
		wantErr(t, err, store.ErrSchemaTooNew)
		cfg.NoMigrate = true
		_, err = store.Open(t.Context(), cfg)
		wantErr(t, err, store.ErrSchemaTooNew)
	}},
	{"AdmissionAcrossDaemons", func(t *testing.T, cfg store.Config) {
		stores := []store.Store{OpenConfig(t, cfg), OpenConfig(t, cfg), OpenConfig(t, cfg)}
		testAdmissionRace(t, stores)
	}},
	{"CreateAndAdmitAcrossDaemons", func(t *testing.T, cfg store.Config) {
		testCreateAndAdmitRace(t, []store.Store{OpenConfig(t, cfg), OpenConfig(t, cfg), OpenConfig(t, cfg)})
	}},
	{"ReservationsAcrossDaemons", func(t *testing.T, cfg store.Config) {
		testReservationRace(t, []store.Store{OpenConfig(t, cfg), OpenConfig(t, cfg), OpenConfig(t, cfg)})
	}},
	{"PoolAdmissionAcrossDaemons", func(t *testing.T, cfg store.Config) {
		testPoolAdmissionRace(t, []store.Store{OpenConfig(t, cfg), OpenConfig(t, cfg), OpenConfig(t, cfg)})
	}},
	{"AddPoolSlotsAcrossDaemons", func(t *testing.T, cfg store.Config) {
		testAddPoolSlotsRace(t, []store.Store{OpenConfig(t, cfg), OpenConfig(t, cfg), OpenConfig(t, cfg)})
	}},
	{"ImagePullAcrossDaemons", func(t *testing.T, cfg store.Config) {
		testImagePullRace(t, []store.Store{OpenConfig(t, cfg), OpenConfig(t, cfg), OpenConfig(t, cfg)})
	}},
	{"DeployTurnsAcrossDaemons", func(t *testing.T, cfg store.Config) {
		testDeployTurnRace(t, []store.Store{OpenConfig(t, cfg), OpenConfig(t, cfg), OpenConfig(t, cfg)})
	}},
	{"MissingVersionIsPending", func(t *testing.T, cfg store.Config) {
		OpenConfig(t, cfg)
		_, err := rawDB(t, cfg).ExecContext(t.Context(), "DELETE FROM schema_migrations WHERE version = 2")
		ok(t, err)
		pending, err := store.Migrate(t.Context(), cfg, true)
		ok(t, err)
		if len(pending) != 1 || pending[0].Version != 2 {
			t.Fatalf("pending %v, want version 2 alone: a version below the highest applied still counts", pending)
		}
	}},
	{"ChangesAcrossDaemons", testChangesAcrossDaemons},
	{"ConcurrencyCapAcrossDaemons", func(t *testing.T, cfg store.Config) {
		severalDaemons(t, cfg)
		testCapRace(t, []store.Store{OpenConfig(t, cfg), OpenConfig(t, cfg), OpenConfig(t, cfg)})
	}},
	{"DuplicatesAcrossDaemons", func(t *testing.T, cfg store.Config) {
		severalDaemons(t, cfg)
		testDuplicateRace(t, []store.Store{OpenConfig(t, cfg), OpenConfig(t, cfg), OpenConfig(t, cfg)})
	}},
}

func engineOf(cfg store.Config) string {
	if cfg.DatabaseURL != "" {
		return migrations.Postgres
	}
	return migrations.SQLite
}

// rawDB opens the database behind cfg without the store, to tamper with it.
func rawDB(t *testing.T, cfg store.Config) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", cfg.SQLitePath
	if cfg.DatabaseURL != "" {
		driver, dsn = "pgx", cfg.DatabaseURL
	}
	db, err := sql.Open(driver, dsn)
	ok(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func rebind(cfg store.Config, q string) string {
	if cfg.DatabaseURL == "" {
		return q
	}
	return "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"
}

// severalDaemons skips on SQLite: one daemon owns a SQLite file, and
// several daemons share PostgreSQL only. (The single-store races run on
// both engines.)
func severalDaemons(t *testing.T, cfg store.Config) {
	t.Helper()
	if engineOf(cfg) != "postgres" {
		t.Skip("several daemons share a PostgreSQL database only")
	}
}
