package daemon

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// batcher coalesces writes of the hot paths (heartbeats, log lines, the
// request log) into one statement batch per interval, instead of one
// transaction per item.
type batcher[T any] struct {
	mu      sync.Mutex
	pending []T
	max     int
	kick    chan struct{}
	write   func(ctx context.Context, items []T) error
	log     *slog.Logger
	name    string
}

func newBatcher[T any](name string, max int, log *slog.Logger, write func(context.Context, []T) error) *batcher[T] {
	return &batcher[T]{max: max, kick: make(chan struct{}, 1), write: write, log: log, name: name}
}

func (b *batcher[T]) add(items ...T) {
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

// flush writes what is pending. A failed write is logged and dropped only
// for data that is refreshed anyway (heartbeats); callers that must not lose
// items write synchronously instead.
func (b *batcher[T]) flush(ctx context.Context) {
	b.mu.Lock()
	items := b.pending
	b.pending = nil
	b.mu.Unlock()
	if len(items) == 0 {
		return
	}
	if err := b.write(ctx, items); err != nil {
		b.log.Error("batch write failed", "batch", b.name, "items", len(items), "err", err)
	}
}

// run flushes every interval, or at once when the batch is full, until ctx
// ends.
func (b *batcher[T]) run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-b.kick:
		}
		b.flush(ctx)
	}
}

type beat struct {
	botID int64
	at    time.Time
}

type heartbeatBatcher struct{ *batcher[beat] }

func newHeartbeatBatcher(st store.Store, log *slog.Logger) *heartbeatBatcher {
	return &heartbeatBatcher{newBatcher("heartbeats", 1000, log, func(ctx context.Context, items []beat) error {
		latest := make(map[int64]time.Time, len(items))
		for _, it := range items {
			if it.at.After(latest[it.botID]) {
				latest[it.botID] = it.at
			}
		}
		return st.RecordHeartbeats(ctx, latest)
	})}
}

type logBatcher struct{ *batcher[store.LogEntry] }

// newLogBatcher batches the lines the local platform captures from bot
// processes; lines bots send through the agent API are written at once.
func newLogBatcher(st store.Store, log *slog.Logger, h *hub) *logBatcher {
	return &logBatcher{newBatcher("logs", 500, log, func(ctx context.Context, items []store.LogEntry) error {
		if err := st.InsertLogs(ctx, items); err != nil {
			return err
		}
		h.publishLogs(items)
		return nil
	})}
}

type requestLogger struct{ *batcher[store.APIRequestLog] }

func newRequestLogger(st store.Store, log *slog.Logger) *requestLogger {
	return &requestLogger{newBatcher("request_log", 500, log, func(ctx context.Context, items []store.APIRequestLog) error {
		used := map[int64]time.Time{}
		for _, it := range items {
			if it.CreatedAt.After(used[it.APIKeyID]) {
				used[it.APIKeyID] = it.CreatedAt
			}
		}
		if err := st.InsertRequestLogs(ctx, items); err != nil {
			return err
		}
		return st.TouchAPIKeys(ctx, used)
	})}
}

func (r *requestLogger) record(l store.APIRequestLog) { r.add(l) }

// logToAPI converts a stored log line.
func logToAPI(e store.LogEntry) api.LogEntry {
	return api.LogEntry{ID: e.ID, BotID: e.BotID, EntryID: e.EntryID, Time: e.Time, Level: e.Level, Message: e.Message, Fields: e.Fields}
}
