package local

import (
	"context"
	"sync"

	"github.com/meeboter/meeboter/platforms"
)

// watcher queues the changes for one Watch call. Each watcher has its own
// unbounded queue, drained by the goroutine that called Watch, so a slow
// fn never blocks a process exit and changes arrive in order.
type watcher struct {
	mu    sync.Mutex
	queue []platforms.Resource
	wake  chan struct{}
}

func (w *watcher) push(r platforms.Resource) {
	w.mu.Lock()
	w.queue = append(w.queue, r)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *watcher) take() []platforms.Resource {
	w.mu.Lock()
	defer w.mu.Unlock()
	q := w.queue
	w.queue = nil
	return q
}

// notifyLocked queues r for every watcher; l.mu must be held, which keeps
// the order of changes the same for all of them.
func (l *Local) notifyLocked(r platforms.Resource) {
	for w := range l.watchers {
		w.push(r)
	}
}

// Watch first reports every known process (running or remembered ended),
// then each start and end, until ctx ends. Ends arrive the moment the
// process is reaped, so the daemon learns of a crashed bot at once rather
// than at its next heartbeat check.
func (l *Local) Watch(ctx context.Context, fn func(platforms.Resource)) error {
	w := &watcher{wake: make(chan struct{}, 1)}
	l.mu.Lock()
	for _, p := range l.procs {
		w.push(p.res)
	}
	l.watchers[w] = struct{}{}
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		delete(l.watchers, w)
		l.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-w.wake:
			for _, r := range w.take() {
				fn(r)
			}
		}
	}
}
