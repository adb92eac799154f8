package account

import (
	"sync"
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
	ttl     time.Duration
	mu      sync.Mutex
	gen     uint64 // moves on each forget, so a read begun before it is not kept
	entries map[string]cachedKey
}

type cachedKey struct {
	caller domain.Caller
	at     time.Time
}

func newKeyCache(ttl time.Duration) *keyCache {
	return &keyCache{ttl: ttl, entries: map[string]cachedKey{}}
}

// get returns the cached caller of a key hash while its entry is fresh
// and the key has not expired at now.
func (c *keyCache) get(hash string, now time.Time) (domain.Caller, bool) {
	c.mu.Lock()
	e, ok := c.entries[hash]
	c.mu.Unlock()
	if !ok || time.Since(e.at) >= c.ttl {
		return domain.Caller{}, false
	}
	if exp := e.caller.Key.ExpiresAt; exp != nil && !exp.After(now) {
		return domain.Caller{}, false
	}
	return e.caller, true
}

// generation is taken before a read of the store; put keeps the read's
// answer only if nothing was forgotten meanwhile, as a revocation that
// committed after the read began would otherwise be undone for a TTL.
func (c *keyCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *keyCache) put(hash string, caller domain.Caller, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.entries) >= maxCachedKeys {
		for h, e := range c.entries {
			if time.Since(e.at) >= c.ttl {
				delete(c.entries, h)
			}
		}
		if len(c.entries) >= maxCachedKeys {
			clear(c.entries)
		}
	}
	c.entries[hash] = cachedKey{caller: caller, at: time.Now()}
}

// forgetUser drops every cached key of a user: one of them was revoked,
// or the user (role, plan, limits) changed.
func (c *keyCache) forgetUser(userID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for h, e := range c.entries {
		if e.caller.User.ID == userID {
			delete(c.entries, h)
		}
	}
}
