package tui

import (
	"fmt"
	"time"

	"github.com/meeboter/meeboter/tui/components/table"
)

// newSlotsView lists the reusable container slots and the bot in each.
func newSlotsView(c *Common, f *fleet) *tableView {
	cols := []table.Column{
		{Title: "SLOT", Width: 12, Grow: true}, {Title: "PLATFORM", Width: 9}, {Title: "MEETING", Width: 7},
		{Title: "STATE", Width: 10}, {Title: "BOT", Width: 6}, {Title: "LAST USED", Width: 9},
		{Title: "ERROR", Width: 10, Grow: true},
	}
	summary := func() string {
		busy := 0
		for _, s := range f.slots {
			if s.BotID != nil {
				busy++
			}
		}
		return fmt.Sprintf("%d slots, %d with a bot", len(f.slots), busy)
	}
	return newTableView(c, cols, summary, func() ([][]string, []int64) { return slotRows(c.Now(), f) })
}

func slotRows(now time.Time, f *fleet) ([][]string, []int64) {
	cells := make([][]string, len(f.slots))
	ids := make([]int64, len(f.slots))
	for i, s := range f.slots {
		bot := "-"
		if s.BotID != nil {
			ids[i], bot = *s.BotID, itoa(*s.BotID)
		}
		cells[i] = []string{
			orDash(s.Name), s.Platform, shortMeeting(s.MeetingPlatform), s.Status, bot,
			since(now, s.LastUsedAt), orDash(s.Error),
		}
	}
	return cells, ids
}
