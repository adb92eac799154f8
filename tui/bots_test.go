package tui

import (
	"testing"

	"github.com/meeboter/meeboter/api"
)

// selectBots marks bots in the list by moving to each and pressing space.
func (h *harness) selectBots(ids ...int64) {
	h.t.Helper()
	for _, id := range ids {
		h.moveTo(id)
		h.keys("space")
	}
}

// moveTo puts the list's cursor on a bot.
func (h *harness) moveTo(id int64) {
	h.t.Helper()
	h.keys("g")
	for range len(h.m.bots.rows) {
		if h.m.bots.current == id {
			return
		}
		h.keys("down")
	}
	h.t.Fatalf("bot %d is not in the list", id)
}

func TestBots_BulkLeave(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 100, 30).ready()
	h.keys("2")
	h.selectBots(7, 1)
	h.wantView("2 selected")
	h.keys("l")
	h.wantView("Leave 2 bots (1, 7)? [y/n]")
	h.keys("y")
	if !h.fake.called("bulk-leave 1,7") {
		t.Fatalf("calls %v, want one bulk leave of 1 and 7", h.fake.callList())
	}
	h.wantView("asked 2 bots to leave")
	if len(h.m.bots.marked) != 0 {
		t.Fatalf("selection after success = %v, want none", h.m.bots.marked)
	}
}

func TestBots_BulkCancelReportsFailures(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 120, 30).ready()
	h.keys("2")
	h.selectBots(3, 1)
	h.keys("c", "y")
	if !h.fake.called("bulk-cancel 1,3") {
		t.Fatalf("calls %v", h.fake.callList())
	}
	h.wantView("error: cancelled bot 3; 1 failed: bot 1: cannot move bot 1 to DONE")
	if !h.m.bots.marked[1] || h.m.bots.marked[3] {
		t.Fatalf("selection = %v, want only the failed bot 1 left", h.m.bots.marked)
	}
}

func TestBots_DeleteUnderCursor(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 100, 30).ready()
	h.keys("2")
	h.moveTo(5)
	h.keys("x")
	h.wantView("Delete bot 5? [y/n]")
	h.keys("y")
	if !h.fake.called("delete 5") {
		t.Fatalf("calls %v", h.fake.callList())
	}
	if _, ok := h.m.fleet.bot(5); ok {
		t.Fatal("a deleted bot is still listed")
	}
	h.wantView("7 of 7 bots")
	h.wantView("deleted bot 5")
}

func TestBots_DenyDoesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 100, 30).ready()
	h.keys("2", "space", "l")
	h.wantView("Leave bot 8? [y/n]")
	h.keys("n")
	h.keys("x", "esc")
	for _, c := range h.fake.callList() {
		if c != "list" && c != "pool" && c != "queue" && c != "slots" && c != "stream 0" {
			t.Fatalf("a denied action ran: %v", h.fake.callList())
		}
	}
}

func TestBots_ReverseSort(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 100, 30).ready()
	h.keys("2")
	if h.m.bots.rows[0].ID != 8 {
		t.Fatalf("first = %d, want the newest", h.m.bots.rows[0].ID)
	}
	h.keys("S")
	if h.m.bots.rows[0].ID != 1 {
		t.Fatalf("reversed, first = %d, want the oldest", h.m.bots.rows[0].ID)
	}
	h.wantView("ID▲")
	h.wantView("sorted by id, reversed")
	h.keys("s")
	if h.m.bots.rows[0].Status != api.StatusFatal {
		t.Fatalf("status reversed, first = %s, want FATAL", h.m.bots.rows[0].Status)
	}
}

func TestBots_FilterMatchesMetadata(t *testing.T) {
	t.Parallel()
	for filter, want := range map[string][]int64{
		"team=sales": {1},
		"support":    {2},
		"deal=4":     {1},
		"sales":      {2, 1}, // bot 2 is called sales-sync
	} {
		h := newHarness(t, 100, 30).ready()
		h.keys("2", "/")
		h.typeText(filter)
		h.keys("enter")
		var got []int64
		for _, b := range h.m.bots.rows {
			got = append(got, b.ID)
		}
		if len(got) != len(want) || (len(got) > 0 && got[0] != want[0]) {
			t.Errorf("filter %q: rows %v, want %v", filter, got, want)
		}
	}
}

func TestBots_SelectAll(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 100, 30).ready()
	h.keys("2", "/")
	h.typeText("zoom")
	h.keys("enter", "A")
	if len(h.m.bots.marked) != 3 {
		t.Fatalf("marked %v, want the 3 zoom bots", h.m.bots.marked)
	}
	h.keys("A")
	if len(h.m.bots.marked) != 0 {
		t.Fatalf("A again should clear, marked %v", h.m.bots.marked)
	}
}
