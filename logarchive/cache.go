package logarchive

import (
	"container/list"
	"sync"
)

// chunkCache keeps recently read chunks decoded, evicting the least
// recently used once the entries held pass a bound. A chunk's bytes never
// change once written (its key names its rows, and the same rows always
// encode the same way), so a cached chunk cannot go stale; a chunk
// deleted since is simply never listed, so never asked for.
type chunkCache struct {
	mu    sync.Mutex
	max   int // entries, summed over chunks
	held  int
	order *list.List // of *cached, most recent first
	byKey map[string]*list.Element
}

type cached struct {
	key     string
	entries []Entry
}

func newChunkCache(maxEntries int) *chunkCache {
	return &chunkCache{max: maxEntries, order: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the chunk's entries, which the caller must not modify.
func (c *chunkCache) get(key string) ([]Entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cached).entries, true
}

// put keeps a chunk's entries, unless the chunk alone is over the bound.
func (c *chunkCache) put(key string, entries []Entry) {
	if len(entries) > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; ok {
		return // another reader got there first, with the same entries
	}
	c.byKey[key] = c.order.PushFront(&cached{key: key, entries: entries})
	c.held += len(entries)
	for c.held > c.max {
		oldest := c.order.Back()
		ch := oldest.Value.(*cached)
		c.order.Remove(oldest)
		delete(c.byKey, ch.key)
		c.held -= len(ch.entries)
	}
}
