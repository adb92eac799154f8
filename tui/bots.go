package tui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/tui/components/input"
	"github.com/meeboter/meeboter/tui/components/table"
)

// botsView is the live table of bots, with filter-as-you-type and a sort
// that cycles through the columns.
type botsView struct {
	c         *Common
	f         *fleet
	table     *table.Table
	filter    input.Input
	filtering bool
	sortBy    int
	rows      []api.Bot
	// selected is the bot under the cursor, kept by id so the cursor stays
	// on it while the stream reorders the table.
	selected int64
	width    int
}

func newBotsView(c *Common, f *fleet) *botsView {
	v := &botsView{c: c, f: f, table: table.New(botColumns()...), filter: input.New("/ ")}
	v.table.HeaderStyle = c.Styles.Header
	v.table.SelectedStyle = c.Styles.Selected
	v.table.CellStyle = v.cellStyle
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
func (v *botsView) Capturing() bool { return v.filtering }

func (v *botsView) Bindings() []keysBinding {
	k := v.c.Keys
	if v.filtering {
		return []keysBinding{{Label: "enter", Help: "keep filter"}, {Label: "esc", Help: "clear filter"}}
	}
	return []keysBinding{k.Open, k.Filter, k.Sort, k.Up, k.Down}
}

// Render shows a summary line (or the filter being typed) over the table.
func (v *botsView) Render() string {
	top := fmt.Sprintf("%d of %d bots · sorted by %s", len(v.rows), len(v.f.bots), botSorts[v.sortBy].name)
	if f := v.filter.Value(); f != "" {
		top += " · filter: " + f
	}
	if v.filtering {
		top = v.filter.Render(v.width)
	}
	return v.c.Styles.Muted.Render(top) + "\n" + v.table.Render()
}

func (v *botsView) HandleKey(msg tea.KeyPressMsg) tea.Cmd {
	if v.filtering {
		v.filterKey(msg)
		return nil
	}
	k := v.c.Keys
	switch {
	case k.Open.Matches(msg):
		if v.selected != 0 {
			return emit(openBotMsg{id: v.selected})
		}
	case k.Filter.Matches(msg):
		v.filtering = true
	case k.Sort.Matches(msg):
		v.sortBy = (v.sortBy + 1) % len(botSorts)
		v.sync()
	case k.Back.Matches(msg):
		v.filter.SetValue("")
		v.sync()
	default:
		v.move(msg)
	}
	return nil
}

func (v *botsView) filterKey(msg tea.KeyPressMsg) {
	k := v.c.Keys
	switch {
	case msg.String() == "enter":
		v.filtering = false
	case k.Back.Matches(msg):
		v.filtering = false
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
		v.selected = v.rows[c].ID
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
