// Package keys holds the dashboard's key bindings in one place, so the help
// bar and the handlers can never disagree about which key does what.
package keys

import tea "charm.land/bubbletea/v2"

// Binding is one action and the key names that trigger it. Names are the
// strings tea.KeyPressMsg.String returns ("enter", "pgup", "q").
type Binding struct {
	Keys []string
	// Label is the key as the help bar shows it.
	Label string
	// Help says what the action does, in a word or two.
	Help string
}

// Matches reports whether msg triggers b.
func (b Binding) Matches(msg tea.KeyPressMsg) bool {
	s := msg.String()
	for _, k := range b.Keys {
		if k == s {
			return true
		}
	}
	return false
}

func bind(label, help string, keys ...string) Binding {
	return Binding{Keys: keys, Label: label, Help: help}
}

// KeyMap is every binding of the dashboard.
type KeyMap struct {
	Overview, Bots, Queue, Slots Binding
	Help, Quit, Back, Open       Binding
	Up, Down, PageUp, PageDown   Binding
	Top, Bottom                  Binding
	Filter, Sort, Reverse        Binding
	Select, SelectAll, Describe  Binding
	Follow, Search, Level        Binding
	Leave, Cancel, Delete, Chat  Binding
	Confirm, Deny, Retry         Binding
}

// Default returns the standard bindings. Arrows and vi keys both move, so
// the dashboard works the same over any terminal.
func Default() KeyMap {
	return KeyMap{
		Overview:  bind("1", "overview", "1"),
		Bots:      bind("2", "bots", "2"),
		Queue:     bind("3", "queue", "3"),
		Slots:     bind("4", "slots", "4"),
		Help:      bind("?", "help", "?"),
		Quit:      bind("q", "quit", "q", "ctrl+c"),
		Back:      bind("esc", "back", "esc"),
		Open:      bind("enter", "open", "enter"),
		Up:        bind("↑/k", "up", "up", "k"),
		Down:      bind("↓/j", "down", "down", "j"),
		PageUp:    bind("pgup", "page up", "pgup", "ctrl+b"),
		PageDown:  bind("pgdn", "page down", "pgdown", "ctrl+f"),
		Top:       bind("g", "top", "g", "home"),
		Bottom:    bind("G", "bottom", "G", "end"),
		Filter:    bind("/", "filter", "/"),
		Sort:      bind("s", "sort", "s"),
		Reverse:   bind("S", "reverse", "S"),
		Select:    bind("space", "select", "space"),
		SelectAll: bind("A", "select all", "A"),
		Describe:  bind("d", "describe", "d"),
		Follow:    bind("f", "follow", "f"),
		Search:    bind("/", "search log", "/"),
		Level:     bind("v", "log level", "v"),
		Leave:     bind("l", "leave", "l"),
		Cancel:    bind("c", "cancel", "c"),
		Delete:    bind("x", "delete", "x"),
		Chat:      bind("m", "chat", "m"),
		Confirm:   bind("y", "yes", "y", "enter"),
		Deny:      bind("n", "no", "n", "esc"),
		Retry:     bind("r", "retry", "r"),
	}
}
