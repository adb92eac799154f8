// Package table draws a scrolling table with a cursor, sized to fit the
// terminal: fixed columns keep their width and the growing ones share what
// is left, so one layout serves 80 columns and 200.
package table

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Column describes one column. Width is the column's minimum; Grow columns
// also share the width left over.
type Column struct {
	Title string
	Width int
	Grow  bool
}

// Table is the state of one table: rows, cursor and scroll offset.
type Table struct {
	Columns []Column
	// Cursor is the selected row, or -1 for a table without selection.
	Cursor int
	// HeaderStyle and SelectedStyle style the header and the cursor row.
	HeaderStyle, SelectedStyle lipgloss.Style
	// CellStyle, when set, styles one cell (a status coloured by its value).
	CellStyle func(row, col int) lipgloss.Style
	// Marked, when set, says which rows are marked (selected for an
	// action); they show a "•" beside the cursor's place.
	Marked func(row int) bool

	rows          [][]string
	width, height int
	offset        int
}

// New returns a table with the given columns and the cursor on the first row.
func New(cols ...Column) *Table {
	return &Table{Columns: cols}
}

// SetSize sets the space the table may use, header included.
func (t *Table) SetSize(width, height int) {
	t.width, t.height = width, height
	t.clamp()
}

// SetRows replaces the rows, keeping the cursor in range.
func (t *Table) SetRows(rows [][]string) {
	t.rows = rows
	t.clamp()
}

// Len is the number of rows.
func (t *Table) Len() int { return len(t.rows) }

// Move moves the cursor by delta rows.
func (t *Table) Move(delta int) {
	t.Cursor += delta
	t.clamp()
}

// Page is how many rows one screen shows.
func (t *Table) Page() int { return max(1, t.height-1) }

func (t *Table) clamp() {
	if t.Cursor < 0 && len(t.rows) > 0 {
		t.Cursor = 0
	}
	t.Cursor = min(t.Cursor, len(t.rows)-1)
	page := t.Page()
	if t.Cursor >= 0 && t.Cursor < t.offset {
		t.offset = t.Cursor
	}
	if t.Cursor >= t.offset+page {
		t.offset = t.Cursor - page + 1
	}
	t.offset = max(0, min(t.offset, len(t.rows)-page))
}

// Render draws the header and the visible rows. The cursor row starts with
// "›" and a marked row with "•" in the next cell, so both show without
// colour.
func (t *Table) Render() string {
	widths := t.layout()
	lines := []string{t.HeaderStyle.Render(t.line(titles(t.Columns), widths, -1))}
	end := min(len(t.rows), t.offset+t.Page())
	for i := t.offset; i < end; i++ {
		lines = append(lines, t.row(i, widths))
	}
	return strings.Join(lines, "\n")
}

func (t *Table) row(i int, widths []int) string {
	cursor, mark := " ", " "
	if i == t.Cursor {
		cursor = "›"
	}
	if t.Marked != nil && t.Marked(i) {
		mark = "•"
	}
	s := cursor + mark + t.line(t.rows[i], widths, i)
	if i == t.Cursor {
		return t.SelectedStyle.Render(ansi.Strip(s))
	}
	return s
}

func (t *Table) line(cells []string, widths []int, row int) string {
	var b strings.Builder
	if row < 0 {
		b.WriteString("  ")
	}
	for c, w := range widths {
		if c > 0 {
			b.WriteString(" ")
		}
		text := ""
		if c < len(cells) {
			text = cells[c]
		}
		text = pad(text, w)
		if row >= 0 && t.CellStyle != nil {
			text = t.CellStyle(row, c).Render(text)
		}
		b.WriteString(text)
	}
	return b.String()
}

func titles(cols []Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Title
	}
	return out
}

// pad cuts s to w cells, with an ellipsis, or pads it with spaces.
func pad(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}
