package store_test

import (
	"os"
	"testing"

	"github.com/meeboter/meeboter/store"
	"github.com/meeboter/meeboter/store/storetest"
)

// The PostgreSQL suite runs when MEEBOTER_TEST_POSTGRES_URL is set; each
// test gets its own schema. An unreachable database fails the tests.
func TestPostgres(t *testing.T) {
	skipWithoutPostgres(t)
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store { return storetest.OpenPostgres(t) })
}

func TestPostgresConfig(t *testing.T) {
	skipWithoutPostgres(t)
	t.Parallel()
	storetest.RunConfig(t, storetest.PostgresConfig)
}

func skipWithoutPostgres(t *testing.T) {
	if os.Getenv(storetest.EnvPostgresURL) == "" {
		t.Skipf("set %s (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run the PostgreSQL tests", storetest.EnvPostgresURL)
	}
}
