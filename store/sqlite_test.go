package store_test

import (
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
