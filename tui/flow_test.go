package tui

import (
	"bytes"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/meeboter/meeboter/api"
)

// startFlow runs the whole program against the fake at 100×30.
func startFlow(t *testing.T) (*teatest.TestModel, *fakeClient) {
	t.Helper()
	fake := newFakeClient()
	m := New(t.Context(), fake, Options{Now: func() time.Time { return testNow }, NoColor: true})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	return tm, fake
}

// waitFor waits until the output written since the last wait shows every
// one of texts. Output read by one wait is gone for the next, so texts that
// may arrive in the same frame must be waited for together.
func waitFor(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(out []byte) bool {
		for _, s := range texts {
			if !bytes.Contains(out, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func finalModel(t *testing.T, tm *teatest.TestModel) *Model {
	t.Helper()
	tm.Type("q")
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
}

func statusEvent(fake *fakeClient, id int64, s api.BotStatus) api.StreamEvent {
	b, _ := fake.setStatus(id, s)
	return api.StreamEvent{Type: "bot", Bot: b}
}

func TestFlow_OpenLeaveAndFollow(t *testing.T) {
	t.Parallel()
	tm, fake := startFlow(t)
	waitFor(t, tm, "live")
	tm.Type("2")
	waitFor(t, tm, "standup-notes")
	tm.Type("G")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitFor(t, tm, "Bot #1 standup-notes", "13 participants")

	tm.Type("l")
	waitFor(t, tm, "Leave bot 1? [y/n]")
	tm.Type("y")
	waitFor(t, tm, "asked bot 1 to leave")
	if !fake.called("leave 1") {
		t.Fatal("leave was not called")
	}

	fake.bot <- api.StreamEvent{Type: "log", Log: &api.LogEntry{ID: 99, BotID: 1, Level: "info", Time: testNow, Message: "leaving the call now"}}
	waitFor(t, tm, "leaving the call now")
	fake.fleet <- statusEvent(fake, 1, api.StatusCallEnded)
	waitFor(t, tm, "CALL_ENDED")

	m := finalModel(t, tm)
	if b, _ := m.fleet.bot(1); b.Status != api.StatusCallEnded {
		t.Fatalf("final status = %s, want CALL_ENDED", b.Status)
	}
}

func TestFlow_StatusChangesInList(t *testing.T) {
	t.Parallel()
	tm, fake := startFlow(t)
	waitFor(t, tm, "live")
	tm.Type("2")
	waitFor(t, tm, "sales-sync")
	fake.fleet <- statusEvent(fake, 2, api.StatusInWaitingRoom)
	waitFor(t, tm, "IN_WAITING_ROOM")
	m := finalModel(t, tm)
	if b, _ := m.fleet.bot(2); b.Status != api.StatusInWaitingRoom {
		t.Fatalf("final status = %s", b.Status)
	}
}

func TestFlow_ReconnectsAfterDrop(t *testing.T) {
	t.Parallel()
	tm, fake := startFlow(t)
	waitFor(t, tm, "live")
	fake.setFailing(api.ErrUnreachable)
	fake.drop <- api.ErrUnreachable
	waitFor(t, tm, "disconnected since 12:00:00")
	fake.setFailing(nil)
	waitFor(t, tm, "live")
	finalModel(t, tm)
	// Once for the start and once after the outage: changes made while
	// down were not streamed, so the bots are read again.
	if n := fake.count("list"); n < 2 {
		t.Fatalf("bots listed %d times, want a re-read after reconnecting", n)
	}
}

// TestFlow_ActionsFromList selects two bots in the list, leaves them with
// one bulk call, and sees their new status arrive on the stream.
func TestFlow_ActionsFromList(t *testing.T) {
	t.Parallel()
	tm, fake := startFlow(t)
	waitFor(t, tm, "live")
	tm.Type("2")
	waitFor(t, tm, "standup-notes")
	tm.Type("G")
	tm.Send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	for range 6 { // from bot 1 up to bot 7
		tm.Type("k")
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	// The renderer redraws only what changed, so a count going from 1 to
	// 2 selected shows as a lone "2": wait for the prompt instead.
	tm.Type("l")
	waitFor(t, tm, "Leave 2 bots (1, 7)? [y/n]")
	tm.Type("y")
	waitFor(t, tm, "asked 2 bots to leave")
	if !fake.called("bulk-leave 1,7") {
		t.Fatalf("calls %v", fake.callList())
	}
	fake.fleet <- statusEvent(fake, 7, api.StatusLeaving)
	waitFor(t, tm, "LEAVING")
	m := finalModel(t, tm)
	if b, _ := m.fleet.bot(7); b.Status != api.StatusLeaving {
		t.Fatalf("bot 7 = %s, want LEAVING", b.Status)
	}
}
