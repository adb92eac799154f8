package tui

import (
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// harness drives a Model by hand: each message goes through Update, and
// the commands it returns run with a short deadline. Commands that block
// (timers, stream waits) are left behind, so tests only see what follows
// at once from a message.
type harness struct {
	t    testing.TB
	m    *Model
	fake *fakeClient
}

func newHarness(t testing.TB, w, h int) *harness {
	t.Helper()
	fake := newFakeClient()
	m := New(t.Context(), fake, Options{Now: func() time.Time { return testNow }, NoColor: true, RefetchDelay: time.Millisecond})
	hs := &harness{t: t, m: m, fake: fake}
	hs.send(windowSize(w, h))
	return hs
}

// ready runs Init: the initial load and the fleet stream's first message.
func (h *harness) ready() *harness {
	h.t.Helper()
	h.send(collect(h.m.Init())...)
	if !h.m.streams[fleetStream].live {
		h.t.Fatal("fleet stream not live after Init")
	}
	if h.m.state != stateReady {
		h.t.Fatalf("state = %v, want ready (err %v)", h.m.state, h.m.err)
	}
	return h
}

// send feeds messages and everything their commands return at once.
func (h *harness) send(msgs ...tea.Msg) {
	h.t.Helper()
	for len(msgs) > 0 {
		msg := msgs[0]
		msgs = msgs[1:]
		_, cmd := h.m.Update(msg)
		msgs = append(msgs, collect(cmd)...)
	}
}

// keys presses keys by name ("enter", "esc", "q", "/").
func (h *harness) keys(names ...string) {
	h.t.Helper()
	for _, n := range names {
		h.send(keyPress(n))
	}
}

// typeText types text key by key.
func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (h *harness) view() string { return h.m.View().Content }

func (h *harness) wantView(substr string) {
	h.t.Helper()
	if v := h.view(); !strings.Contains(v, substr) {
		h.t.Fatalf("view lacks %q:\n%s", substr, v)
	}
}

func windowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

func keyPress(name string) tea.KeyPressMsg {
	special := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "up": tea.KeyUp, "down": tea.KeyDown,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "backspace": tea.KeyBackspace, "space": tea.KeySpace,
	}
	if code, ok := special[name]; ok {
		if code == tea.KeySpace {
			return tea.KeyPressMsg{Code: code, Text: " "}
		}
		return tea.KeyPressMsg{Code: code}
	}
	r := []rune(name)[0]
	return tea.KeyPressMsg{Code: r, Text: name}
}

// collect runs cmd and returns the messages it produces within a short
// deadline, flattening batches. Timer and stream-wait messages are dropped:
// they would only arrive later in a real program.
func collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		return expand(msg)
	case <-time.After(100 * time.Millisecond):
		return nil
	}
}

func expand(msg tea.Msg) []tea.Msg {
	switch msg := msg.(type) {
	case nil, clockTickMsg, refreshTickMsg:
		return nil
	case tea.BatchMsg:
		var (
			mu  sync.Mutex
			out []tea.Msg
			wg  sync.WaitGroup
		)
		for _, c := range msg {
			wg.Go(func() {
				got := collect(c)
				mu.Lock()
				out = append(out, got...)
				mu.Unlock()
			})
		}
		wg.Wait()
		return out
	}
	return []tea.Msg{msg}
}
