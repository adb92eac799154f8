package tui

import (
	"strconv"

	tea "charm.land/bubbletea/v2"
)

// handleKey takes the global keys unless the view is capturing input, and
// hands every other key to the current view.
func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.common.Keys
	if msg.String() == "ctrl+c" {
		return m.quit()
	}
	if m.state != stateReady {
		return m.handleStartupKey(msg)
	}
	v := m.views[m.current]
	if v.Capturing() {
		return v.HandleKey(msg)
	}
	m.notice = ""
	switch {
	case k.Quit.Matches(msg):
		return m.quit()
	case k.Help.Matches(msg):
		return m.toggleHelp()
	case k.Overview.Matches(msg):
		return m.switchTo(viewOverview)
	case k.Bots.Matches(msg):
		return m.switchTo(viewBots)
	case k.Queue.Matches(msg):
		return m.switchTo(viewQueue)
	case k.Slots.Matches(msg):
		return m.switchTo(viewSlots)
	}
	return v.HandleKey(msg)
}

func (m *Model) handleStartupKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.common.Keys
	switch {
	case k.Quit.Matches(msg):
		return m.quit()
	case m.state == stateError && k.Retry.Matches(msg):
		return m.reload()
	}
	return nil
}

func (m *Model) quit() tea.Cmd {
	m.quitting = true
	return tea.Sequence(m.stopStream(botStream), m.stopStream(fleetStream), tea.Quit)
}

// toggleHelp shows the help over any view and returns to it, leaving an
// open bot (and its stream) as it was.
func (m *Model) toggleHelp() tea.Cmd {
	if m.current == viewHelp {
		m.current = m.helpReturn
		return nil
	}
	m.helpReturn, m.current = m.current, viewHelp
	return nil
}

// back leaves the help or the describe view for where it was opened, or
// the bot view for the list it was opened from.
func (m *Model) back() tea.Cmd {
	switch m.current {
	case viewHelp:
		m.current = m.helpReturn
		return nil
	case viewDescribe:
		m.current = m.describeReturn
		return nil
	}
	return m.switchTo(m.previous)
}

// openDescribe shows a bot's details over the current view, which it goes
// back to; an open bot keeps its stream meanwhile.
func (m *Model) openDescribe(id int64) {
	if m.current != viewDescribe {
		m.describeReturn = m.current
	}
	m.describe.open(id)
	m.current = viewDescribe
}

// switchTo shows a list view. Leaving the bot view closes its stream, so
// the per-bot stream only runs while a bot is on screen.
func (m *Model) switchTo(id viewID) tea.Cmd {
	var cmd tea.Cmd
	if m.bot.id != 0 {
		cmd = m.stopStream(botStream)
		m.bot.close()
	}
	if id == viewBot || id == viewHelp || id == viewDescribe {
		id = viewBots
	}
	m.current = id
	return cmd
}

// openBot shows one bot and follows it with its own stream.
func (m *Model) openBot(id int64) tea.Cmd {
	switch {
	case m.current < viewBot:
		m.previous = m.current
	case m.current == viewDescribe && m.describeReturn < viewBot:
		m.previous = m.describeReturn
	}
	stop := m.stopStream(botStream)
	m.bot.open(id)
	m.current = viewBot
	return tea.Batch(stop, loadBotDetail(m.ctx, m.client, id), m.openStream(botStream, id))
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
