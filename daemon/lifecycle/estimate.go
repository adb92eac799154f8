package lifecycle

import (
	"container/heap"
	"context"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// runTimeSample is how many recently ended bots the observed run times are
// taken from.
const runTimeSample = 200

// QueueWaits estimates when each queued bot gets capacity. A unit of
// capacity frees when the bot holding it ends: at its start plus the
// observed median run time of its meeting platform, capped by its own
// maximum duration (a bot past its median may end any moment, so it frees
// now). Queued bots then take the units in queue order, each holding one
// for its own expected run. Averaging past run times alone, as before,
// told a bot at the head "19 s" while three 20-minute calls held every
// unit.
func (s *Service) QueueWaits(ctx context.Context) (map[int64]time.Duration, error) {
	holding, queued, err := s.store.QueueForecast(ctx)
	if err != nil || len(queued) == 0 {
		return map[int64]time.Duration{}, err
	}
	stats, err := s.store.RunTimes(ctx, runTimeSample)
	if err != nil {
		return nil, err
	}
	return s.simulate(queued, holding, stats), nil
}

func (s *Service) simulate(queued, holding []store.PlannedRun, stats map[string]store.RunTimeStats) map[int64]time.Duration {
	now := s.now()
	frees := s.startFrees(holding, stats, now)
	out := make(map[int64]time.Duration, len(queued))
	for _, b := range queued {
		out[b.BotID] = s.takeUnit(frees, b, stats, now)
	}
	return out
}

// startFrees is when each unit of capacity frees, as of now: at the end
// of the expected run of the bot holding it, or now.
func (s *Service) startFrees(holding []store.PlannedRun, stats map[string]store.RunTimeStats, now time.Time) *timeHeap {
	total := 0
	for _, p := range s.order {
		total += p.Limit
	}
	frees := make(timeHeap, 0, max(total, len(holding), 1))
	for _, b := range holding {
		start := now
		if b.DeployStartedAt != nil {
			start = *b.DeployStartedAt
		}
		frees.push(later(now, start.Add(s.plannedRun(b, stats))))
	}
	for frees.Len() < total {
		frees.push(now) // free capacity
	}
	if frees.Len() == 0 {
		// No capacity is configured: a bot waits for some to be, which no
		// one can foresee; count one unit that frees after a typical run.
		frees.push(now.Add(s.plannedRun(store.PlannedRun{MeetingPlatform: "?"}, stats)))
	}
	return &frees
}

// takeUnit gives the next queued bot the first unit to free, which it
// holds for its expected run, and returns its wait from now.
func (s *Service) takeUnit(frees *timeHeap, b store.PlannedRun, stats map[string]store.RunTimeStats, now time.Time) time.Duration {
	start := later(now, frees.pop())
	frees.push(start.Add(s.plannedRun(b, stats)))
	return start.Sub(now).Truncate(time.Second)
}

// plannedRun is how long a queued or running bot is expected to hold its
// unit: the median run time of its meeting platform, capped by its
// maximum duration.
func (s *Service) plannedRun(b store.PlannedRun, stats map[string]store.RunTimeStats) time.Duration {
	limit := b.MaxDuration
	if limit <= 0 {
		limit = s.cfg.MaxBotDuration
	}
	if st, ok := stats[b.MeetingPlatform]; ok && st.P50 > 0 && st.P50 < limit {
		return st.P50
	}
	return limit
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// HoldingStatuses are the statuses in which a bot holds capacity.
func HoldingStatuses() []api.BotStatus {
	var out []api.BotStatus
	for _, st := range api.AllStatuses {
		if st.HoldsCapacity() {
			out = append(out, st)
		}
	}
	return out
}

// timeHeap is a min-heap of the times units of capacity free.
type timeHeap []time.Time

func (h timeHeap) Len() int           { return len(h) }
func (h timeHeap) Less(i, j int) bool { return h[i].Before(h[j]) }
func (h timeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timeHeap) Push(x any)        { *h = append(*h, x.(time.Time)) }
func (h *timeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
func (h *timeHeap) push(t time.Time) { heap.Push(h, t) }
func (h *timeHeap) pop() time.Time   { return heap.Pop(h).(time.Time) }
