// Package batch coalesces the writes of the hot paths (heartbeats, log
// lines, the request log) into one statement batch per interval, instead
// of one transaction per item.
package batch

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/meeboter/meeboter/store"
)

// Batcher collects items and hands them to its write function together.
// Run it with Run; Flush writes what is pending at once (at shutdown).
type Batcher[T any] struct {
	mu      sync.Mutex
	pending []T
	// spare is the slice the last write was given, cleared, for the next
	// pending items: a busy batch (tens of thousands of heartbeats an
	// interval) is not grown afresh after every write.
	spare   []T
	max     int
	every   time.Duration
	kick    chan struct{}
	write   func(ctx context.Context, items []T) error
	one     func(ctx context.Context, item T) error
	dropped atomic.Int64
	log     *slog.Logger
	name    string
}

// New returns a batcher called name that writes every interval, or at once
// when max items are pending.
func New[T any](name string, max int, every time.Duration, log *slog.Logger, write func(context.Context, []T) error) *Batcher[T] {
	return &Batcher[T]{max: max, every: every, kick: make(chan struct{}, 1), write: write, log: log, name: name}
}

// RowByRow gives the batcher a way to write one item alone. When a batch
// fails for a reason of its own (one bad row refused by a constraint), the
// batch is then written item by item, so only the items that fail are
// lost; each is counted in Dropped and the loss is logged.
func (b *Batcher[T]) RowByRow(one func(ctx context.Context, item T) error) *Batcher[T] {
	b.one = one
	return b
}

// Dropped counts the items lost to failed writes since the start.
func (b *Batcher[T]) Dropped() int64 { return b.dropped.Load() }

// Add queues items for the next write.
func (b *Batcher[T]) Add(items ...T) {
	b.mu.Lock()
	b.pending = append(b.pending, items...)
	full := len(b.pending) >= b.max
	b.mu.Unlock()
	if full {
		select {
		case b.kick <- struct{}{}:
		default:
		}
	}
}

// Flush writes what is pending. A failed write is logged and dropped: the
// batchers carry data that is refreshed anyway (heartbeats) or is best
// effort by design (captured output, the request log); callers that must
// not lose items write synchronously instead.
func (b *Batcher[T]) Flush(ctx context.Context) {
	b.mu.Lock()
	items := b.pending
	b.pending, b.spare = b.spare, nil
	b.mu.Unlock()
	if len(items) == 0 {
		return
	}
	defer b.reuse(items)
	err := b.write(ctx, items)
	if err == nil {
		return
	}
	if b.one == nil || errors.Is(err, store.ErrUnavailable) || ctx.Err() != nil {
		// Nothing to single out when the database itself failed.
		b.dropped.Add(int64(len(items)))
		b.log.Error("batch write failed", "batch", b.name, "items", len(items), "err", err)
		return
	}
	b.rowByRow(ctx, items, err)
}

// reuse keeps written items' slice for the items to come. The writes do
// not keep their items; the slice is cleared so it holds nothing alive.
func (b *Batcher[T]) reuse(items []T) {
	clear(items)
	b.mu.Lock()
	b.spare = items[:0]
	b.mu.Unlock()
}

func (b *Batcher[T]) rowByRow(ctx context.Context, items []T, batchErr error) {
	var lost int64
	var last error
	for _, it := range items {
		if err := b.one(ctx, it); err != nil {
			lost++
			last = err
		}
	}
	if lost > 0 {
		b.dropped.Add(lost)
		b.log.Error("batch rows refused; the others were written", "batch", b.name, "items", len(items), "dropped", lost, "err", last, "batch_err", batchErr)
	}
}

// Run flushes every interval, or at once when the batch is full, until ctx
// ends; then it flushes what is left with a short deadline of its own.
func (b *Batcher[T]) Run(ctx context.Context) {
	t := time.NewTicker(b.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			b.Flush(final)
			cancel()
			return
		case <-t.C:
		case <-b.kick:
		}
		b.Flush(ctx)
	}
}
