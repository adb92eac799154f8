package tui

import (
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
)

// TestBotView_MergesReadAndStream checks that what both the read and the
// stream deliver shows once: the stream sends events and log lines before
// they are stored, so without their ids and with full-precision times.
func TestBotView_MergesReadAndStream(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 80, 24).ready()
	h.send(openBotMsg{id: 1})
	at := testNow.Add(-90 * time.Second)
	stored := api.LogEntry{ID: 50, BotID: 1, EntryID: "b-50", Time: at, Level: "info", Message: "joined"}
	streamed := stored
	streamed.ID, streamed.Time = 0, at.Add(321*time.Nanosecond)
	h.m.bot.addLogs([]api.LogEntry{streamed})
	h.m.bot.addLogs([]api.LogEntry{stored})
	if n := len(h.m.bot.logs); n != 13 {
		t.Fatalf("log lines = %d, want 12 read + 1 new", n)
	}
	ev := api.Event{BotID: 1, Type: "IN_CALL", Time: at.Add(654 * time.Nanosecond)}
	h.m.bot.addEvents([]api.Event{ev})
	ev.ID, ev.Time = 9, at
	h.m.bot.addEvents([]api.Event{ev})
	if n := len(h.m.bot.events); n != 4 {
		t.Fatalf("events = %d, want 3 read + 1 new", n)
	}
	if last := h.m.bot.logs[len(h.m.bot.logs)-1]; last.Message != "heartbeat ok, 13 participants" {
		t.Fatalf("logs not in time order, last = %q", last.Message)
	}
}
