package webhook

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// sealVersion starts every sealed secret, so a later scheme can be told
// apart from this one.
const sealVersion = "v1:"

// sealInfo binds the derived key to its one use: a key derived from the
// daemon's webhook secret for anything else differs from it.
const sealInfo = "meeboter webhook endpoint secrets v1"

// ErrUnseal is a sealed endpoint secret this daemon cannot open: it was
// sealed under another webhook secret (MEEBOTER_WEBHOOK_SECRET differs
// between daemons, or was changed), or the stored value was altered.
var ErrUnseal = errors.New("cannot decrypt the endpoint's signing secret: the daemon's webhook secret is not the one it was stored with")

// Sealer encrypts endpoint signing secrets for the database. The daemon
// must sign with them, so it cannot keep only a hash as it does for API
// keys; instead they are sealed with AES-256-GCM under a key derived (HKDF-
// SHA256) from the daemon's webhook secret, which never enters the
// database. A database dump alone yields no endpoint secret.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer derives the sealing key from the daemon's webhook secret.
func NewSealer(daemonSecret []byte) (*Sealer, error) {
	if len(daemonSecret) == 0 {
		return nil, errors.New("webhook: empty daemon secret")
	}
	key, err := hkdf.Key(sha256.New, daemonSecret, nil, sealInfo, 32)
	if err != nil {
		return nil, fmt.Errorf("webhook: derive sealing key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts a secret of the endpoint owned by userID. The owner is
// authenticated with it, so a sealed secret copied to another user's
// endpoint does not open.
func (s *Sealer) Seal(userID int64, secret string) string {
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce)
	out := s.aead.Seal(nonce, nonce, []byte(secret), ownerData(userID))
	return sealVersion + base64.RawStdEncoding.EncodeToString(out)
}

// Open decrypts what Seal made for the same owner.
func (s *Sealer) Open(userID int64, sealed string) (string, error) {
	raw, ok := strings.CutPrefix(sealed, sealVersion)
	if !ok {
		return "", ErrUnseal
	}
	b, err := base64.RawStdEncoding.DecodeString(raw)
	if err != nil || len(b) < s.aead.NonceSize() {
		return "", ErrUnseal
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, b[:n], b[n:], ownerData(userID))
	if err != nil {
		return "", ErrUnseal
	}
	return string(plain), nil
}

func ownerData(userID int64) []byte { return []byte("user:" + strconv.FormatInt(userID, 10)) }
