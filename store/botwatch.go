package store

import (
	"context"
	"database/sql"
	"sync"
)

// botWatchers are the functions told, after a commit, which bots this
// store changed, and those told that it added webhook deliveries. The
// copies of a db bound to transactions share them.
type botWatchers struct {
	mu     sync.RWMutex
	fns    []func(botIDs []int64)
	outbox []func()
}

func (w *botWatchers) add(fn func([]int64)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fns = append(w.fns, fn)
}

func (w *botWatchers) tell(ids []int64) {
	if w == nil || len(ids) == 0 {
		return
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	for _, fn := range w.fns {
		fn(ids)
	}
}

func (w *botWatchers) addOutbox(fn func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.outbox = append(w.outbox, fn)
}

func (w *botWatchers) tellOutbox() {
	if w == nil {
		return
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	for _, fn := range w.outbox {
		fn()
	}
}

// WatchOutbox calls fn after every commit of this store that added
// webhook deliveries, so the sender looks for due ones only when there
// can be new ones (a claim that finds nothing still costs a statement,
// and on SQLite it holds the one writer another commit is waiting for).
// fn runs on the writer's goroutine and must not block.
func (s *db) WatchOutbox(fn func()) { s.watch.addOutbox(fn) }

// outboxAdded tells the outbox watchers of new deliveries: now, or after
// the commit of the transaction they are written in.
func (s *db) outboxAdded() {
	if s.inTx {
		*s.outboxed = true
		return
	}
	s.watch.tellOutbox()
}

// WatchBotWrites calls fn after every commit of this store that changed
// bots' state (every change of kind ChangeBot), a bot's token or a bot's
// existence, with the bots' ids. It is how a cache in this process stays
// true without waiting for the feed; other processes' writes reach it
// through ChangedBots. fn runs on the writer's goroutine and must not block.
func (s *db) WatchBotWrites(fn func(botIDs []int64)) { s.watch.add(fn) }

// changedBotIDs lists the bots the pending changes of a transaction name
// in their new state.
func changedBotIDs(changes []pendingChange) []int64 {
	var ids []int64
	for _, c := range changes {
		if c.kind == ChangeBot {
			ids = append(ids, c.botID)
		}
	}
	return ids
}

// ChangedBots lists, in order, the feed's changes of kind ChangeBot after
// the given number, by number and bot only: what a cache of bot states
// needs to know to drop what it holds, without decoding any body.
func (s *db) ChangedBots(ctx context.Context, after int64, n int) ([]BotChange, error) {
	if err := s.numberChanges(ctx); err != nil {
		return nil, err
	}
	return collect(ctx, s, "SELECT seq, bot_id FROM stream_changes WHERE seq > ? AND kind = ? ORDER BY seq LIMIT ?",
		[]any{after, ChangeBot, limit(n)}, func(r *sql.Rows, c *BotChange) error { return r.Scan(&c.Seq, &c.BotID) })
}

// touch tells the watchers of a bot written without a change: now, or
// after the commit of the transaction it is written in.
func (s *db) touch(botID int64) {
	if s.inTx {
		*s.touched = append(*s.touched, botID)
		return
	}
	s.watch.tell([]int64{botID})
}
