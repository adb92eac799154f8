package beatcache

import (
	"context"
	"time"
)

// pageSize is how many bot changes one read of the feed takes.
const pageSize = 500

// Run follows the feed until ctx ends: from its head, dropping the bots
// each change names. When a read fails the cache empties and stops
// serving, then starts again from the head once the store answers: what
// it missed meanwhile can no longer matter, as it holds nothing.
func (c *Cache) Run(ctx context.Context) {
	defer c.reset(false)
	sweep := time.NewTicker(c.cfg.MaxAge)
	defer sweep.Stop()
	for ctx.Err() == nil {
		pos, err := c.head(ctx)
		if err == nil {
			err = c.follow(ctx, pos, sweep.C)
		}
		if ctx.Err() != nil {
			return
		}
		c.reset(false)
		c.log.Warn("follow the change feed; heartbeats read the database until it works again", "err", err)
		c.pause(ctx)
	}
}

// head reads the feed's last number, then opens the cache to fills: every
// change after that number is still to be read, so no fill can outlive a
// change it missed.
func (c *Cache) head(ctx context.Context) (int64, error) {
	b, err := c.src.ChangeBounds(ctx)
	if err != nil {
		return 0, err
	}
	c.reset(true)
	return b.Newest, nil
}

// follow reads the feed after pos until ctx ends or a read fails.
func (c *Cache) follow(ctx context.Context, pos int64, sweep <-chan time.Time) error {
	poll := time.NewTicker(c.cfg.Poll)
	defer poll.Stop()
	for {
		var err error
		if pos, err = c.catchUp(ctx, pos); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-poll.C:
		case <-c.wake:
		case <-sweep:
			c.sweep()
		}
	}
}

// catchUp drops the bots of every bot change after pos and returns the
// last number read.
func (c *Cache) catchUp(ctx context.Context, pos int64) (int64, error) {
	for {
		cs, err := c.src.ChangedBots(ctx, pos, pageSize)
		if err != nil {
			return pos, err
		}
		if len(cs) == 0 {
			return pos, nil
		}
		ids := make([]int64, len(cs))
		for i, ch := range cs {
			ids[i] = ch.BotID
		}
		c.Drop(ids)
		pos = cs[len(cs)-1].Seq
		if len(cs) < pageSize {
			return pos, nil
		}
	}
}

// sweep forgets entries read more than MaxAge ago (a bot long ended, a
// token no longer used) and drop marks no fill in flight can predate.
func (c *Cache) sweep() {
	cut := time.Now().Add(-c.cfg.MaxAge)
	c.mu.Lock()
	defer c.mu.Unlock()
	for h, e := range c.byHash {
		if e.at.Before(cut) {
			delete(c.byHash, h)
			c.byBot[e.st.ID] = removeHash(c.byBot[e.st.ID], h)
			if len(c.byBot[e.st.ID]) == 0 {
				delete(c.byBot, e.st.ID)
			}
		}
	}
	for id, m := range c.dropped {
		if m.at.Before(cut) {
			delete(c.dropped, id)
		}
	}
}

func removeHash(hs []string, h string) []string {
	for i, x := range hs {
		if x == h {
			return append(hs[:i], hs[i+1:]...)
		}
	}
	return hs
}

func (c *Cache) pause(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-time.After(c.cfg.Poll * 5):
	}
}
