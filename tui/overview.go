package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/tui/components/bar"
)

// overview is the fleet at a glance: capacity, queue, statuses, today's
// totals and the latest failures. A cursor walks the platforms and the
// failures: Enter on a platform lists its bots, on a failure opens it.
type overview struct {
	c             *Common
	f             *fleet
	cursor        int
	width, height int
}

// overviewItem is a line the cursor can stop on: a platform or a failed
// bot.
type overviewItem struct {
	platform string
	bot      int64
}

// showPlatformMsg asks the root model to list one platform's bots.
type showPlatformMsg struct{ name string }

func newOverview(c *Common, f *fleet) *overview { return &overview{c: c, f: f} }

func (o *overview) SetSize(w, h int) { o.width, o.height = w, h }
func (o *overview) Capturing() bool  { return false }

func (o *overview) Bindings() []keysBinding {
	return []keysBinding{{Label: "↑↓", Help: "choose"}, {Label: "enter", Help: "platform's bots / open failure"}}
}

func (o *overview) HandleKey(msg tea.KeyPressMsg) tea.Cmd {
	items := o.items()
	k := o.c.Keys
	switch {
	case k.Up.Matches(msg):
		o.cursor--
	case k.Down.Matches(msg):
		o.cursor++
	case k.Top.Matches(msg):
		o.cursor = 0
	case k.Bottom.Matches(msg):
		o.cursor = len(items) - 1
	case k.Open.Matches(msg):
		return o.open(items)
	}
	o.cursor = max(0, min(o.cursor, len(items)-1))
	return nil
}

func (o *overview) open(items []overviewItem) tea.Cmd {
	if o.cursor < 0 || o.cursor >= len(items) {
		return nil
	}
	if it := items[o.cursor]; it.bot != 0 {
		return emit(openBotMsg{id: it.bot})
	}
	return emit(showPlatformMsg{name: items[o.cursor].platform})
}

// items lists the lines the cursor can stop on, in screen order.
func (o *overview) items() []overviewItem {
	var out []overviewItem
	if o.f.pool != nil {
		for _, p := range o.f.pool.Platforms {
			out = append(out, overviewItem{platform: p.Name})
		}
	}
	for _, b := range o.f.recentFatal(o.failureRows()) {
		out = append(out, overviewItem{bot: b.ID})
	}
	return out
}

// failureRows is how many failures fit under the other sections.
func (o *overview) failureRows() int {
	if o.f.pool == nil {
		return 0
	}
	platforms := max(1, len(o.f.pool.Platforms))
	grid := 1 + (len(api.AllStatuses)+o.perRow()-1)/o.perRow()
	used := 1 + platforms + 1 + 3 + 1 + grid + 1 + 1
	return max(0, min(8, o.height-used))
}

// Render stacks the sections; the failure list takes what height is left.
func (o *overview) Render() string {
	if o.f.pool == nil {
		return o.c.Styles.Muted.Render("waiting for pool status…")
	}
	o.cursor = max(0, min(o.cursor, len(o.items())-1))
	lines := o.capacity()
	lines = append(lines, "", o.nextHourLine(), o.queueLine(), o.todayLine(), "")
	lines = append(lines, o.statusGrid()...)
	lines = append(lines, "")
	lines = append(lines, o.failures()...)
	return strings.Join(lines, "\n")
}

// pointer marks the line under the cursor, so it shows without colour.
func (o *overview) pointer(i int) string {
	if i == o.cursor {
		return "› "
	}
	return "  "
}

func (o *overview) capacity() []string {
	st := o.c.Styles
	lines := []string{st.Header.Render("Capacity")}
	if len(o.f.pool.Platforms) == 0 {
		return append(lines, st.Muted.Render("  no platform configured"))
	}
	barWidth := max(10, min(60, o.width-48))
	for i, p := range o.f.pool.Platforms {
		limit := "no limit"
		if p.Limit > 0 {
			limit = fmt.Sprintf("limit %d", p.Limit)
		}
		b := bar.Render(p.Used, p.Limit, barWidth, st.BarUsed, st.BarFree)
		lines = append(lines, fmt.Sprintf("%s%-12s %s %4d used %4d free  %s",
			o.pointer(i), ansi.Truncate(p.Name, 12, "…"), b, p.Used, p.Free, limit))
	}
	return lines
}

func (o *overview) queueLine() string {
	p := o.f.pool
	oldest := "-"
	if p.OldestQueued != nil {
		oldest = wait(o.c.Now().Sub(*p.OldestQueued))
	}
	return fmt.Sprintf("%s %d waiting · oldest waited %s", o.label("Queue"), p.Queued, oldest)
}

func (o *overview) todayLine() string {
	t := o.f.pool.Today
	line := fmt.Sprintf("%s started %d · done %d · failed %d", o.label("Today"), t.Started, t.Done, t.Failed)
	if t.NotStarted > 0 {
		line += fmt.Sprintf(" · %d ended unstarted", t.NotStarted)
	}
	return line
}

func (o *overview) label(s string) string {
	return o.c.Styles.Header.Render(fmt.Sprintf("%-9s", s))
}

// statusCell is the width of one status count in the grid.
const statusCell = 19

func (o *overview) perRow() int { return max(1, (o.width-2)/statusCell) }

// statusGrid shows the count of every status in as many columns as fit,
// in lifecycle order, so the grid keeps its shape as counts change.
func (o *overview) statusGrid() []string {
	perRow := o.perRow()
	lines := []string{o.c.Styles.Header.Render("Bots by status")}
	row := "  "
	for i, s := range api.AllStatuses {
		text := fmt.Sprintf("%-15s%3d ", s, o.f.pool.StatusCounts[s])
		row += o.c.Styles.Status(s).Render(text)
		if (i+1)%perRow == 0 || i == len(api.AllStatuses)-1 {
			lines = append(lines, row)
			row = "  "
		}
	}
	return lines
}

// failures lists the latest FATAL bots with their reasons, as many as fit.
func (o *overview) failures() []string {
	st := o.c.Styles
	lines := []string{st.Header.Render("Recent failures")}
	bots := o.f.recentFatal(o.failureRows())
	if len(bots) == 0 {
		return append(lines, st.Muted.Render("  none"))
	}
	now := o.c.Now()
	first := len(o.f.pool.Platforms)
	for i, b := range bots {
		end := endTime(b)
		reason := orDash(b.EndReason)
		if b.EndDetail != "" {
			reason += ": " + b.EndDetail
		}
		head := fmt.Sprintf("%s#%-5d %-18s %5s ago  ", o.pointer(first+i), b.ID, ansi.Truncate(b.DisplayName, 18, "…"), short(now.Sub(end)))
		lines = append(lines, head+st.Error.Render(ansi.Truncate(reason, max(10, o.width-len(head)), "…")))
	}
	return lines
}
