package lifecycle

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/meeboter/meeboter/store"
)

// forecastTTL is how long the wait a queued create answers with may be
// worked out from the queue as last read (plus the bots this daemon
// queued since): a burst of creates would otherwise read the whole queue
// once per create. Views of the queue read it afresh.
const forecastTTL = time.Second

// forecastCache is what the last forecast read: the bots holding
// capacity, the queue in order, and the observed run times; and how far
// the queue's simulation has gone, so a burst of creates, each queued
// at the end, costs one step each rather than a simulation of the whole
// queue ahead of it.
type forecastCache struct {
	mu      sync.Mutex
	at      time.Time
	holding []store.PlannedRun
	queued  []store.PlannedRun
	stats   map[string]store.RunTimeStats
	// frees is when each unit of capacity frees once the first done
	// bots of queued have taken theirs, each at the time it was queued.
	frees *timeHeap
	done  int
}

// waitOf estimates the wait of a bot just queued at position (1-based in
// the whole queue), as QueueWaits would, from the cached forecast; false
// when the forecast could not be read.
func (s *Service) waitOf(ctx context.Context, b store.Bot, position int) (time.Duration, bool) {
	c := &s.forecast
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := time.Now(); c.at.IsZero() || now.Sub(c.at) >= forecastTTL {
		holding, queued, err := s.store.QueueForecast(ctx)
		if err != nil {
			return 0, false
		}
		stats, err := s.store.RunTimes(ctx, runTimeSample)
		if err != nil {
			return 0, false
		}
		c.at, c.holding, c.queued, c.stats, c.done = now, holding, queued, stats, 0
	}
	i := slices.IndexFunc(c.queued, func(p store.PlannedRun) bool { return p.BotID == b.ID })
	if i < 0 {
		i = min(max(position-1, 0), len(c.queued))
		c.queued = slices.Insert(c.queued, i, store.PlannedRun{BotID: b.ID, MeetingPlatform: b.Meeting.Platform, MaxDuration: b.MaxDuration})
	}
	// Only the bots ahead of it decide when it starts. The simulation
	// goes on from where it stopped unless the bot stands before that.
	if i < c.done {
		c.done = 0
	}
	now := s.now()
	if c.done == 0 {
		c.frees = s.startFrees(c.holding, c.stats, now)
	}
	var wait time.Duration
	for ; c.done <= i; c.done++ {
		wait = s.takeUnit(c.frees, c.queued[c.done], c.stats, now)
	}
	return wait, true
}
