// Package styles is the dashboard's look. Every view takes its styles from
// one Styles value, so colour can be switched off in one place: with
// NO_COLOR, when the output is not a terminal, and in tests, where the
// golden files must be plain text.
package styles

import (
	"charm.land/lipgloss/v2"

	"github.com/meeboter/meeboter/api"
)

// Styles holds every style the dashboard draws with.
type Styles struct {
	// Color is false when the dashboard draws plain text only.
	Color bool

	Title, Tab, ActiveTab, Header Style
	Selected, Muted, Label, Key   Style
	Error, Warn, OK               Style
	BarUsed, BarFree              Style
	status                        map[api.BotStatus]Style
}

// Style is a lipgloss style; the alias keeps callers free of the import.
type Style = lipgloss.Style

// Status returns the style of a bot status.
func (s Styles) Status(st api.BotStatus) Style {
	if v, ok := s.status[st]; ok {
		return v
	}
	return lipgloss.NewStyle()
}

// New returns the coloured styles, or the plain ones when color is false.
func New(color bool) Styles {
	if !color {
		return Plain()
	}
	fg := func(c string) Style { return lipgloss.NewStyle().Foreground(lipgloss.Color(c)) }
	return Styles{
		Color:     true,
		Title:     fg("#7D56F4").Bold(true),
		Tab:       fg("#888888"),
		ActiveTab: fg("#FFFFFF").Background(lipgloss.Color("#7D56F4")).Bold(true),
		Header:    fg("#AAAAAA").Bold(true),
		Selected:  lipgloss.NewStyle().Reverse(true),
		Muted:     fg("#777777"),
		Label:     fg("#AAAAAA"),
		Key:       fg("#7D56F4").Bold(true),
		Error:     fg("#FF5F5F").Bold(true),
		Warn:      fg("#FFAF00"),
		OK:        fg("#5FD75F"),
		BarUsed:   fg("#5FAFFF"),
		BarFree:   fg("#444444"),
		status:    statusColors(fg),
	}
}

func statusColors(fg func(string) Style) map[api.BotStatus]Style {
	return map[api.BotStatus]Style{
		api.StatusScheduled:     fg("#87AFD7"),
		api.StatusQueued:        fg("#5F87FF"),
		api.StatusDeploying:     fg("#FFD700"),
		api.StatusJoiningCall:   fg("#FFAF00"),
		api.StatusInWaitingRoom: fg("#00D7D7"),
		api.StatusInCall:        fg("#5FD75F").Bold(true),
		api.StatusLeaving:       fg("#D787D7"),
		api.StatusCallEnded:     fg("#AF87AF"),
		api.StatusDone:          fg("#777777"),
		api.StatusFatal:         fg("#FF5F5F").Bold(true),
	}
}

// Plain returns styles that add no escape sequences at all. Views must stay
// readable with them: selection, status and errors are also spelled out in
// text (a "›" marker, the status name, an "error:" prefix).
func Plain() Styles {
	p := lipgloss.NewStyle()
	return Styles{
		Title: p, Tab: p, ActiveTab: p, Header: p, Selected: p, Muted: p,
		Label: p, Key: p, Error: p, Warn: p, OK: p, BarUsed: p, BarFree: p,
	}
}
