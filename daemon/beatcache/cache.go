package beatcache

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/meeboter/meeboter/store"
)

// Source is the part of the store the cache reads.
type Source interface {
	BotStateByToken(ctx context.Context, hash string) (store.BotState, error)
	ChangedBots(ctx context.Context, after int64, n int) ([]store.BotChange, error)
	ChangeBounds(ctx context.Context) (store.ChangeBounds, error)
}

// Config holds the cache's timing. Zero values take the defaults.
type Config struct {
	// Poll is how often the feed is read unprompted: the longest another
	// daemon's write takes to reach this cache. Default 200 ms.
	Poll time.Duration
	// MaxAge bounds how long an entry is trusted without a read, for the
	// writes no feed carries (none is known); default 5 minutes. Entries
	// unused that long are swept.
	MaxAge time.Duration
}

func (c Config) withDefaults() Config {
	if c.Poll <= 0 {
		c.Poll = 200 * time.Millisecond
	}
	if c.MaxAge <= 0 {
		c.MaxAge = 5 * time.Minute
	}
	return c
}

// Cache is the heartbeat state of the live bots. Its zero value is not
// usable; call New.
type Cache struct {
	cfg  Config
	src  Source
	log  *slog.Logger
	wake chan struct{}

	mu        sync.RWMutex
	following bool // the feed is being read: entries may be served
	epoch     uint64
	floor     uint64 // fills that began before it are not kept
	byHash    map[string]entry
	byBot     map[int64][]string
	dropped   map[int64]mark

	hits, misses atomic.Int64
}

type entry struct {
	st store.BotState
	at time.Time // when its read began
}

// mark is when a bot was last dropped, in epochs and in time.
type mark struct {
	epoch uint64
	at    time.Time
}

// New returns a cache over src; it serves nothing until Run follows the
// feed.
func New(cfg Config, src Source, log *slog.Logger) *Cache {
	return &Cache{cfg: cfg.withDefaults(), src: src, log: log, wake: make(chan struct{}, 1),
		byHash: map[string]entry{}, byBot: map[int64][]string{}, dropped: map[int64]mark{}}
}

// Get returns the state of the bot whose token has this hash, from memory
// when the cache holds it, else from the store (and keeps it). Store errors
// are returned as they are, and nothing is kept of them.
func (c *Cache) Get(ctx context.Context, hash string) (store.BotState, error) {
	now := time.Now()
	c.mu.RLock()
	e, ok := c.byHash[hash]
	start, following := c.epoch, c.following
	c.mu.RUnlock()
	if ok && now.Sub(e.at) < c.cfg.MaxAge {
		c.hits.Add(1)
		return e.st, nil
	}
	c.misses.Add(1)
	st, err := c.src.BotStateByToken(ctx, hash)
	if err == nil && following {
		c.put(hash, st, start, now)
	}
	return st, err
}

// put keeps a state read since epoch start, unless the bot was dropped
// (or the cache reset) after the read began.
func (c *Cache) put(hash string, st store.BotState, start uint64, began time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.following || start < c.floor || c.dropped[st.ID].epoch > start || time.Since(began) > c.cfg.MaxAge {
		return
	}
	if _, ok := c.byHash[hash]; !ok {
		c.byBot[st.ID] = append(c.byBot[st.ID], hash)
	}
	c.byHash[hash] = entry{st: st, at: began}
}

// Drop forgets what the cache holds of these bots: they were written.
func (c *Cache) Drop(botIDs []int64) {
	if len(botIDs) == 0 {
		return
	}
	now := time.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	for _, id := range botIDs {
		for _, h := range c.byBot[id] {
			delete(c.byHash, h)
		}
		delete(c.byBot, id)
		c.dropped[id] = mark{epoch: c.epoch, at: now}
	}
}

// reset empties the cache and sets whether it may fill again.
func (c *Cache) reset(following bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	c.floor = c.epoch
	c.following = following
	clear(c.byHash)
	clear(c.byBot)
	clear(c.dropped)
}

// Kick makes the cache read the feed now: another daemon committed.
func (c *Cache) Kick() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Stats counts the answers given from memory and those read.
func (c *Cache) Stats() (hits, misses int64) { return c.hits.Load(), c.misses.Load() }

// Len is the number of tokens the cache holds.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.byHash)
}
