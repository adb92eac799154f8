package migrations_test

import (
	"strings"
	"testing"

	"github.com/meeboter/meeboter/migrations"
)

func TestList(t *testing.T) {
	t.Parallel()
	lite, err := migrations.List(migrations.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := migrations.List(migrations.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	// Versions increase but need not be contiguous; both trees hold the
	// same ones, with the same names.
	for i := range lite {
		if lite[i].Version != pg[i].Version || lite[i].Name != pg[i].Name || (i > 0 && lite[i].Version <= lite[i-1].Version) {
			t.Fatalf("migration %d: sqlite %d_%s, postgres %d_%s", i, lite[i].Version, lite[i].Name, pg[i].Version, pg[i].Name)
		}
		if !strings.Contains(lite[i].SQL, "CREATE") && !strings.Contains(lite[i].SQL, "ALTER") {
			t.Fatalf("sqlite %d has no DDL", lite[i].Version)
		}
	}
	latest, err := migrations.Latest(migrations.Postgres)
	if err != nil || latest != pg[len(pg)-1].Version {
		t.Fatalf("latest = %d, %v", latest, err)
	}
	if _, err := migrations.List("mysql"); err == nil {
		t.Fatal("unknown engine accepted")
	}
}
