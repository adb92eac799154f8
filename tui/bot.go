package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/tui/components/input"
	"github.com/meeboter/meeboter/tui/components/scroll"
)

// botMode is what the bot view's keys do: act, confirm, type a message,
// or type a log search.
type botMode int

const (
	modeNormal botMode = iota
	modeConfirm
	modeChat
	modeSearch
)

// botView shows one bot: details, recent events and a live log tail that
// can be narrowed to a level and a search, with leave, cancel and chat
// behind a confirm step.
type botView struct {
	c       *Common
	f       *fleet
	id      int64
	events  []api.Event
	logs    []api.LogEntry
	log     *scroll.View
	mode    botMode
	pending action
	chat    input.Input
	search  input.Input
	// minLevel is the lowest level the log pane shows (an index into
	// logLevels); 0 shows all.
	minLevel      int
	width, height int
}

func newBotView(c *Common, f *fleet) *botView {
	v := &botView{c: c, f: f}
	v.open(0)
	return v
}

// open resets the view for another bot.
func (v *botView) open(id int64) {
	*v = botView{c: v.c, f: v.f, id: id, log: scroll.New(), chat: input.New("message: "), search: input.New("search log: "),
		width: v.width, height: v.height}
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
	v.events = merge(v.events, evs, eventIdent, func(e *api.Event, id int64) { e.ID = id },
		func(e api.Event) time.Time { return e.Time }, eventKeep)
}

func (v *botView) addLogs(lines []api.LogEntry) {
	v.logs = merge(v.logs, lines, logIdent, func(l *api.LogEntry, id int64) { l.ID = id },
		func(l api.LogEntry) time.Time { return l.Time }, tailLines)
	v.log.SetLines(v.logLines())
}

func (v *botView) HandleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch v.mode {
	case modeConfirm:
		return v.confirmKey(msg)
	case modeChat:
		v.chatKey(msg)
		return nil
	case modeSearch:
		v.searchKey(msg)
		return nil
	}
	return v.normalKey(msg)
}

func (v *botView) normalKey(msg tea.KeyPressMsg) tea.Cmd {
	k := v.c.Keys
	switch {
	case k.Back.Matches(msg):
		if v.search.Value() != "" || v.minLevel != 0 {
			v.search.SetValue("")
			v.minLevel = 0
			v.log.SetLines(v.logLines())
			return nil
		}
		return emit(backMsg{})
	case k.Describe.Matches(msg):
		return emit(describeMsg{id: v.id})
	case k.Follow.Matches(msg):
		v.log.ToggleFollow()
	case k.Search.Matches(msg):
		v.mode = modeSearch
	case k.Level.Matches(msg):
		v.minLevel = (v.minLevel + 1) % (len(logLevels) - 1)
		v.log.SetLines(v.logLines())
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
		req := requestActionMsg{action: v.pending, ids: []int64{v.id}, text: v.chat.Value()}
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

// searchKey edits the log search; the pane narrows as it is typed.
func (v *botView) searchKey(msg tea.KeyPressMsg) {
	switch msg.String() {
	case "enter":
		v.mode = modeNormal
	case "esc":
		v.mode = modeNormal
		v.search.SetValue("")
	default:
		v.search.Update(msg)
	}
	v.log.SetLines(v.logLines())
}
