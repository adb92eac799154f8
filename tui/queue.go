package tui

import (
	"fmt"
	"time"

	"github.com/meeboter/meeboter/tui/components/table"
)

// newQueueView lists the bots waiting for capacity, head of the queue
// first, with how long each waited and is expected to wait.
func newQueueView(c *Common, f *fleet) *tableView {
	cols := []table.Column{
		{Title: "POS", Width: 4}, {Title: "ID", Width: 6}, {Title: "NAME", Width: 12, Grow: true},
		{Title: "MEETING", Width: 7}, {Title: "PRIO", Width: 4}, {Title: "WAITED", Width: 7},
		{Title: "EST.WAIT", Width: 8}, {Title: "TIMES OUT", Width: 9},
	}
	summary := func() string {
		if len(f.queue) == 0 {
			return "queue is empty"
		}
		return plural(len(f.queue), "bot") + " waiting for capacity"
	}
	return newTableView(c, cols, summary, func() ([][]string, []int64) { return queueRows(c.Now(), f) })
}

func queueRows(now time.Time, f *fleet) ([][]string, []int64) {
	cells := make([][]string, len(f.queue))
	ids := make([]int64, len(f.queue))
	for i, q := range f.queue {
		ids[i] = q.BotID
		cells[i] = []string{
			fmt.Sprint(q.Position), itoa(q.BotID), orDash(q.DisplayName), shortMeeting(q.MeetingPlatform),
			fmt.Sprint(q.Priority), wait(now.Sub(q.QueuedAt)),
			wait(time.Duration(q.EstimatedWaitSeconds) * time.Second), "in " + wait(q.TimeoutAt.Sub(now)),
		}
	}
	return cells, ids
}
