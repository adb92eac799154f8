package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
)

func TestOverview_PlatformDrillDown(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 100, 30).ready()
	h.keys("down", "enter")
	if h.m.current != viewBots {
		t.Fatalf("view = %v, want the bots list", h.m.current)
	}
	h.wantView("2 of 8 bots · sorted by id · on k8s")
	for _, b := range h.m.bots.rows {
		if b.DeploymentPlatform != "k8s" {
			t.Fatalf("bot %d on %q in the k8s list", b.ID, b.DeploymentPlatform)
		}
	}
	h.keys("esc")
	h.wantView("8 of 8 bots")
}

func TestOverview_OpenFailure(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 100, 30).ready()
	h.keys("down", "down", "down") // local, k8s, then the latest failure
	h.wantView("› #8 ")
	h.keys("enter")
	if h.m.current != viewBot || h.m.bot.id != 8 {
		t.Fatalf("view = %v bot = %d, want bot 8", h.m.current, h.m.bot.id)
	}
	h.keys("esc")
	if h.m.current != viewOverview {
		t.Fatalf("back goes to %v, want the overview", h.m.current)
	}
}

func TestDescribe(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 100, 60).ready()
	h.keys("2")
	h.selectBots() // no selection: d describes the bot under the cursor
	h.keys("G", "d")
	if h.m.current != viewDescribe {
		t.Fatalf("view = %v, want describe", h.m.current)
	}
	for _, want := range []string{"Bot #1 standup-notes", "not ended", "deal = 42", "team = sales", `"id": 1,`, `"meetingUrl": "https://meet.example/standup-notes"`} {
		h.wantView(want)
	}
	h.keys("esc")
	if h.m.current != viewBots {
		t.Fatalf("back goes to %v, want the list", h.m.current)
	}

	// From a bot, and back to it with its stream still open.
	h.send(openBotMsg{id: 4})
	stream := h.m.streams[botStream].gen
	h.keys("d")
	h.wantView("reason heartbeat_timeout")
	h.wantView("detail no heartbeat for 90s")
	h.keys("esc")
	if h.m.current != viewBot || h.m.bot.id != 4 || h.m.streams[botStream].gen != stream {
		t.Fatalf("view = %v bot = %d, want bot 4 as it was", h.m.current, h.m.bot.id)
	}
}

func TestBotView_LogLevelAndSearch(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 100, 40).ready()
	h.send(openBotMsg{id: 1})
	h.m.bot.addLogs([]api.LogEntry{
		{ID: 20, BotID: 1, EntryID: "w", Level: "WARN", Time: testNow.Add(-30 * time.Second), Message: "slow network"},
		{ID: 21, BotID: 1, EntryID: "e", Level: "ERROR", Time: testNow.Add(-20 * time.Second), Message: "camera failed"},
	})
	h.keys("v", "v", "v") // DEBUG, INFO, WARN
	h.wantView("Log (2 of 14 lines: ≥WARN; following)")
	if v := h.view(); strings.Contains(v, "heartbeat ok") {
		t.Fatalf("INFO lines shown at ≥WARN:\n%s", v)
	}
	h.keys("v")
	h.wantView("≥ERROR")
	h.keys("esc")
	h.wantView("Log (14 lines, following)")
	if h.m.current != viewBot {
		t.Fatal("esc with a filter on should clear it, not leave the bot")
	}

	h.keys("/")
	h.typeText("13 PART")
	h.wantView("search log: 13 PART")
	h.keys("enter")
	h.wantView(`Log (1 of 14 lines: "13 PART"; following)`)
	h.wantView("heartbeat ok, 13 participants")
	if v := h.view(); strings.Contains(v, "12 participants") {
		t.Fatalf("search shows other lines:\n%s", v)
	}
}

