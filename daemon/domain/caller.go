package domain

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"

	"github.com/meeboter/meeboter/store"
)

// Caller is who made a request: a user, through one of their API keys.
type Caller struct {
	User store.User
	Key  store.APIKey
}

// Admin reports whether the caller may use the admin surface.
func (c Caller) Admin() bool { return c.User.Role == store.RoleAdmin }

// Scope is the user id a listing is limited to: the caller's own, or 0
// (everyone's) for an admin.
func (c Caller) Scope() int64 {
	if c.Admin() {
		return 0
	}
	return c.User.ID
}

// RequireAdmin answers a non-admin as if the resource did not exist: the
// admin surface is invisible to members.
func (c Caller) RequireAdmin() error {
	if !c.Admin() {
		return NotFound("resource")
	}
	return nil
}

// Prefixes of the daemon's secrets, so a leaked one is recognisable by
// secret scanners and an API key is never mistaken for a bot token.
const (
	KeyPrefix       = "mbk_"
	BotTokenPrefix  = "mbt_"
	SlotTokenPrefix = "mbs_"
)

// NewSecret returns prefix + 43 characters of URL-safe base64: 256 random
// bits.
func NewSecret(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret is how every secret (API key, bot and slot token) is stored:
// SHA-256, hex. The secrets are 256-bit random values, so a fast hash is
// enough; the plaintext is never kept.
// It runs on every authenticated request, so the hex is written into an
// array and copied into the string once.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	var out [2 * sha256.Size]byte
	hex.Encode(out[:], sum[:])
	return string(out[:])
}
