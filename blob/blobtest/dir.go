package blobtest

import (
	"testing"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/blob/dirblob"
)

// OpenDir opens a directory blob store in the test's temporary
// directory, closed when the test ends. Its signed URLs name a port
// nothing listens on: tests that fetch them serve the store themselves.
func OpenDir(tb testing.TB) blob.Store {
	tb.Helper()
	s, err := dirblob.New(dirblob.Config{Dir: tb.TempDir(), BaseURL: "http://127.0.0.1:1", SigningKey: []byte("blobtest signing key")})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}
