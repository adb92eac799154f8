// Package blobtest is the conformance suite every blob.Store passes. The
// directory store and the S3 store differ in everything below the
// interface; running the same tests against both keeps local mode an
// honest stand-in for production.
//
// A Store's test calls Run with a constructor:
//
//	func TestConformance(t *testing.T) {
//		blobtest.Run(t, func(t *testing.T, now func() time.Time) blob.Store {
//			return newTestStore(t, now)
//		})
//	}
//
// The constructor must return an empty Store of its own on every call
// (subtests run in parallel), whose SignedURL reads the time from now and
// whose signed URLs a plain http.Get can fetch. The suite moves now into
// the past to make URLs that are already expired.
package blobtest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/blob"
)

// NewStore builds a fresh, empty Store for one subtest.
type NewStore func(t *testing.T, now func() time.Time) blob.Store

// Option adjusts Run.
type Option func(*suite)

// FetchWith makes the suite GET signed URLs with c instead of
// http.DefaultClient, for a server that only a custom dialer reaches
// (virtual-host bucket names with no DNS). c must add no authentication
// of its own, or the test of signed URLs proves nothing.
func FetchWith(c *http.Client) Option { return func(su *suite) { su.client = c } }

// suite is what every test of the suite gets.
type suite struct {
	newStore NewStore
	client   *http.Client
}

// Run runs the whole suite against the stores newStore builds.
func Run(t *testing.T, newStore NewStore, opts ...Option) {
	su := suite{newStore: newStore, client: http.DefaultClient}
	for _, o := range opts {
		o(&su)
	}
	t.Run("PutGet", func(t *testing.T) { t.Parallel(); testPutGet(t, su) })
	t.Run("EmptyObject", func(t *testing.T) { t.Parallel(); testEmptyObject(t, su) })
	t.Run("UnknownSize", func(t *testing.T) { t.Parallel(); testUnknownSize(t, su) })
	t.Run("SizeMismatch", func(t *testing.T) { t.Parallel(); testSizeMismatch(t, su) })
	t.Run("Overwrite", func(t *testing.T) { t.Parallel(); testOverwrite(t, su) })
	t.Run("ContentTypes", func(t *testing.T) { t.Parallel(); testContentTypes(t, su) })
	t.Run("Missing", func(t *testing.T) { t.Parallel(); testMissing(t, su) })
	t.Run("Delete", func(t *testing.T) { t.Parallel(); testDelete(t, su) })
	t.Run("BadArguments", func(t *testing.T) { t.Parallel(); testBadArguments(t, su) })
	t.Run("CanceledContext", func(t *testing.T) { t.Parallel(); testCanceled(t, su) })
	t.Run("ListPrefixes", func(t *testing.T) { t.Parallel(); testListPrefixes(t, su) })
	t.Run("ListPagination", func(t *testing.T) { t.Parallel(); testListPagination(t, su) })
	t.Run("DeletePrefix", func(t *testing.T) { t.Parallel(); testDeletePrefix(t, su) })
	t.Run("ConcurrentPuts", func(t *testing.T) { t.Parallel(); testConcurrentPuts(t, su) })
	t.Run("ConcurrentOverwrite", func(t *testing.T) { t.Parallel(); testConcurrentOverwrite(t, su) })
	t.Run("SignedURL", func(t *testing.T) { t.Parallel(); testSignedURL(t, su) })
	t.Run("SignedURLFilename", func(t *testing.T) { t.Parallel(); testSignedURLFilename(t, su) })
	t.Run("SignedURLRange", func(t *testing.T) { t.Parallel(); testSignedURLRange(t, su) })
	t.Run("SignedURLRefused", func(t *testing.T) { t.Parallel(); testSignedURLRefused(t, su) })
	t.Run("SignedURLMissing", func(t *testing.T) { t.Parallel(); testSignedURLMissing(t, su) })
}

// clock is a settable clock: real time plus an offset.
type clock struct{ offset atomic.Int64 }

// Now is the real time moved by the offset.
func (c *clock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// Set moves the clock to real time plus offset.
func (c *clock) Set(offset time.Duration) { c.offset.Store(int64(offset)) }

// open builds a store on a real-time clock.
func (su suite) open(t *testing.T) blob.Store {
	t.Helper()
	return su.newStore(t, time.Now)
}

// Put stores body under key with its exact size, failing tb on error.
func Put(tb testing.TB, s blob.Store, key string, body []byte, contentType string) {
	tb.Helper()
	if err := s.Put(context.Background(), key, bytes.NewReader(body), int64(len(body)), contentType); err != nil {
		tb.Fatalf("Put(%q): %v", key, err)
	}
}

// Get reads the whole object, failing tb on error.
func Get(tb testing.TB, s blob.Store, key string) ([]byte, blob.Info) {
	tb.Helper()
	rc, info, err := s.Get(context.Background(), key)
	if err != nil {
		tb.Fatalf("Get(%q): %v", key, err)
	}
	defer rc.Close()
	body, err := io.ReadAll(rc)
	if err != nil {
		tb.Fatalf("read %q: %v", key, err)
	}
	return body, info
}
