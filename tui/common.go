package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/meeboter/meeboter/tui/keys"
	"github.com/meeboter/meeboter/tui/styles"
)

// Common is what every view shares: the look, the keys, the screen size
// and the clock. The clock is injected so tests render fixed ages.
type Common struct {
	Styles        styles.Styles
	Keys          keys.KeyMap
	Width, Height int
	Now           func() time.Time
}

// view is a screen of the dashboard. Views never call the daemon: a key
// they handle turns into an intent message (open a bot, go back, run an
// action) that the root model acts on.
type view interface {
	// SetSize gives the view the body's size (the screen less the header,
	// status line and help bar).
	SetSize(width, height int)
	// Render draws exactly the body.
	Render() string
	// HandleKey handles a key the root did not take.
	HandleKey(msg tea.KeyPressMsg) tea.Cmd
	// Bindings lists the view's own keys for the help bar.
	Bindings() []keysBinding
	// Capturing reports whether the view takes every key (typing text, a
	// confirm prompt), which turns the global keys off.
	Capturing() bool
}

// keysBinding shortens keys.Binding in signatures.
type keysBinding = keys.Binding

// openBotMsg asks the root model to open a bot.
type openBotMsg struct{ id int64 }

// backMsg asks the root model to leave the bot view.
type backMsg struct{}

// emit wraps a message in a command, for views reporting an intent.
func emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
