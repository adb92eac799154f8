package account

import (
	"time"

	"github.com/meeboter/meeboter/daemon/domain"
)

// KeyCacheTTL bounds how long this daemon answers an API key from memory
// before reading it again. A key revoked, or its user changed, through
// this daemon is forgotten at once; through another daemon sharing the
// database, this daemon refuses it at most KeyCacheTTL later. Event
// streams re-check their key on their own schedule.
const KeyCacheTTL = time.Second

// maxCachedKeys bounds the cache. Only keys that authenticated are kept,
// so guessed secrets cannot fill it; past the bound it starts afresh.
const maxCachedKeys = 10000

// keyCache remembers the callers of the keys that authenticated lately,
// by key hash (never the secret): without it every API request read its
// key and user before doing anything else, and on SQLite that read
// queued with every other on the database.
//
// Entries age on the monotonic clock: a cached key's freshness is real
// time, whatever the service's clock (which decides expiry) says.
type keyCache struct {
	ttlCache[string, domain.Caller]
}

func newKeyCache(ttl time.Duration) *keyCache {
	return &keyCache{newTTLCache[string, domain.Caller](ttl, maxCachedKeys)}
}

// get returns the cached caller of a key hash while its entry is fresh
// and the key has not expired at now.
func (c *keyCache) get(hash string, now time.Time) (domain.Caller, bool) {
	caller, ok := c.lookup(hash)
	if !ok {
		return domain.Caller{}, false
	}
	if exp := caller.Key.ExpiresAt; exp != nil && !exp.After(now) {
		return domain.Caller{}, false
	}
	return caller, true
}

// forgetUser drops every cached key of a user: one of them was revoked,
// or the user (role, plan, limits) changed.
func (c *keyCache) forgetUser(userID int64) {
	c.forget(func(_ string, caller domain.Caller) bool { return caller.User.ID == userID })
}
