package lifecycle

import (
	"cmp"
	"context"
	"errors"
	"sync"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// observedTTL is how long the observed run times and join latencies are
// reused. They come from stored bots, so every daemon reads the same.
const observedTTL = 30 * time.Second

// observedSample is how many recent bots the observations are drawn from.
const observedSample = 200

// observed caches what recent bots showed: run times per meeting
// platform, and join latency per platform and meeting platform.
type observed struct {
	mu         sync.Mutex
	at         time.Time
	refreshing bool
	runs       map[string]store.RunTimeStats
	latency    map[string]map[string]time.Duration
}

// observations reads the cached observations. When they are old, one
// caller reads them afresh while the others go on with the old ones (none
// before the first read ends): admission never waits on the refresh. On a
// read error the previous ones serve until the next try.
func (s *Service) observations(ctx context.Context) (map[string]store.RunTimeStats, map[string]map[string]time.Duration) {
	o := &s.observed
	o.mu.Lock()
	now := s.now()
	if (!o.at.IsZero() && now.Sub(o.at) < observedTTL) || o.refreshing {
		defer o.mu.Unlock()
		return o.runs, o.latency
	}
	o.refreshing = true
	o.mu.Unlock()
	runs, err := s.store.RunTimes(ctx, observedSample)
	var latency map[string]map[string]time.Duration
	if err == nil {
		latency, err = s.store.JoinLatencies(ctx, observedSample)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.refreshing = false
	if err != nil {
		s.log.Warn("read observed run times and join latencies", "err", err)
		o.at = now // try again after the TTL, not on every admission
		return o.runs, o.latency
	}
	o.at, o.runs, o.latency = now, runs, latency
	return runs, latency
}

// routing is how admission orders the platforms now.
func (s *Service) routing(ctx context.Context) store.Routing {
	_, latency := s.observations(ctx)
	return store.Routing{Policy: cmp.Or(s.cfg.Policy, api.PolicyPriority), Latency: latency}
}

// expectedRun is how long a scheduled bot is expected to hold capacity:
// the maximum duration it asked for, else the observed 90th percentile of
// its meeting platform's bots (never beyond its maximum), else its
// maximum.
func (s *Service) expectedRun(ctx context.Context, b store.Bot, asked time.Duration) time.Duration {
	if asked > 0 {
		return asked
	}
	runs, _ := s.observations(ctx)
	if st := runs[b.Meeting.Platform]; st.Count > 0 && st.P90 > 0 {
		return min(st.P90, b.MaxDuration)
	}
	return b.MaxDuration
}

// reservation is the booking a bot joining later than the schedule lead
// asks for: from its admission (join time less the lead) to its expected
// end, on the platforms in policy order. Nil for a bot due now.
func (s *Service) reservation(ctx context.Context, b store.Bot, run time.Duration, bestEffort bool) *store.ReserveParams {
	if b.JoinAt == nil || !b.JoinAt.After(s.now().Add(s.cfg.ScheduleLead)) {
		return nil
	}
	return &store.ReserveParams{
		Platforms: s.routing(ctx).Order(s.order, b.Meeting.Platform),
		Start:     b.JoinAt.Add(-s.cfg.ScheduleLead), End: b.JoinAt.Add(run), BestEffort: bestEffort,
	}
}

// capacityError names, as a join time, the earliest free start a refused
// booking was told of.
func (s *Service) capacityError(err error) error {
	var cu *store.CapacityUnavailableError
	if !errors.As(err, &cu) {
		return err
	}
	out := &domain.CapacityError{}
	if cu.EarliestStart != nil {
		at := cu.EarliestStart.Add(s.cfg.ScheduleLead)
		out.EarliestJoin = &at
	}
	return out
}

// rebooking is the new booking of a SCHEDULED bot whose join time or
// maximum duration a patch changes; nil when the patch changes neither
// or the bot becomes due (its old booking is then dropped).
func (s *Service) rebooking(ctx context.Context, b store.Bot, p store.BotPatch, bestEffort bool) *store.ReserveParams {
	if b.Status != api.StatusScheduled || (p.JoinAt == nil && p.MaxDuration == nil) {
		return nil
	}
	nb := b
	if p.JoinAt != nil {
		nb.JoinAt = *p.JoinAt
	}
	var asked time.Duration
	if p.MaxDuration != nil {
		nb.MaxDuration, asked = *p.MaxDuration, *p.MaxDuration
	} else if r, err := s.store.GetReservation(ctx, b.ID); err == nil {
		asked = r.EndsAt.Sub(r.StartsAt) - s.cfg.ScheduleLead // the length it was booked for
	}
	return s.reservation(ctx, nb, s.expectedRun(ctx, nb, asked), bestEffort)
}

// NudgeWaiting sends bot.waiting_room for the bots waiting in a waiting
// room longer than their nudge time.
func (s *Service) NudgeWaiting(ctx context.Context) {
	bots, err := s.store.NudgeWaiting(ctx, s.now())
	if err != nil {
		s.log.Error("nudge waiting bots", "err", err)
		return
	}
	for _, b := range bots {
		s.log.Info("bot waits in the waiting room", "bot_id", b.ID)
	}
	if len(bots) > 0 {
		s.changed()
	}
}
