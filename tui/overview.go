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
// totals and the latest failures.
type overview struct {
	c             *Common
	f             *fleet
	width, height int
}

func newOverview(c *Common, f *fleet) *overview { return &overview{c: c, f: f} }

func (o *overview) SetSize(w, h int)                  { o.width, o.height = w, h }
func (o *overview) HandleKey(tea.KeyPressMsg) tea.Cmd { return nil }
func (o *overview) Bindings() []keysBinding           { return nil }
func (o *overview) Capturing() bool                   { return false }

// Render stacks the sections; the failure list takes what height is left.
func (o *overview) Render() string {
	if o.f.pool == nil {
		return o.c.Styles.Muted.Render("waiting for pool status…")
	}
	lines := o.capacity()
	lines = append(lines, "", o.queueLine(), o.todayLine(), "")
	lines = append(lines, o.statusGrid()...)
	lines = append(lines, "")
	lines = append(lines, o.failures(o.height-len(lines))...)
	return strings.Join(lines, "\n")
}

func (o *overview) capacity() []string {
	st := o.c.Styles
	lines := []string{st.Header.Render("Capacity")}
	if len(o.f.pool.Platforms) == 0 {
		return append(lines, st.Muted.Render("  no platform configured"))
	}
	barWidth := max(10, min(60, o.width-48))
	for _, p := range o.f.pool.Platforms {
		limit := "no limit"
		if p.Limit > 0 {
			limit = fmt.Sprintf("limit %d", p.Limit)
		}
		b := bar.Render(p.Used, p.Limit, barWidth, st.BarUsed, st.BarFree)
		lines = append(lines, fmt.Sprintf("  %-12s %s %4d used %4d free  %s",
			ansi.Truncate(p.Name, 12, "…"), b, p.Used, p.Free, limit))
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
	return fmt.Sprintf("%s started %d · done %d · failed %d", o.label("Today"), t.Started, t.Done, t.Failed)
}

func (o *overview) label(s string) string {
	return o.c.Styles.Header.Render(fmt.Sprintf("%-9s", s))
}

// statusGrid shows the count of every status in as many columns as fit,
// in lifecycle order, so the grid keeps its shape as counts change.
func (o *overview) statusGrid() []string {
	const cell = 19
	perRow := max(1, (o.width-2)/cell)
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
func (o *overview) failures(room int) []string {
	st := o.c.Styles
	lines := []string{st.Header.Render("Recent failures")}
	bots := o.f.recentFatal(max(0, min(8, room-1)))
	if len(bots) == 0 {
		return append(lines, st.Muted.Render("  none"))
	}
	now := o.c.Now()
	for _, b := range bots {
		end := endTime(b)
		reason := orDash(b.EndReason)
		if b.EndDetail != "" {
			reason += ": " + b.EndDetail
		}
		head := fmt.Sprintf("  #%-5d %-18s %5s ago  ", b.ID, ansi.Truncate(b.DisplayName, 18, "…"), short(now.Sub(end)))
		lines = append(lines, head+st.Error.Render(ansi.Truncate(reason, max(10, o.width-len(head)), "…")))
	}
	return lines
}
