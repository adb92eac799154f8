package dirblob

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/meeboter/meeboter/blob"
)

// MinSigningKey is the shortest Config.SigningKey accepted, in bytes.
const MinSigningKey = 16

// Config configures a Store.
type Config struct {
	// Dir is the root directory. It is created (0700) if missing.
	Dir string
	// BaseURL is the daemon's public URL, which signed URLs start with
	// (for example https://meeboter.example.com). A path is kept, for a
	// daemon behind a proxy that serves it under one.
	BaseURL string
	// SigningKey is the secret signed URLs are made with, at least
	// MinSigningKey bytes. The daemon passes its own secret; the store
	// signs with a key derived from it, so its signatures are worth
	// nothing to any other use of that secret.
	SigningKey []byte
	// Now is the clock. Nil means time.Now.
	Now func() time.Time
}

// Store keeps objects as files under a directory. It is safe for
// concurrent use, by several goroutines and by several Stores on one
// directory.
type Store struct {
	root *os.Root
	base string
	mac  []byte
	now  func() time.Time
}

var _ blob.Store = (*Store)(nil)

// New opens (creating if needed) the directory and returns its Store.
// Close releases it.
func New(cfg Config) (*Store, error) {
	base, err := checkConfig(cfg)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("dirblob: %w", err)
	}
	root, err := os.OpenRoot(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("dirblob: %w", err)
	}
	if err := root.MkdirAll(tmpDir, 0o700); err != nil {
		root.Close()
		return nil, fmt.Errorf("dirblob: %w", err)
	}
	s := &Store{root: root, base: base, mac: deriveKey(cfg.SigningKey), now: cfg.Now}
	if s.now == nil {
		s.now = time.Now
	}
	s.removeStaleTemps()
	return s, nil
}

// Close releases the directory. The Store must not be used afterwards.
func (s *Store) Close() error { return s.root.Close() }

// checkConfig validates cfg and returns the base URL without a trailing
// slash.
func checkConfig(cfg Config) (string, error) {
	if cfg.Dir == "" {
		return "", errors.New("dirblob: Dir is required")
	}
	if len(cfg.SigningKey) < MinSigningKey {
		return "", fmt.Errorf("dirblob: SigningKey must be at least %d bytes, not %d", MinSigningKey, len(cfg.SigningKey))
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("dirblob: BaseURL %q must be an absolute http or https URL without query or fragment", cfg.BaseURL)
	}
	return strings.TrimSuffix(cfg.BaseURL, "/"), nil
}

// deriveKey turns the configured secret into the key of signed URLs
// alone, so one secret can serve several purposes without a signature
// from one being valid for another.
func deriveKey(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("meeboter dirblob signed URL v1"))
	return m.Sum(nil)
}
