package tui

import (
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/tui/components/input"
	"github.com/meeboter/meeboter/tui/components/scroll"
)

// botMode is what the bot view's keys do: act, confirm, or type a message.
type botMode int

const (
	modeNormal botMode = iota
	modeConfirm
	modeChat
)

// botView shows one bot: details, recent events and a live log tail, with
// leave, cancel and chat behind a confirm step.
type botView struct {
	c             *Common
	f             *fleet
	id            int64
	events        []api.Event
	logs          []api.LogEntry
	log           *scroll.View
	mode          botMode
	pending       action
	chat          input.Input
	width, height int
}

func newBotView(c *Common, f *fleet) *botView {
	return &botView{c: c, f: f, log: scroll.New(), chat: input.New("message: ")}
}

// open resets the view for another bot.
func (v *botView) open(id int64) {
	*v = botView{c: v.c, f: v.f, id: id, log: scroll.New(), chat: input.New("message: "), width: v.width, height: v.height}
	v.layout()
}

// close forgets the bot, so stream messages for it are no longer applied.
func (v *botView) close() { v.open(0) }

func (v *botView) Capturing() bool { return v.mode != modeNormal }

func (v *botView) SetSize(w, h int) {
	v.width, v.height = w, h
	v.layout()
}

// setDetail merges a fresh read of events and log into what the stream
// already delivered.
func (v *botView) setDetail(events []api.Event, logs []api.LogEntry) {
	v.addEvents(events)
	v.addLogs(logs)
}

func (v *botView) addEvents(evs []api.Event) {
	v.events = merge(v.events, evs, eventKey, func(e api.Event) time.Time { return e.Time }, eventKeep)
}

func (v *botView) addLogs(lines []api.LogEntry) {
	v.logs = merge(v.logs, lines, logKey, func(l api.LogEntry) time.Time { return l.Time }, tailLines)
	v.log.SetLines(v.logLines())
}

// eventKey identifies an event whether it came from a read or the stream.
// Streamed events have no id yet (they are sent before they are stored),
// so the key is the type and the time at the store's microsecond precision.
func eventKey(e api.Event) string {
	return e.Type + "@" + e.Time.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano)
}

// logKey identifies a log line by the id the bot gave it, which both the
// read and the stream carry; lines without one fall back to time and text.
func logKey(l api.LogEntry) string {
	if l.EntryID != "" {
		return l.EntryID
	}
	return l.Time.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano) + " " + l.Message
}

// merge adds the items whose key is new, orders by time (stable, so equal
// times keep arrival order) and keeps the last keep. Reads and streams
// overlap on purpose, so nothing falls between them, which makes
// duplicates normal.
func merge[T any](have, add []T, key func(T) string, at func(T) time.Time, keep int) []T {
	seen := make(map[string]bool, len(have))
	for _, h := range have {
		seen[key(h)] = true
	}
	for _, a := range add {
		if k := key(a); !seen[k] {
			seen[k] = true
			have = append(have, a)
		}
	}
	slices.SortStableFunc(have, func(a, b T) int { return at(a).Compare(at(b)) })
	return lastN(have, keep)
}

func (v *botView) HandleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch v.mode {
	case modeConfirm:
		return v.confirmKey(msg)
	case modeChat:
		v.chatKey(msg)
		return nil
	}
	return v.normalKey(msg)
}

func (v *botView) normalKey(msg tea.KeyPressMsg) tea.Cmd {
	k := v.c.Keys
	switch {
	case k.Back.Matches(msg):
		return emit(backMsg{})
	case k.Follow.Matches(msg):
		v.log.ToggleFollow()
	case k.Leave.Matches(msg):
		v.mode, v.pending = modeConfirm, actionLeave
	case k.Cancel.Matches(msg):
		v.mode, v.pending = modeConfirm, actionCancel
	case k.Chat.Matches(msg):
		v.mode = modeChat
	default:
		v.scrollKey(msg)
	}
	return nil
}

func (v *botView) scrollKey(msg tea.KeyPressMsg) {
	k := v.c.Keys
	switch {
	case k.Up.Matches(msg):
		v.log.Scroll(-1)
	case k.Down.Matches(msg):
		v.log.Scroll(1)
	case k.PageUp.Matches(msg):
		v.log.Scroll(-v.log.Page())
	case k.PageDown.Matches(msg):
		v.log.Scroll(v.log.Page())
	case k.Top.Matches(msg):
		v.log.Scroll(-len(v.logs))
	case k.Bottom.Matches(msg):
		v.log.Scroll(len(v.logs))
	}
}

func (v *botView) confirmKey(msg tea.KeyPressMsg) tea.Cmd {
	k := v.c.Keys
	switch {
	case k.Confirm.Matches(msg):
		req := requestActionMsg{action: v.pending, id: v.id, text: v.chat.Value()}
		v.mode, v.pending = modeNormal, actionNone
		v.chat.SetValue("")
		return emit(req)
	case k.Deny.Matches(msg):
		v.mode, v.pending = modeNormal, actionNone
	}
	return nil
}

func (v *botView) chatKey(msg tea.KeyPressMsg) {
	switch msg.String() {
	case "enter":
		if v.chat.Value() != "" {
			v.mode, v.pending = modeConfirm, actionChat
		}
	case "esc":
		v.mode = modeNormal
		v.chat.SetValue("")
	default:
		v.chat.Update(msg)
	}
}
