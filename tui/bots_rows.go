package tui

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/tui/components/table"
)

func botColumns() []table.Column {
	return []table.Column{
		{Title: "ID", Width: 6}, {Title: "STATUS", Width: 15}, {Title: "MEETING", Width: 7},
		{Title: "NAME", Width: 12, Grow: true}, {Title: "AGE", Width: 5},
		{Title: "PLATFORM", Width: 10}, {Title: "HEARTBEAT", Width: 9},
		// URL only shows on wide terminals: the layout drops it first.
		{Title: "MEETING URL", Width: 30, Grow: true},
	}
}

// botSorts are the orders "s" cycles through; col is the column marked in
// the header. Ties fall back to newest first; "S" reverses all of it.
var botSorts = []struct {
	name string
	col  int
	cmp  func(a, b api.Bot) int
}{
	{"id", 0, func(a, b api.Bot) int { return cmp.Compare(b.ID, a.ID) }},
	{"status", 1, func(a, b api.Bot) int { return cmp.Compare(statusRank(a.Status), statusRank(b.Status)) }},
	{"meeting", 2, func(a, b api.Bot) int { return cmp.Compare(meetingPlatform(a), meetingPlatform(b)) }},
	{"name", 3, func(a, b api.Bot) int {
		return cmp.Compare(strings.ToLower(a.DisplayName), strings.ToLower(b.DisplayName))
	}},
	{"age", 4, func(a, b api.Bot) int { return b.CreatedAt.Compare(a.CreatedAt) }},
	{"platform", 5, func(a, b api.Bot) int { return cmp.Compare(a.DeploymentPlatform, b.DeploymentPlatform) }},
	{"heartbeat", 6, func(a, b api.Bot) int { return cmpTime(b.LastHeartbeatAt, a.LastHeartbeatAt) }},
}

func statusRank(s api.BotStatus) int { return slices.Index(api.AllStatuses, s) }

func cmpTime(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return a.Compare(*b)
}

// sync rebuilds the rows from the fleet: filter, sort, and put the cursor
// back on the bot it was on.
func (v *botsView) sync() {
	v.rows = v.rows[:0]
	for _, b := range v.f.list() {
		if (v.platform == "" || b.DeploymentPlatform == v.platform) && matches(b, v.filter.Value()) {
			v.rows = append(v.rows, b)
		}
	}
	by := botSorts[v.sortBy].cmp
	slices.SortStableFunc(v.rows, func(a, b api.Bot) int {
		c := by(a, b)
		if c == 0 {
			// Ties: newest first, so the order never jumps.
			c = cmp.Compare(b.ID, a.ID)
		}
		if v.reverse {
			return -c
		}
		return c
	})
	v.table.Columns = markSorted(botColumns(), botSorts[v.sortBy].col, v.reverse)
	v.table.SetRows(v.cells())
	v.reselect()
}

func (v *botsView) reselect() {
	for i, b := range v.rows {
		if b.ID == v.current {
			v.table.Cursor = i
			v.table.Move(0)
			return
		}
	}
	v.current = 0
	if c := v.table.Cursor; c >= 0 && c < len(v.rows) {
		v.current = v.rows[c].ID
	}
}

func (v *botsView) cells() [][]string {
	now := v.c.Now()
	out := make([][]string, len(v.rows))
	for i, b := range v.rows {
		out[i] = []string{
			itoa(b.ID), string(b.Status), meetingPlatform(b), orDash(b.DisplayName),
			short(now.Sub(b.CreatedAt)), orDash(b.DeploymentPlatform), since(now, b.LastHeartbeatAt),
			b.Meeting.MeetingURL,
		}
	}
	return out
}

// markSorted marks the sorted column's title: ▼ in the sort's own order,
// ▲ reversed.
func markSorted(cols []table.Column, col int, reverse bool) []table.Column {
	if reverse {
		cols[col].Title += "▲"
	} else {
		cols[col].Title += "▼"
	}
	return cols
}

// matches reports whether a bot contains the filter text in any field a
// user would type: id, status, name, meeting platform or URL, platform,
// end reason, or a metadata value (as "key=value", so "team=sales" and
// "sales" both match).
func matches(b api.Bot, filter string) bool {
	if filter == "" {
		return true
	}
	fields := []string{
		itoa(b.ID), string(b.Status), b.DisplayName, b.Meeting.Platform,
		b.Meeting.MeetingURL, b.DeploymentPlatform, b.EndReason,
	}
	for k, val := range b.Metadata {
		fields = append(fields, k+"="+val)
	}
	hay := strings.ToLower(strings.Join(fields, "\n"))
	return strings.Contains(hay, strings.ToLower(filter))
}
