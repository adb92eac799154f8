package batch

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestFlushHandsEachItemOnce: items added while a write runs go to the
// next write, and a write's slice, reused for the items after it, never
// shows them an item twice or an item of another write.
func TestFlushHandsEachItemOnce(t *testing.T) {
	var mu sync.Mutex
	var got [][]int
	var b *Batcher[int]
	b = New("test", 1<<20, time.Hour, slog.New(slog.NewTextHandler(io.Discard, nil)), func(_ context.Context, items []int) error {
		if len(got) == 0 {
			b.Add(100, 101) // arrives while the first write runs
		}
		mu.Lock()
		got = append(got, slices.Clone(items))
		mu.Unlock()
		return nil
	})
	b.Add(1, 2, 3)
	b.Flush(t.Context())
	b.Add(4)
	b.Flush(t.Context())
	b.Flush(t.Context())
	want := [][]int{{1, 2, 3}, {100, 101, 4}}
	if len(got) != len(want) || !slices.Equal(got[0], want[0]) || !slices.Equal(got[1], want[1]) {
		t.Fatalf("writes %v, want %v", got, want)
	}
}
