package tui

import (
	"testing"

	"github.com/meeboter/meeboter/api"
)

// TestRefetch_FromStream re-reads the queue, slots and pool when a bot
// change touches them, instead of waiting for the slow poll.
func TestRefetch_FromStream(t *testing.T) {
	t.Parallel()
	change := func(h *harness, id int64, edit func(*api.Bot)) {
		b, _ := h.m.fleet.bot(id)
		edit(&b)
		b.UpdatedAt = b.UpdatedAt.Add(1)
		h.send(streamEventMsg{kind: fleetStream, gen: h.m.streams[fleetStream].gen, ev: api.StreamEvent{Type: "bot", Bot: &b}})
	}
	tests := []struct {
		name               string
		id                 int64
		edit               func(*api.Bot)
		pool, queue, slots int
	}{
		{"EntersQueue", 6, func(b *api.Bot) { b.Status = api.StatusQueued }, 1, 1, 0},
		{"LeavesQueue", 3, func(b *api.Bot) { b.Status, b.DeploymentPlatform = api.StatusDeploying, "local" }, 1, 1, 0},
		{"OnPooledPlatform", 6, func(b *api.Bot) { b.Status, b.DeploymentPlatform = api.StatusDeploying, "coolify" }, 1, 0, 1},
		{"OtherStatusChange", 2, func(b *api.Bot) { b.Status = api.StatusInWaitingRoom }, 1, 0, 0},
		{"NoStatusChange", 2, func(b *api.Bot) { b.DisplayName = "renamed" }, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, 100, 30).ready()
			pool, queue, slots := h.fake.count("pool"), h.fake.count("queue"), h.fake.count("slots")
			change(h, tt.id, tt.edit)
			assertReads(t, h, "pool", pool+tt.pool)
			assertReads(t, h, "queue", queue+tt.queue)
			assertReads(t, h, "slots", slots+tt.slots)
		})
	}
}

// TestRefetch_Burst reads once for changes that arrive together.
func TestRefetch_Burst(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 100, 30).ready()
	queue := h.fake.count("queue")
	gen := h.m.streams[fleetStream].gen
	var msgs []any
	for _, id := range []int64{6, 3} {
		b, _ := h.m.fleet.bot(id)
		b.Status, b.UpdatedAt = api.StatusDeploying, b.UpdatedAt.Add(1)
		if id == 6 {
			b.Status = api.StatusQueued
		}
		msgs = append(msgs, streamEventMsg{kind: fleetStream, gen: gen, ev: api.StreamEvent{Type: "bot", Bot: &b}})
	}
	h.send(msgs[0], msgs[1])
	assertReads(t, h, "queue", queue+1)
	if h.m.refetchPending || h.m.stale != 0 {
		t.Fatalf("pending = %v stale = %b after the refetch", h.m.refetchPending, h.m.stale)
	}
}

func assertReads(t *testing.T, h *harness, call string, want int) {
	t.Helper()
	if got := h.fake.count(call); got != want {
		t.Errorf("%s read %d times, want %d (calls %v)", call, got, want, h.fake.callList())
	}
}
