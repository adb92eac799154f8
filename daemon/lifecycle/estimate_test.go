package lifecycle

import (
	"testing"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// TestQueueWaitsWithLongCalls: three 20-minute calls hold every unit of
// capacity; the two bots queued behind them wait until those calls end,
// not the few seconds a mean of short past runs would say.
func TestQueueWaitsWithLongCalls(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	s := &Service{now: func() time.Time { return now }, order: []store.PlatformLimit{{Name: "local", Limit: 3}},
		cfg: Config{MaxBotDuration: time.Hour}}
	var running []store.PlannedRun
	for i := range 3 {
		started := now.Add(-time.Duration(i+1) * time.Minute) // 1, 2, 3 minutes into their calls
		running = append(running, store.PlannedRun{BotID: int64(i + 1), MeetingPlatform: api.MeetingGoogleMeet, DeployStartedAt: &started,
			MaxDuration: time.Hour})
	}
	stats := map[string]store.RunTimeStats{api.MeetingGoogleMeet: {P50: 20 * time.Minute, Count: 40}}
	var queued []store.PlannedRun
	for id := int64(10); id <= 13; id++ {
		queued = append(queued, store.PlannedRun{BotID: id, MeetingPlatform: api.MeetingGoogleMeet, MaxDuration: time.Hour})
	}
	got := s.simulate(queued, running, stats)
	want := map[int64]time.Duration{10: 17 * time.Minute, 11: 18 * time.Minute, 12: 19 * time.Minute, 13: 37 * time.Minute}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("bot %d waits %v, want %v (all: %v)", id, got[id], w, got)
		}
	}
}

// TestQueueWaitsCappedByMaxDuration: a bot that may run only 10 minutes
// frees its unit by then, whatever its platform's calls usually last.
func TestQueueWaitsCappedByMaxDuration(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	s := &Service{now: func() time.Time { return now }, order: []store.PlatformLimit{{Name: "local", Limit: 1}},
		cfg: Config{MaxBotDuration: time.Hour}}
	started := now.Add(-5 * time.Minute)
	running := []store.PlannedRun{{BotID: 1, MeetingPlatform: api.MeetingZoom, DeployStartedAt: &started, MaxDuration: 10 * time.Minute}}
	stats := map[string]store.RunTimeStats{api.MeetingZoom: {P50: 45 * time.Minute}}
	got := s.simulate([]store.PlannedRun{{BotID: 2}}, running, stats)
	if got[2] != 5*time.Minute {
		t.Fatalf("waits %v, want 5m", got[2])
	}
}

// TestWaitOfCountsBotsQueuedSinceTheRead: a queued create's wait comes
// from the cached forecast, with the bots queued since it was read
// counted ahead, so a burst of creates is told growing waits without
// reading the queue each time.
func TestWaitOfCountsBotsQueuedSinceTheRead(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	s := &Service{now: func() time.Time { return now }, order: []store.PlatformLimit{{Name: "local", Limit: 1}},
		cfg: Config{MaxBotDuration: time.Hour}}
	started := now.Add(-5 * time.Minute)
	s.forecast = forecastCache{at: time.Now(), stats: map[string]store.RunTimeStats{api.MeetingGoogleMeet: {P50: 10 * time.Minute, Count: 9}},
		holding: []store.PlannedRun{{BotID: 1, MeetingPlatform: api.MeetingGoogleMeet, DeployStartedAt: &started, MaxDuration: time.Hour}}}
	want := []time.Duration{5 * time.Minute, 15 * time.Minute, 25 * time.Minute}
	for i, w := range want {
		b := store.Bot{ID: int64(10 + i), MaxDuration: time.Hour, Meeting: store.Meeting{Platform: api.MeetingGoogleMeet}}
		got, ok := s.waitOf(t.Context(), b, i+1)
		if !ok || got != w {
			t.Errorf("bot queued %d waits %v (%v), want %v", i+1, got, ok, w)
		}
	}
	// A bot already in the cached queue keeps its place.
	if got, _ := s.waitOf(t.Context(), store.Bot{ID: 10}, 3); got != want[0] {
		t.Errorf("the first bot again waits %v, want %v", got, want[0])
	}
	// A more urgent bot goes ahead of those already worked out, and the
	// next at the end waits behind all of them.
	for _, c := range []struct {
		id       int64
		position int
		want     time.Duration
	}{{20, 1, 5 * time.Minute}, {21, 5, 45 * time.Minute}} {
		b := store.Bot{ID: c.id, MaxDuration: time.Hour, Meeting: store.Meeting{Platform: api.MeetingGoogleMeet}}
		if got, _ := s.waitOf(t.Context(), b, c.position); got != c.want {
			t.Errorf("bot queued %d waits %v, want %v", c.position, got, c.want)
		}
	}
}
