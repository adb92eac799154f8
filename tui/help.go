package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// helpView lists every key, grouped by where it works.
type helpView struct {
	c             *Common
	width, height int
}

func newHelpView(c *Common) *helpView { return &helpView{c: c} }

func (v *helpView) SetSize(w, h int)        { v.width, v.height = w, h }
func (v *helpView) Capturing() bool         { return false }
func (v *helpView) Bindings() []keysBinding { return []keysBinding{v.c.Keys.Back} }

func (v *helpView) HandleKey(msg tea.KeyPressMsg) tea.Cmd {
	if v.c.Keys.Back.Matches(msg) {
		return emit(backMsg{})
	}
	return nil
}

func (v *helpView) Render() string {
	k := v.c.Keys
	groups := []struct {
		title    string
		bindings []keysBinding
	}{
		{"Everywhere", []keysBinding{k.Overview, k.Bots, k.Queue, k.Slots, k.Help, k.Quit}},
		{"Lists", []keysBinding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Open, k.Filter, k.Sort, k.Reverse}},
		{"Bots list", []keysBinding{k.Select, k.SelectAll, k.Leave, k.Cancel, k.Delete, k.Describe}},
		{"Overview", []keysBinding{{Label: "↑↓", Help: "choose a line"}, {Label: "enter", Help: "its bots / open"}}},
		{"Bot", []keysBinding{k.Back, k.Follow, k.Search, k.Level, k.Describe, k.Leave, k.Cancel, k.Chat, k.Confirm, k.Deny}},
	}
	blocks := make([][]string, len(groups))
	for i, g := range groups {
		blocks[i] = []string{v.c.Styles.Header.Render(g.title)}
		for _, b := range g.bindings {
			blocks[i] = append(blocks[i], fmt.Sprintf("  %s %s", v.c.Styles.Key.Render(fmt.Sprintf("%-6s", b.Label)), b.Help))
		}
	}
	return strings.Join(columns(blocks, v.height), "\n")
}

// columns stacks the groups of lines top to bottom, starting a new column
// when the next group would not fit the height, so the whole help fits an
// 80×24 screen (three columns) without splitting a group.
func columns(blocks [][]string, height int) []string {
	const colWidth = 26
	var out []string
	row, col := 0, 0
	for _, b := range blocks {
		if row > 0 && row+1+len(b) > height {
			row, col = 0, col+1
		} else if row > 0 {
			row++
		}
		for _, l := range b {
			for len(out) <= row {
				out = append(out, "")
			}
			pad := max(0, col*colWidth-ansi.StringWidth(out[row]))
			out[row] += strings.Repeat(" ", pad) + l
			row++
		}
	}
	return out
}
