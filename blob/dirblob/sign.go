package dirblob

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/meeboter/meeboter/blob"
)

// PathPrefix is where the daemon mounts Handler; signed URLs point under
// it.
const PathPrefix = "/v1/blobs/"

// Query parameters of a signed URL.
const (
	paramExpires  = "expires"
	paramSig      = "sig"
	paramFilename = "filename"
)

var (
	errBadSignature = errors.New("the signature is missing or does not match")
	errExpired      = errors.New("the link has expired")
)

// SignedURL implements blob.Store. The URL is served by Handler.
func (s *Store) SignedURL(ctx context.Context, key string, ttl time.Duration, opts blob.SignOptions) (string, error) {
	if err := blob.ValidKey(key); err != nil {
		return "", err
	}
	if err := blob.ValidTTL(ttl); err != nil {
		return "", err
	}
	if err := blob.ValidFilename(opts.Filename); err != nil {
		return "", err
	}
	expires := s.now().Add(ttl).Unix()
	q := url.Values{}
	q.Set(paramExpires, strconv.FormatInt(expires, 10))
	q.Set(paramSig, base64.RawURLEncoding.EncodeToString(s.sign(key, expires, opts.Filename)))
	if opts.Filename != "" {
		q.Set(paramFilename, opts.Filename)
	}
	return s.base + PathPrefix + escapeKey(key) + "?" + q.Encode(), nil
}

// sign is the MAC of one URL. Keys and file names hold no newlines, so
// the fields cannot run into each other.
func (s *Store) sign(key string, expires int64, filename string) []byte {
	m := hmac.New(sha256.New, s.mac)
	m.Write([]byte(key + "\n" + strconv.FormatInt(expires, 10) + "\n" + filename))
	return m.Sum(nil)
}

// verify checks a request's signature, then its expiry, and returns the
// download file name the URL was signed with.
func (s *Store) verify(key string, q url.Values) (string, error) {
	expires, err := strconv.ParseInt(q.Get(paramExpires), 10, 64)
	if err != nil {
		return "", errBadSignature
	}
	sig, err := base64.RawURLEncoding.DecodeString(q.Get(paramSig))
	if err != nil {
		return "", errBadSignature
	}
	filename := q.Get(paramFilename)
	// hmac.Equal takes the same time wherever the first difference is,
	// so the response time tells a forger nothing.
	if !hmac.Equal(sig, s.sign(key, expires, filename)) {
		return "", errBadSignature
	}
	if !s.now().Before(time.Unix(expires, 0)) {
		return "", errExpired
	}
	return filename, nil
}

// escapeKey escapes each segment of a key for a URL path.
func escapeKey(key string) string {
	segs := strings.Split(key, "/")
	for i, seg := range segs {
		segs[i] = url.PathEscape(seg)
	}
	return strings.Join(segs, "/")
}
