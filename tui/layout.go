package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// chromeLines is the screen height the frame takes around a view: header,
// rule, status line and help bar.
const chromeLines = 4

var tabs = []struct {
	id    viewID
	label string
}{{viewOverview, "1 overview"}, {viewBots, "2 bots"}, {viewQueue, "3 queue"}, {viewSlots, "4 slots"}}

func (m *Model) renderReady() string {
	c := m.common
	body := fit(m.views[m.current].Render(), c.Width, c.Height-chromeLines)
	rule := c.Styles.Muted.Render(strings.Repeat("─", c.Width))
	return strings.Join([]string{m.header(), rule, body, m.statusLine(), m.helpBar()}, "\n")
}

// header shows the tabs on the left and the connection on the right. The
// active tab is bracketed so it shows without colour.
func (m *Model) header() string {
	st := m.common.Styles
	parts := []string{st.Title.Render("meeboter")}
	active := m.current
	if active == viewHelp {
		active = m.helpReturn
	}
	if active == viewDescribe {
		active = m.describeReturn
	}
	if active == viewBot {
		active = m.previous
	}
	for _, t := range tabs {
		if t.id == active {
			parts = append(parts, st.ActiveTab.Render("["+t.label+"]"))
		} else {
			parts = append(parts, st.Tab.Render(" "+t.label+" "))
		}
	}
	return spread(strings.Join(parts, " "), m.connection(), m.common.Width)
}

// connection says whether live updates flow.
func (m *Model) connection() string {
	st, s := m.common.Styles, m.streams[fleetStream]
	switch {
	case s.down:
		return st.Error.Render("disconnected since " + clockTime(s.downSince))
	case s.live:
		return st.OK.Render("● live")
	}
	return st.Muted.Render("connecting…")
}

func (m *Model) statusLine() string {
	st := m.common.Styles
	if p, ok := m.views[m.current].(interface{ Prompt() string }); ok && p.Prompt() != "" {
		return ansi.Truncate(st.Warn.Render(p.Prompt()), m.common.Width, "…")
	}
	if m.notice == "" {
		return ""
	}
	if m.noticeIsErr {
		return ansi.Truncate(st.Error.Render("error: "+m.notice), m.common.Width, "…")
	}
	return ansi.Truncate(st.Muted.Render(m.notice), m.common.Width, "…")
}

// helpBar lists the view's keys, then the global ones. When they do not
// fit, the view's are cut: "? help" must always show, since it lists
// everything else.
func (m *Model) helpBar() string {
	c := m.common
	k := c.Keys
	var global []keysBinding
	switch {
	case m.views[m.current].Capturing():
	case m.current == viewBot || m.current == viewDescribe:
		global = []keysBinding{k.Help, k.Quit}
	default:
		global = []keysBinding{{Label: "1-4", Help: "views"}, k.Help, k.Quit}
	}
	own, rest := m.keyList(m.views[m.current].Bindings()), m.keyList(global)
	if rest == "" {
		return ansi.Truncate(own, c.Width, "…")
	}
	if ansi.StringWidth(own)+2+ansi.StringWidth(rest) > c.Width {
		rest = m.keyList(global[len(global)-2:])
		own = ansi.Truncate(own, max(0, c.Width-2-ansi.StringWidth(rest)), "…")
	}
	return ansi.Truncate(own+"  "+rest, c.Width, "…")
}

// keyList renders bindings as "key help" pairs.
func (m *Model) keyList(bindings []keysBinding) string {
	st := m.common.Styles
	parts := make([]string, len(bindings))
	for i, b := range bindings {
		parts[i] = st.Key.Render(b.Label) + " " + st.Muted.Render(b.Help)
	}
	return strings.Join(parts, "  ")
}

func (m *Model) renderLoading() string {
	return m.centered("Connecting to the meeboter daemon…")
}

func (m *Model) renderError() string {
	st := m.common.Styles
	msg := st.Error.Render("error: "+m.err.Error()) + "\n\n" +
		st.Muted.Render("The dashboard retries when the daemon is back.") + "\n" +
		st.Key.Render("r") + " retry  " + st.Key.Render("q") + " quit"
	return m.centered(msg)
}

func (m *Model) centered(s string) string {
	c := m.common
	s = lipgloss.NewStyle().Width(min(c.Width, 72)).Render(s)
	return lipgloss.Place(c.Width, c.Height, lipgloss.Center, lipgloss.Center, s)
}

// spread puts left and right on one line of width cells, dropping the
// right part when both do not fit.
func spread(left, right string, width int) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if lw+rw+1 > width {
		return ansi.Truncate(left, width, "…")
	}
	return left + strings.Repeat(" ", width-lw-rw) + right
}

// fit makes s exactly height lines of at most width cells, so a view can
// never push the help bar off the screen.
func fit(s string, width, height int) string {
	lines := strings.Split(s, "\n")
	out := make([]string, max(0, height))
	for i := range out {
		if i < len(lines) {
			out[i] = ansi.Truncate(lines[i], width, "…")
		}
	}
	return strings.Join(out, "\n")
}
