package blob

import (
	"context"
	"errors"
	"io"
	"time"
)

// Store holds objects by key. Implementations are safe for concurrent use.
type Store interface {
	// Put stores the body under key, replacing any object there. The
	// object appears whole or not at all: a reader never sees a partial
	// write. size is the body's exact length, or -1 when unknown; a body
	// that is shorter or longer than a declared size fails the Put and
	// leaves any previous object in place. A nil r is an empty body. An
	// empty contentType means DefaultContentType.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Get opens the object. The caller closes the reader. A missing object
	// gives ErrNotFound.
	Get(ctx context.Context, key string) (io.ReadCloser, Info, error)
	// Stat describes the object without reading it. A missing object gives
	// ErrNotFound.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes the object. Deleting a missing object is not an
	// error, so a retried delete succeeds.
	Delete(ctx context.Context, key string) error
	// DeletePrefix removes every object whose key starts with prefix. The
	// prefix may not be empty, so no call empties a whole store by
	// accident.
	DeletePrefix(ctx context.Context, prefix string) error
	// List returns every object whose key starts with prefix (all objects
	// for ""), sorted by key. It pages through the backend internally and
	// returns the complete listing or an error, never part of one. Info's
	// ContentType is empty in listings: S3 does not report it there.
	List(ctx context.Context, prefix string) ([]Info, error)
	// SignedURL returns a URL that lets anyone holding it GET the object
	// with a plain HTTP client for ttl (at most MaxTTL). The object need
	// not exist yet; fetching a missing one answers 404.
	SignedURL(ctx context.Context, key string, ttl time.Duration, opts SignOptions) (string, error)
}

// Info describes a stored object.
type Info struct {
	Key         string
	Size        int64
	ContentType string // empty in List results
	ModTime     time.Time
}

// SignOptions adjust a signed URL.
type SignOptions struct {
	// Filename, when set, makes the response carry
	// Content-Disposition: attachment with this file name, so a browser
	// saves the object under a readable name instead of its key.
	Filename string
}

// DefaultContentType is stored when Put is given no content type.
const DefaultContentType = "application/octet-stream"

// MaxTTL bounds a signed URL's lifetime. It is the longest an S3 SigV4
// presigned URL may live, applied to every Store alike.
const MaxTTL = 7 * 24 * time.Hour

// ErrNotFound means no object exists under the key. Callers usually map it
// to a 404 or treat the object as never written.
var ErrNotFound = errors.New("blob: not found")

// ErrInvalid means an argument was refused before any I/O: a malformed
// key, prefix, content type, size, TTL or file name. The error's message
// names the argument; it is the caller's bug or bad outside input, and
// retrying cannot help.
var ErrInvalid = errors.New("blob: invalid argument")
