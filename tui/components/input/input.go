// Package input is a one-line text field, just enough for typing a filter
// or a chat message without pulling in a widget library.
package input

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Input is a one-line text field whose cursor is always at the end.
type Input struct {
	Prompt string
	value  []rune
}

// New returns an empty field with the given prompt.
func New(prompt string) Input { return Input{Prompt: prompt} }

// Value is the text typed so far.
func (in Input) Value() string { return string(in.value) }

// SetValue replaces the text.
func (in *Input) SetValue(s string) { in.value = []rune(s) }

// Update edits the text for one key press and reports whether the key was
// an edit. Keys that are not edits (enter, esc, arrows) are left to the
// caller.
func (in *Input) Update(msg tea.KeyPressMsg) bool {
	switch msg.String() {
	case "backspace", "ctrl+h":
		if len(in.value) > 0 {
			in.value = in.value[:len(in.value)-1]
		}
		return true
	case "ctrl+u":
		in.value = nil
		return true
	case "space":
		in.value = append(in.value, ' ')
		return true
	}
	if msg.Text == "" || msg.Mod&(tea.ModCtrl|tea.ModAlt) != 0 {
		return false
	}
	in.value = append(in.value, []rune(msg.Text)...)
	return true
}

// Render draws the prompt, the text and a block cursor in width cells,
// keeping the end of a long text in view.
func (in Input) Render(width int) string {
	text := string(in.value) + "█"
	room := width - ansi.StringWidth(in.Prompt)
	if room <= 0 {
		return ansi.Truncate(in.Prompt, width, "")
	}
	if w := ansi.StringWidth(text); w > room {
		text = ansi.TruncateLeft(text, w-room, "")
	}
	return in.Prompt + text + strings.Repeat(" ", max(0, room-ansi.StringWidth(text)))
}
