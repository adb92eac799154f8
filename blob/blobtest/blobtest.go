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
	"sync/atomic"
	"testing"
	"time"

	"github.com/meeboter/meeboter/blob"
)

// NewStore builds a fresh, empty Store for one subtest.
type NewStore func(t *testing.T, now func() time.Time) blob.Store

// Run runs the whole suite against the stores newStore builds.
func Run(t *testing.T, newStore NewStore) {
	t.Run("PutGet", func(t *testing.T) { t.Parallel(); testPutGet(t, newStore) })
	t.Run("EmptyObject", func(t *testing.T) { t.Parallel(); testEmptyObject(t, newStore) })
	t.Run("UnknownSize", func(t *testing.T) { t.Parallel(); testUnknownSize(t, newStore) })
	t.Run("SizeMismatch", func(t *testing.T) { t.Parallel(); testSizeMismatch(t, newStore) })
	t.Run("Overwrite", func(t *testing.T) { t.Parallel(); testOverwrite(t, newStore) })
	t.Run("ContentTypes", func(t *testing.T) { t.Parallel(); testContentTypes(t, newStore) })
	t.Run("Missing", func(t *testing.T) { t.Parallel(); testMissing(t, newStore) })
	t.Run("Delete", func(t *testing.T) { t.Parallel(); testDelete(t, newStore) })
	t.Run("BadArguments", func(t *testing.T) { t.Parallel(); testBadArguments(t, newStore) })
	t.Run("CanceledContext", func(t *testing.T) { t.Parallel(); testCanceled(t, newStore) })
	t.Run("ListPrefixes", func(t *testing.T) { t.Parallel(); testListPrefixes(t, newStore) })
	t.Run("ListPagination", func(t *testing.T) { t.Parallel(); testListPagination(t, newStore) })
	t.Run("DeletePrefix", func(t *testing.T) { t.Parallel(); testDeletePrefix(t, newStore) })
	t.Run("ConcurrentPuts", func(t *testing.T) { t.Parallel(); testConcurrentPuts(t, newStore) })
	t.Run("SignedURL", func(t *testing.T) { t.Parallel(); testSignedURL(t, newStore) })
	t.Run("SignedURLFilename", func(t *testing.T) { t.Parallel(); testSignedURLFilename(t, newStore) })
	t.Run("SignedURLRange", func(t *testing.T) { t.Parallel(); testSignedURLRange(t, newStore) })
	t.Run("SignedURLRefused", func(t *testing.T) { t.Parallel(); testSignedURLRefused(t, newStore) })
	t.Run("SignedURLMissing", func(t *testing.T) { t.Parallel(); testSignedURLMissing(t, newStore) })
}

// clock is a settable clock: real time plus an offset.
type clock struct{ offset atomic.Int64 }

func (c *clock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

func (c *clock) Set(offset time.Duration) { c.offset.Store(int64(offset)) }

// open builds a store on a real-time clock.
func open(t *testing.T, newStore NewStore) blob.Store {
	t.Helper()
	return newStore(t, time.Now)
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
