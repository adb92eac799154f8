// Package migrations holds meeboter's database schema, one directory per
// engine. Version numbers match across the two trees, so a database of either
// engine at version N has the same tables, columns and constraints.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// files embeds both trees; go:embed cannot reach a parent directory, which is
// why the schema lives in this package rather than beside the store.
//
//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// The engines that have a schema tree.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Migration is one schema step: Version orders it, Name says what it does.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// List returns the engine's migrations in version order. Only "up" files
// exist: a meeboter binary never downgrades a database in place.
func List(engine string) ([]Migration, error) {
	if engine != SQLite && engine != Postgres {
		return nil, fmt.Errorf("migrations: unknown engine %q", engine)
	}
	entries, err := fs.ReadDir(files, engine)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		m, err := load(engine, e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations: %s has version %d twice", engine, out[i].Version)
		}
	}
	return out, nil
}

// Latest is the newest version embedded for the engine.
func Latest(engine string) (int, error) {
	all, err := List(engine)
	if err != nil || len(all) == 0 {
		return 0, err
	}
	return all[len(all)-1].Version, nil
}

// load parses a file named NNNN_name.up.sql.
func load(engine, file string) (Migration, error) {
	base, ok := strings.CutSuffix(file, ".up.sql")
	num, name, ok2 := strings.Cut(base, "_")
	version, err := strconv.Atoi(num)
	if !ok || !ok2 || err != nil || version <= 0 {
		return Migration{}, fmt.Errorf("migrations: bad file name %s/%s (want NNNN_name.up.sql)", engine, file)
	}
	body, err := files.ReadFile(path.Join(engine, file))
	if err != nil {
		return Migration{}, fmt.Errorf("migrations: %w", err)
	}
	return Migration{Version: version, Name: name, SQL: string(body)}, nil
}
