package tui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/tui/components/input"
	"github.com/meeboter/meeboter/tui/components/table"
)

// listMode is what the bots list's keys do: move and act, type a filter,
// or answer a confirm prompt.
type listMode int

const (
	listNormal listMode = iota
	listFiltering
	listConfirm
)

// botsView is the live table of bots, with filter-as-you-type, a sort that
// cycles through the columns (and reverses), a platform drill-down from
// the overview, and leave, cancel and delete on the selected bots.
type botsView struct {
	c      *Common
	f      *fleet
	table  *table.Table
	filter input.Input
	mode   listMode
	sortBy int
	// reverse flips the sort.
	reverse bool
	// platform keeps only the bots on one platform (the overview's
	// drill-down); empty keeps all.
	platform string
	rows     []api.Bot
	// current is the bot under the cursor, kept by id so the cursor stays
	// on it while the stream reorders the table.
	current int64
	// marked are the bots selected for an action, by id, so a selection
	// survives re-sorting and filtering.
	marked map[int64]bool
	// pending and targets are the action waiting for its confirm.
	pending action
	targets []int64
	width   int
}

func newBotsView(c *Common, f *fleet) *botsView {
	v := &botsView{c: c, f: f, table: table.New(botColumns()...), filter: input.New("/ "), marked: map[int64]bool{}}
	v.table.HeaderStyle = c.Styles.Header
	v.table.SelectedStyle = c.Styles.Selected
	v.table.CellStyle = v.cellStyle
	v.table.Marked = func(row int) bool { return row < len(v.rows) && v.marked[v.rows[row].ID] }
	return v
}

// cellStyle colours the status cell by status and mutes finished bots.
func (v *botsView) cellStyle(row, col int) lipgloss.Style {
	if row >= len(v.rows) {
		return lipgloss.NewStyle()
	}
	b := v.rows[row]
	switch {
	case col == 1:
		return v.c.Styles.Status(b.Status)
	case b.Status.Terminal():
		return v.c.Styles.Muted
	}
	return lipgloss.NewStyle()
}

func (v *botsView) SetSize(w, h int) {
	v.width = w
	v.table.SetSize(w, max(1, h-1))
}
func (v *botsView) Capturing() bool { return v.mode != listNormal }

func (v *botsView) Bindings() []keysBinding {
	k := v.c.Keys
	switch v.mode {
	case listFiltering:
		return []keysBinding{{Label: "enter", Help: "keep filter"}, {Label: "esc", Help: "clear filter"}}
	case listConfirm:
		return []keysBinding{k.Confirm, k.Deny}
	}
	return []keysBinding{k.Open, k.Select, k.Leave, k.Cancel, k.Delete, k.Describe, k.Filter, k.Sort}
}

// Render shows a summary line (or the filter being typed) over the table.
func (v *botsView) Render() string {
	top := fmt.Sprintf("%d of %d bots · sorted by %s", len(v.rows), len(v.f.bots), botSorts[v.sortBy].name)
	if v.reverse {
		top += ", reversed"
	}
	if v.platform != "" {
		top += " · on " + v.platform
	}
	if f := v.filter.Value(); f != "" {
		top += " · filter: " + f
	}
	if n := len(v.marked); n > 0 {
		top += fmt.Sprintf(" · %d selected", n)
	}
	if v.mode == listFiltering {
		top = v.filter.Render(v.width)
	}
	return v.c.Styles.Muted.Render(top) + "\n" + v.table.Render()
}

func (v *botsView) HandleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch v.mode {
	case listFiltering:
		v.filterKey(msg)
		return nil
	case listConfirm:
		return v.confirmKey(msg)
	}
	k := v.c.Keys
	switch {
	case k.Open.Matches(msg):
		if v.current != 0 {
			return emit(openBotMsg{id: v.current})
		}
	case k.Describe.Matches(msg):
		if v.current != 0 {
			return emit(describeMsg{id: v.current})
		}
	case k.Filter.Matches(msg):
		v.mode = listFiltering
	case k.Sort.Matches(msg):
		v.sortBy = (v.sortBy + 1) % len(botSorts)
		v.sync()
	case k.Reverse.Matches(msg):
		v.reverse = !v.reverse
		v.sync()
	case k.Back.Matches(msg):
		v.clearFilters()
	case v.selectKey(msg), v.actionKey(msg):
	default:
		v.move(msg)
	}
	return nil
}

// clearFilters drops the typed filter, the platform and the selection:
// esc goes back to the whole fleet.
func (v *botsView) clearFilters() {
	v.filter.SetValue("")
	v.platform = ""
	clear(v.marked)
	v.sync()
}

func (v *botsView) filterKey(msg tea.KeyPressMsg) {
	k := v.c.Keys
	switch {
	case msg.String() == "enter":
		v.mode = listNormal
	case k.Back.Matches(msg):
		v.mode = listNormal
		v.filter.SetValue("")
	default:
		v.filter.Update(msg)
	}
	v.sync()
}

func (v *botsView) move(msg tea.KeyPressMsg) {
	if !moveTable(v.c, v.table, msg) {
		return
	}
	if c := v.table.Cursor; c >= 0 && c < len(v.rows) {
		v.current = v.rows[c].ID
	}
}

// moveTable moves a table's cursor for the movement keys and reports
// whether msg was one.
func moveTable(c *Common, t *table.Table, msg tea.KeyPressMsg) bool {
	k := c.Keys
	switch {
	case k.Up.Matches(msg):
		t.Move(-1)
	case k.Down.Matches(msg):
		t.Move(1)
	case k.PageUp.Matches(msg):
		t.Move(-t.Page())
	case k.PageDown.Matches(msg):
		t.Move(t.Page())
	case k.Top.Matches(msg):
		t.Move(-t.Len())
	case k.Bottom.Matches(msg):
		t.Move(t.Len())
	default:
		return false
	}
	return true
}
