package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/meeboter/meeboter/api"
)

// streamState is the root model's view of one stream: the generation that
// is current, its subscription, and whether and since when it is down.
type streamState struct {
	gen       int
	sub       *subscription
	botID     int64
	live      bool
	down      bool
	downSince time.Time
	backoff   time.Duration
}

// openStream starts a new generation of a stream; messages of older
// generations are dropped from then on.
func (m *Model) openStream(kind streamKind, botID int64) tea.Cmd {
	st := &m.streams[kind]
	st.gen++
	st.botID = botID
	st.live = false
	opts := api.StreamOptions{BotID: botID}
	return openStream(m.ctx, m.client, kind, st.gen, opts)
}

// stopStream closes a stream and forgets it, so no reconnect follows.
func (m *Model) stopStream(kind streamKind) tea.Cmd {
	st := &m.streams[kind]
	sub := st.sub
	*st = streamState{gen: st.gen + 1}
	return closeStream(sub)
}

func (m *Model) handleStream(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case streamOpenedMsg:
		return m.streamOpened(msg.sub)
	case streamEventMsg:
		return m.streamEvent(msg)
	case streamClosedMsg:
		return m.streamClosed(msg)
	case reconnectMsg:
		if msg.gen != m.streams[msg.kind].gen {
			return nil
		}
		return m.openStream(msg.kind, m.streams[msg.kind].botID)
	}
	return nil
}

func (m *Model) streamOpened(sub *subscription) tea.Cmd {
	st := &m.streams[sub.kind]
	if sub.gen != st.gen {
		return closeStream(sub)
	}
	st.sub = sub
	return waitStream(sub)
}

// streamEvent applies one message. The first message of a connection means
// the stream is up again: after an outage the fleet is re-read, since
// changes made while down were not streamed, and an open bot's history is
// re-read to fill the gap between reading and following.
func (m *Model) streamEvent(msg streamEventMsg) tea.Cmd {
	st := &m.streams[msg.kind]
	if msg.gen != st.gen {
		return nil
	}
	var cmds []tea.Cmd
	if st.sub != nil {
		cmds = append(cmds, waitStream(st.sub))
	}
	if !st.live {
		cmds = append(cmds, m.streamUp(msg.kind))
	}
	cmds = append(cmds, m.applyEvent(msg.ev))
	return tea.Batch(cmds...)
}

func (m *Model) streamUp(kind streamKind) tea.Cmd {
	st := &m.streams[kind]
	wasDown := st.down
	st.live, st.down, st.backoff = true, false, 0
	switch {
	case kind == botStream:
		return loadBotDetail(m.ctx, m.client, st.botID)
	case m.state == stateError:
		return m.reload()
	case wasDown:
		return m.load()
	}
	return nil
}

func (m *Model) streamClosed(msg streamClosedMsg) tea.Cmd {
	st := &m.streams[msg.kind]
	if msg.gen != st.gen {
		return nil
	}
	if !st.down {
		st.down, st.downSince = true, m.common.Now()
	}
	st.live, st.sub = false, nil
	st.backoff = nextBackoff(st.backoff)
	gen := st.gen
	return tea.Tick(st.backoff, func(time.Time) tea.Msg { return reconnectMsg{kind: msg.kind, gen: gen} })
}

// applyEvent folds one stream message into the fleet and the open bot.
// Types it does not know ("hello", "ping", and any later ones) change
// nothing: the stream being up is all they say.
func (m *Model) applyEvent(ev api.StreamEvent) tea.Cmd {
	switch ev.Type {
	case "bot":
		if ev.Bot != nil {
			return m.botChanged(*ev.Bot)
		}
	case "heartbeats":
		if m.fleet.heartbeats(ev.Heartbeats) {
			m.syncViews()
		}
	case "event":
		if ev.Event != nil && ev.Event.BotID == m.bot.id {
			m.bot.addEvents([]api.Event{*ev.Event})
		}
	case "log":
		if ev.Log != nil && ev.Log.BotID == m.bot.id {
			m.bot.addLogs([]api.LogEntry{*ev.Log})
		}
	}
	return nil
}

// botChanged records a bot's new state and marks what it made stale.
func (m *Model) botChanged(b api.Bot) tea.Cmd {
	old, known := m.fleet.bot(b.ID)
	m.fleet.upsert(b)
	m.syncViews()
	return m.markStale(staleParts(old, known, b, m.fleet.pooled()))
}
