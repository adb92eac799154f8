package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/meeboter/meeboter/tui/components/table"
)

// tableView is a read-only list over fleet data (queue, slots). Each row
// may name a bot, which Enter opens.
type tableView struct {
	c       *Common
	table   *table.Table
	summary func() string
	rows    func() (cells [][]string, bots []int64)
	bots    []int64
}

func newTableView(c *Common, cols []table.Column, summary func() string, rows func() ([][]string, []int64)) *tableView {
	t := table.New(cols...)
	t.HeaderStyle, t.SelectedStyle = c.Styles.Header, c.Styles.Selected
	return &tableView{c: c, table: t, summary: summary, rows: rows}
}

func (v *tableView) SetSize(w, h int) { v.table.SetSize(w, max(1, h-1)) }
func (v *tableView) Capturing() bool  { return false }

func (v *tableView) Bindings() []keysBinding {
	k := v.c.Keys
	return []keysBinding{{Label: "enter", Help: "open bot"}, k.Up, k.Down}
}

// sync re-reads the rows after the fleet changed.
func (v *tableView) sync() {
	var cells [][]string
	cells, v.bots = v.rows()
	v.table.SetRows(cells)
}

func (v *tableView) Render() string {
	return v.c.Styles.Muted.Render(v.summary()) + "\n" + v.table.Render()
}

func (v *tableView) HandleKey(msg tea.KeyPressMsg) tea.Cmd {
	if v.c.Keys.Open.Matches(msg) {
		if i := v.table.Cursor; i >= 0 && i < len(v.bots) && v.bots[i] != 0 {
			return emit(openBotMsg{id: v.bots[i]})
		}
		return nil
	}
	moveTable(v.c, v.table, msg)
	return nil
}
