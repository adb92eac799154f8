package dirblob_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/meeboter/meeboter/blob"
	"github.com/meeboter/meeboter/blob/blobtest"
	"github.com/meeboter/meeboter/blob/dirblob"
)

// testKey is a signing key for tests only.
var testKey = []byte("0123456789abcdef0123456789abcdef")

// newServed returns a store in a temp dir whose Handler serves its signed
// URLs on a loopback server, as the daemon mounts it.
func newServed(tb testing.TB, now func() time.Time) (*dirblob.Store, string) {
	tb.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	dir := tb.TempDir()
	s, err := dirblob.New(dirblob.Config{Dir: dir, BaseURL: srv.URL, SigningKey: testKey, Now: now})
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	mux.Handle(dirblob.PathPrefix, s.Handler())
	return s, dir
}

func TestConformance(t *testing.T) {
	t.Parallel()
	blobtest.Run(t, func(t *testing.T, now func() time.Time) blob.Store {
		s, _ := newServed(t, now)
		return s
	})
}
