package tui

import (
	"errors"
	"strings"
	"testing"

	"github.com/meeboter/meeboter/api"
)

func TestModel_LoadingToReady(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 80, 24)
	if h.m.state != stateLoading {
		t.Fatalf("state = %v, want loading", h.m.state)
	}
	h.wantView("Connecting")
	h.ready()
	h.wantView("Capacity")
}

func TestModel_LoadErrorThenRetry(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 80, 24)
	h.fake.setFailing(api.ErrUnreachable)
	h.send(loadBots(h.m.ctx, h.fake)())
	if h.m.state != stateError {
		t.Fatalf("state = %v, want error", h.m.state)
	}
	h.wantView("daemon unreachable")
	h.fake.setFailing(nil)
	h.keys("r")
	if h.m.state != stateReady {
		t.Fatalf("state after retry = %v, want ready", h.m.state)
	}
}

func TestModel_SwitchViews(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 80, 24).ready()
	for _, tc := range []struct {
		key  string
		want viewID
		text string
	}{
		{"2", viewBots, "8 of 8 bots"},
		{"3", viewQueue, "1 bot waiting"},
		{"4", viewSlots, "2 slots, 1 with a bot"},
		{"?", viewHelp, "Everywhere"},
		{"?", viewSlots, "teams-slot-1"},
		{"1", viewOverview, "Recent failures"},
	} {
		h.keys(tc.key)
		if h.m.current != tc.want {
			t.Fatalf("after %q view = %v, want %v", tc.key, h.m.current, tc.want)
		}
		h.wantView(tc.text)
	}
}

func TestModel_FilterAndSort(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 80, 24).ready()
	h.keys("2", "/")
	h.typeText("zoom")
	if !h.m.views[viewBots].Capturing() {
		t.Fatal("filter should capture keys while typing")
	}
	h.keys("enter")
	if got := len(h.m.bots.rows); got != 3 {
		t.Fatalf("zoom filter rows = %d, want 3", got)
	}
	h.wantView("filter: zoom")
	h.keys("esc")
	if got := len(h.m.bots.rows); got != 8 {
		t.Fatalf("rows after clearing = %d, want 8", got)
	}
	h.keys("s")
	if h.m.bots.rows[0].Status != api.StatusScheduled {
		t.Fatalf("sorted by status, first = %s", h.m.bots.rows[0].Status)
	}
	h.wantView("STATUS▼")
}

func TestModel_OpenBotAndBack(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 80, 24).ready()
	h.keys("2", "G", "enter")
	if h.m.current != viewBot || h.m.bot.id != 1 {
		t.Fatalf("view = %v bot = %d, want bot 1", h.m.current, h.m.bot.id)
	}
	h.wantView("Bot #1 standup-notes")
	h.wantView("participant_join")
	h.wantView("heartbeat ok, 13 participants")
	if !h.fake.called("stream 1") {
		t.Fatal("opening a bot should open its stream")
	}
	h.keys("esc")
	if h.m.current != viewBots || h.m.bot.id != 0 {
		t.Fatalf("after esc view = %v bot = %d", h.m.current, h.m.bot.id)
	}
}

func TestModel_LeaveNeedsConfirm(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 80, 24).ready()
	h.send(openBotMsg{id: 1})
	h.keys("l")
	h.wantView("Leave bot 1? [y/n]")
	h.keys("n")
	if h.fake.called("leave 1") {
		t.Fatal("leave ran without confirm")
	}
	h.keys("l", "y")
	if !h.fake.called("leave 1") {
		t.Fatal("confirmed leave did not run")
	}
	h.wantView("asked bot 1 to leave")
	if b, _ := h.m.fleet.bot(1); b.Status != api.StatusLeaving {
		t.Fatalf("status = %s, want LEAVING", b.Status)
	}
}

func TestModel_ChatMessage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 80, 24).ready()
	h.send(openBotMsg{id: 1})
	h.keys("m")
	h.typeText("hi all q")
	h.keys("enter")
	h.wantView(`Send "hi all q" to bot 1? [y/n]`)
	h.keys("y")
	if !h.fake.called("chat 1 hi all q") {
		t.Fatalf("chat not sent; calls %v", h.fake.callList())
	}
	if h.m.quitting {
		t.Fatal("q typed into the message quit the dashboard")
	}
}

func TestModel_ActionErrorShows(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 80, 24).ready()
	h.send(actionDoneMsg{action: actionCancel, ids: []int64{2}, err: errors.New("bot is in call")})
	h.wantView("error: cancel bot 2: bot is in call")
}

func TestModel_StreamUpdatesBot(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 80, 24).ready()
	h.keys("2")
	b, _ := h.m.fleet.bot(2)
	b.Status, b.UpdatedAt = api.StatusInCall, b.UpdatedAt.Add(1)
	h.send(streamEventMsg{kind: fleetStream, gen: h.m.streams[fleetStream].gen, ev: api.StreamEvent{Type: "bot", Bot: &b}})
	if got, _ := h.m.fleet.bot(2); got.Status != api.StatusInCall {
		t.Fatalf("status = %s, want IN_CALL", got.Status)
	}
	stale := b
	stale.Status = api.StatusDone
	h.send(streamEventMsg{kind: fleetStream, gen: h.m.streams[fleetStream].gen - 1, ev: api.StreamEvent{Type: "bot", Bot: &stale}})
	if got, _ := h.m.fleet.bot(2); got.Status != api.StatusInCall {
		t.Fatal("a stale stream's message was applied")
	}
}

func TestModel_DisconnectAndReconnect(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 80, 24).ready()
	gen := h.m.streams[fleetStream].gen
	h.send(streamClosedMsg{kind: fleetStream, gen: gen, err: api.ErrUnreachable})
	h.wantView("disconnected since 12:00:00")
	if d := h.m.streams[fleetStream].backoff; d != minBackoff {
		t.Fatalf("backoff = %v, want %v", d, minBackoff)
	}
	h.send(reconnectMsg{kind: fleetStream, gen: gen})
	if !h.m.streams[fleetStream].live || h.m.streams[fleetStream].down {
		t.Fatal("stream should be live again after the reconnect's first message")
	}
	if strings.Contains(h.view(), "disconnected") {
		t.Fatal("header still says disconnected")
	}
}

func TestModel_QuitKey(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 80, 24).ready()
	h.keys("q")
	if !h.m.quitting {
		t.Fatal("q did not quit")
	}
}

func TestModel_TinyTerminal(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{0, 0}, {20, 6}, {40, 10}} {
		h := newHarness(t, size[0], size[1]).ready()
		for _, k := range []string{"1", "2", "enter", "?", "esc", "3", "4"} {
			h.keys(k)
			lines := strings.Split(h.view(), "\n")
			if size[1] > 0 && len(lines) != size[1] {
				t.Fatalf("%dx%d after %q: %d lines", size[0], size[1], k, len(lines))
			}
		}
	}
}
