package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/meeboter/meeboter/migrations"
)

// Migrate opens the configured database and applies its pending migrations,
// returning them; with dryRun it only lists them. It backs `meeboter
// migrate [--dry-run]`.
func Migrate(ctx context.Context, cfg Config, dryRun bool) ([]migrations.Migration, error) {
	if dryRun && cfg.DatabaseURL == "" && cfg.SQLitePath != "" {
		// A dry run changes nothing: opening a missing file would create
		// it, and its directory. A database that does not exist yet needs
		// every migration.
		if _, err := os.Stat(cfg.SQLitePath); errors.Is(err, os.ErrNotExist) {
			return migrations.List(sqliteDialect.name)
		}
	}
	s, err := openDB(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.migrate(ctx, !dryRun)
}

// migrate checks the schema version and, when apply is set, runs every
// pending migration in one transaction. On PostgreSQL an advisory lock makes
// daemons that start together take turns; the second finds nothing to do.
func (s *db) migrate(ctx context.Context, apply bool) ([]migrations.Migration, error) {
	all, err := migrations.List(s.d.name)
	if err != nil {
		return nil, err
	}
	var pending []migrations.Migration
	err = s.tx(ctx, func(t *db) error {
		if err := t.lock(ctx, migrationLockKey); err != nil {
			return err
		}
		current, err := t.schemaVersion(ctx, apply)
		if err != nil {
			return err
		}
		if latest := all[len(all)-1].Version; current > latest {
			return fmt.Errorf("%w: database is at version %d, this binary knows up to %d", ErrSchemaTooNew, current, latest)
		}
		applied, err := t.appliedVersions(ctx, current)
		if err != nil {
			return err
		}
		for _, m := range all {
			if !applied[m.Version] {
				pending = append(pending, m)
			}
		}
		if !apply {
			return nil
		}
		return t.applyMigrations(ctx, pending)
	})
	if err != nil {
		return nil, fmt.Errorf("migrate %s: %w", s.d.name, err)
	}
	return pending, nil
}

// schemaVersion reads the highest applied version, 0 for an empty database.
// With create it makes schema_migrations first; without (dry runs, NoMigrate)
// it changes nothing.
func (s *db) schemaVersion(ctx context.Context, create bool) (int, error) {
	if create {
		q := "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at " +
			s.d.timeType() + " NOT NULL)"
		if _, err := s.exec(ctx, q); err != nil {
			return 0, err
		}
	} else if ok, err := s.exists(ctx, s.d.tableExists(), "schema_migrations"); err != nil || !ok {
		return 0, err
	}
	return s.count(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
}

// appliedVersions reads which versions are recorded. Versions are reserved
// by number as changes are made side by side, so one may land after a
// higher one was applied: every version not recorded is pending, not only
// those above the highest.
func (s *db) appliedVersions(ctx context.Context, current int) (map[int]bool, error) {
	applied := map[int]bool{}
	if current == 0 {
		return applied, nil
	}
	err := s.each(ctx, "SELECT version FROM schema_migrations", nil, func(r *sql.Rows) error {
		var v int
		err := r.Scan(&v)
		applied[v] = true
		return err
	})
	return applied, err
}

func (s *db) applyMigrations(ctx context.Context, pending []migrations.Migration) error {
	for _, m := range pending {
		if _, err := s.ex.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("apply %04d_%s: %w", m.Version, m.Name, err)
		}
		_, err := s.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			m.Version, m.Name, s.d.at(time.Now()))
		if err != nil {
			return fmt.Errorf("record %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	return nil
}
