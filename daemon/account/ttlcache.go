package account

import (
	"sync"
	"time"
)

// ttlCache keeps values read from the store for a while, for answers a
// daemon may give a moment late (a key revoked, a plan changed through
// another daemon) but must give at once when the change went through this
// one: forget drops entries, and a read begun before a forget is not
// kept. Entries age on the monotonic clock. Past max entries it sweeps
// the stale ones, then starts afresh.
type ttlCache[K comparable, V any] struct {
	ttl     time.Duration
	max     int
	mu      sync.Mutex
	gen     uint64 // moves on each forget, so a read begun before it is not kept
	entries map[K]ttlEntry[V]
}

type ttlEntry[V any] struct {
	v  V
	at time.Time
}

func newTTLCache[K comparable, V any](ttl time.Duration, max int) ttlCache[K, V] {
	return ttlCache[K, V]{ttl: ttl, max: max, entries: map[K]ttlEntry[V]{}}
}

// lookup returns the value of k while its entry is fresh.
func (c *ttlCache[K, V]) lookup(k K) (V, bool) {
	c.mu.Lock()
	e, ok := c.entries[k]
	c.mu.Unlock()
	if !ok || time.Since(e.at) >= c.ttl {
		var zero V
		return zero, false
	}
	return e.v, true
}

// generation is taken before a read of the store; put keeps the read's
// answer only if nothing was forgotten meanwhile, as a change that
// committed after the read began would otherwise be undone for a TTL.
func (c *ttlCache[K, V]) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

func (c *ttlCache[K, V]) put(k K, v V, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.entries) >= c.max {
		for h, e := range c.entries {
			if time.Since(e.at) >= c.ttl {
				delete(c.entries, h)
			}
		}
		if len(c.entries) >= c.max {
			clear(c.entries)
		}
	}
	c.entries[k] = ttlEntry[V]{v: v, at: time.Now()}
}

// forget drops the entries match selects.
func (c *ttlCache[K, V]) forget(match func(K, V) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for k, e := range c.entries {
		if match(k, e.v) {
			delete(c.entries, k)
		}
	}
}
