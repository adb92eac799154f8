package tui

import (
	"time"

	"github.com/meeboter/meeboter/api"
)

// botsLoadedMsg carries a fresh listing of the newest bots.
type botsLoadedMsg struct {
	bots []api.Bot
	err  error
}

// fleetPart names the parts of the fleet read apart from the bots.
type fleetPart uint8

const (
	partPool fleetPart = 1 << iota
	partQueue
	partSlots
	partAll = partPool | partQueue | partSlots
)

// fleetRefreshedMsg carries the parts of pool capacity, slots and queue
// that were read.
type fleetRefreshedMsg struct {
	parts fleetPart
	pool  *api.PoolStatus
	// forecast comes with the pool; nil when the daemon has none.
	forecast *api.CapacityForecast
	slots    []api.PoolSlot
	queue    []api.QueueEntry
	err      error
}

// refreshTickMsg asks for the next slow refresh of pool, slots and queue.
type refreshTickMsg struct{}

// refetchMsg fires when the delay after a bot change has passed: the
// parts it made stale are read then.
type refetchMsg struct{}

// clockTickMsg redraws ages and "ago" times once a second.
type clockTickMsg struct{}

// botDetailMsg carries one bot with its events and log tail.
type botDetailMsg struct {
	id     int64
	bot    *api.Bot
	events []api.Event
	logs   []api.LogEntry
	err    error
}

// streamKind names the two streams: the whole fleet, and the open bot.
type streamKind int

const (
	fleetStream streamKind = iota
	botStream
)

// streamOpenedMsg hands the root model a running subscription.
type streamOpenedMsg struct{ sub *subscription }

// streamEventMsg is one message of a stream; gen tells a stale stream's
// messages from the current one's.
type streamEventMsg struct {
	kind streamKind
	gen  int
	ev   api.StreamEvent
}

// streamClosedMsg says a stream ended, with why.
type streamClosedMsg struct {
	kind streamKind
	gen  int
	err  error
}

// reconnectMsg fires when a stream's backoff has passed.
type reconnectMsg struct {
	kind streamKind
	gen  int
}

// Backoff bounds for reconnecting a broken stream.
const (
	minBackoff = time.Second
	maxBackoff = 30 * time.Second
)

// nextBackoff doubles the wait up to maxBackoff.
func nextBackoff(d time.Duration) time.Duration {
	if d < minBackoff {
		return minBackoff
	}
	return min(2*d, maxBackoff)
}
