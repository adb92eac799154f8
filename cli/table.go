package cli

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/meeboter/meeboter/api"
)

// Styles used on a colour terminal.
var (
	styleHeader = lipgloss.NewStyle().Bold(true)
	styleDone   = lipgloss.NewStyle().Foreground(lipgloss.Green)
	styleFatal  = lipgloss.NewStyle().Foreground(lipgloss.Red)
	styleWait   = lipgloss.NewStyle().Foreground(lipgloss.Yellow)
	styleLive   = lipgloss.NewStyle().Foreground(lipgloss.Cyan)
	styleFaint  = lipgloss.NewStyle().Faint(true)
)

// statusStyle colours a status by what it means for the person watching:
// green finished, red failed, yellow waiting, cyan running.
func statusStyle(s api.BotStatus) lipgloss.Style {
	switch {
	case s == api.StatusDone:
		return styleDone
	case s == api.StatusFatal:
		return styleFatal
	case s == api.StatusQueued || s == api.StatusScheduled:
		return styleWait
	case s.HoldsCapacity():
		return styleLive
	}
	return lipgloss.NewStyle()
}

// status renders a status, coloured when colour is on.
func (p *printer) status(s api.BotStatus) string {
	if !p.color {
		return string(s)
	}
	return statusStyle(s).Render(string(s))
}

// table collects rows and prints them padded (pretty) or tab-separated
// without a header (plain), so piped output is easy to cut and read.
type table struct {
	p      *printer
	header []string
	rows   [][]string
}

func (p *printer) table(header ...string) *table { return &table{p: p, header: header} }

// row adds a row; cells may already carry colour.
func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

// render writes the table.
func (t *table) render() error {
	if !t.p.pretty {
		return t.renderPlain()
	}
	widths := t.widths()
	var b strings.Builder
	header := make([]string, len(t.header))
	for i, h := range t.header {
		header[i] = h
		if t.p.color {
			header[i] = paint(styleHeader, h)
		}
	}
	writeRow(&b, header, widths)
	for _, r := range t.rows {
		writeRow(&b, r, widths)
	}
	_, err := fmt.Fprint(t.p.out, b.String())
	return err
}

func (t *table) renderPlain() error {
	var b strings.Builder
	for _, r := range t.rows {
		for i, c := range r {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(oneLine(c))
		}
		b.WriteByte('\n')
	}
	_, err := fmt.Fprint(t.p.out, b.String())
	return err
}

// widths measures visible widths, ignoring colour escapes.
func (t *table) widths() []int {
	var w []int
	for _, r := range append([][]string{t.header}, t.rows...) {
		for i, c := range r {
			if i == len(w) {
				w = append(w, 0)
			}
			w[i] = max(w[i], lipgloss.Width(c))
		}
	}
	return w
}

func writeRow(b *strings.Builder, cells []string, widths []int) {
	for i, c := range cells {
		if i > 0 {
			b.WriteString("  ")
		}
		b.WriteString(c)
		if i < len(cells)-1 && i < len(widths) {
			b.WriteString(strings.Repeat(" ", widths[i]-lipgloss.Width(c)))
		}
	}
	b.WriteByte('\n')
}

// detail prints one object as "field  value" lines: padded for people,
// tab-separated for scripts. Pairs with an empty value are skipped.
func (p *printer) detail(pairs [][2]string) error {
	t := p.table("", "")
	for _, kv := range pairs {
		if kv[1] == "" || kv[1] == "-" {
			continue
		}
		t.row(kv[0]+p.colon(), kv[1])
	}
	if p.pretty {
		t.header = nil
		widths := t.widths()
		var b strings.Builder
		for _, r := range t.rows {
			writeRow(&b, r, widths)
		}
		_, err := fmt.Fprint(p.out, b.String())
		return err
	}
	return t.renderPlain()
}

func (p *printer) colon() string {
	if p.pretty {
		return ":"
	}
	return ""
}
