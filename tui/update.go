package tui

import (
	tea "charm.land/bubbletea/v2"
)

// Update routes every message. It changes only the model; anything that
// talks to the daemon goes out as a command.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case botsLoadedMsg:
		m.botsLoaded(msg)
	case fleetRefreshedMsg:
		m.fleetRefreshed(msg)
	case refreshTickMsg:
		return m, tea.Batch(refreshFleet(m.ctx, m.client, partAll), tickRefresh(m.opts.RefreshInterval))
	case refetchMsg:
		parts := m.stale
		m.stale, m.refetchPending = 0, false
		return m, refreshFleet(m.ctx, m.client, parts)
	case clockTickMsg:
		return m, tickClock()
	case botDetailMsg:
		m.botDetail(msg)
	case actionDoneMsg:
		m.actionDone(msg)
	case openBotMsg:
		return m, m.openBot(msg.id)
	case describeMsg:
		m.openDescribe(msg.id)
	case showPlatformMsg:
		m.bots.showPlatform(msg.name)
		return m, m.switchTo(viewBots)
	case backMsg:
		return m, m.back()
	case requestActionMsg:
		m.setNotice(msg.progress(), false)
		return m, runAction(m.ctx, m.client, msg)
	case streamOpenedMsg, streamEventMsg, streamClosedMsg, reconnectMsg:
		return m, m.handleStream(msg)
	}
	return m, nil
}

func (m *Model) resize(w, h int) {
	m.common.Width, m.common.Height = w, h
	bw, bh := w, max(1, h-chromeLines)
	for _, v := range m.views {
		v.SetSize(bw, bh)
	}
}

// reload goes back to loading and reads everything again.
func (m *Model) reload() tea.Cmd {
	m.state, m.err = stateLoading, nil
	m.loadedBots, m.loadedPool = false, false
	return m.load()
}

// loaded moves from loading to ready once both halves have arrived, or to
// the error state when one failed. After start-up a failed read only shows
// in the status line: stale data beats an error screen.
func (m *Model) loaded(err error) {
	switch {
	case err != nil && m.state == stateLoading:
		m.state, m.err = stateError, err
	case err != nil:
		m.setNotice(err.Error(), true)
	case m.state == stateLoading && m.loadedBots && m.loadedPool:
		m.state = stateReady
	}
}

func (m *Model) botsLoaded(msg botsLoadedMsg) {
	if msg.err == nil {
		m.fleet.setBots(msg.bots)
		m.loadedBots = true
		m.syncViews()
	}
	m.loaded(msg.err)
}

func (m *Model) fleetRefreshed(msg fleetRefreshedMsg) {
	if msg.err == nil {
		if msg.parts&partPool != 0 {
			m.fleet.pool, m.fleet.forecast, m.loadedPool = msg.pool, msg.forecast, true
		}
		if msg.parts&partSlots != 0 {
			m.fleet.slots = msg.slots
		}
		if msg.parts&partQueue != 0 {
			m.fleet.queue = msg.queue
		}
		m.syncViews()
	}
	m.loaded(msg.err)
}

// syncViews lets the table views rebuild their rows after the fleet changed.
func (m *Model) syncViews() {
	for _, v := range m.views {
		if s, ok := v.(interface{ sync() }); ok {
			s.sync()
		}
	}
}

func (m *Model) botDetail(msg botDetailMsg) {
	if msg.id != m.bot.id {
		return
	}
	if msg.err != nil {
		m.setNotice(msg.err.Error(), true)
		return
	}
	m.fleet.upsert(*msg.bot)
	m.bot.setDetail(msg.events, msg.logs)
	m.syncViews()
}

func (m *Model) setNotice(s string, isErr bool) { m.notice, m.noticeIsErr = s, isErr }