// TestHeartbeats applies the fleet stream's heartbeats to the bots, so the
// HEARTBEAT column moves without a status change.
func TestHeartbeats(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 100, 30).ready()
	h.keys("2")
	gen := h.m.streams[fleetStream].gen
	beat := func(id int64, at time.Time) {
		h.send(streamEventMsg{kind: fleetStream, gen: gen, ev: api.StreamEvent{Type: "heartbeats",
			Heartbeats: []api.BotHeartbeat{{BotID: id, At: at}}}})
	}
	beat(2, testNow.Add(-time.Second))
	if b, _ := h.m.fleet.bot(2); !b.LastHeartbeatAt.Equal(testNow.Add(-time.Second)) {
		t.Fatalf("heartbeat = %v, want 1s ago", b.LastHeartbeatAt)
	}
	if row := rowOf(h, 2); !strings.Contains(row, " 1s ") {
		t.Fatalf("row of bot 2 = %q, want a 1s heartbeat", row)
	}
	beat(2, testNow.Add(-time.Minute)) // older than what is known
	if b, _ := h.m.fleet.bot(2); !b.LastHeartbeatAt.Equal(testNow.Add(-time.Second)) {
		t.Fatal("an older heartbeat replaced a newer one")
	}
	// A status message carrying an older heartbeat keeps the newer one.
	b, _ := h.m.fleet.bot(2)
	b.Status, b.UpdatedAt, b.LastHeartbeatAt = api.StatusInCall, b.UpdatedAt.Add(time.Second), ago(20*time.Second)
	h.send(streamEventMsg{kind: fleetStream, gen: gen, ev: api.StreamEvent{Type: "bot", Bot: &b}})
	if got, _ := h.m.fleet.bot(2); got.Status != api.StatusInCall || !got.LastHeartbeatAt.Equal(testNow.Add(-time.Second)) {
		t.Fatalf("bot 2 = %s, heartbeat %v", got.Status, got.LastHeartbeatAt)
	}
	beat(99, testNow) // a bot the dashboard does not know is ignored
}

func rowOf(h *harness, id int64) string {
	for _, line := range strings.Split(h.view(), "\n") {
		if strings.HasPrefix(strings.TrimLeft(line, " ›•"), itoa(id)+" ") {
			return line
		}
	}
	return ""
}

// TestLive_AnyFirstEvent says "● live" on a stream's first message,
// whatever its type: a quiet fleet's stream may open with a hello or a
// ping, and either means it is up.
func TestLive_AnyFirstEvent(t *testing.T) {
	t.Parallel()
	for _, first := range []string{"hello", "ping", "heartbeats", "something-new"} {
		h := newHarness(t, 80, 24)
		h.fake.first = first
		h.ready()
		h.wantView("● live")
	}
}

// TestBotView_EventsSameMicrosecond keeps events apart by id: two joins in
// one microsecond are two events, while the stream's copy of a stored
// event is still one.
func TestBotView_EventsSameMicrosecond(t *testing.T) {
	t.Parallel()
	h := newHarness(t, 100, 30).ready()
	h.send(openBotMsg{id: 2})
	at := testNow.Add(-time.Minute)
	join := func(id int64) api.Event {
		return api.Event{ID: id, BotID: 2, Type: "PARTICIPANT_JOIN", Time: at, Data: []byte(`{"name":"Guest"}`)}
	}
	h.m.bot.addEvents([]api.Event{join(10), join(11)})
	h.m.bot.addEvents([]api.Event{join(11)})
	if n := len(h.m.bot.events); n != 2 {
		t.Fatalf("events = %d, want the two joins", n)
	}
	idless := join(0)
	idless.Time = at.Add(400 * time.Nanosecond) // beyond the store's precision
	h.m.bot.addEvents([]api.Event{idless})
	if n := len(h.m.bot.events); n != 2 {
		t.Fatalf("events = %d, an id-less copy of a stored event was added", n)
	}
	// An id-less event first, then its stored copy: one event, with the id.
	other := api.Event{BotID: 2, Type: "PARTICIPANT_LEAVE", Time: at}
	h.m.bot.addEvents([]api.Event{other})
	other.ID = 12
	h.m.bot.addEvents([]api.Event{other, other})
	if n := len(h.m.bot.events); n != 3 || h.m.bot.events[2].ID != 12 {
		t.Fatalf("events = %+v", h.m.bot.events)
	}
}
