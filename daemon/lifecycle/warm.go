package lifecycle

import (
	"context"
	"maps"
	"math"
	"slices"
	"strconv"
)

// WarmTarget is how many idle slots of one meeting platform a pooled
// platform should keep warm now, for the reservations about to start.
type WarmTarget struct {
	Platform        string
	MeetingPlatform string
	Slots           int
}

// WarmTargets is the hook the warm pool of a pooled platform (Coolify)
// calls on the leader, every pass: per pooled platform and meeting
// platform, the idle slots to keep ready for the reservations starting
// within Config.WarmAhead, so scheduled bots find a started container at
// their time. The total is capped so idle slots cost at most
// Config.WarmBudgetPerHour at the platforms' cost per bot-hour (0: no
// cap); the earliest platforms in admission order are served first.
// Slots beyond the targets may be let go.
func (s *Service) WarmTargets(ctx context.Context) ([]WarmTarget, error) {
	now := s.now()
	starting, err := s.store.ReservationsStarting(ctx, now, now.Add(s.cfg.WarmAhead))
	if err != nil {
		return nil, err
	}
	var out []WarmTarget
	costs := map[string]float64{}
	for _, pl := range s.order {
		if pl.Pool == nil {
			continue
		}
		costs[pl.Name] = pl.CostPerHour
		for _, meeting := range slices.Sorted(maps.Keys(starting[pl.Name])) {
			out = append(out, WarmTarget{Platform: pl.Name, MeetingPlatform: meeting, Slots: starting[pl.Name][meeting]})
		}
	}
	return capWarm(out, costs, s.cfg.WarmBudgetPerHour), nil
}

// capWarm trims targets, in order, so their hourly cost fits the budget.
func capWarm(targets []WarmTarget, costs map[string]float64, budget float64) []WarmTarget {
	if budget <= 0 {
		return targets
	}
	left := budget
	out := make([]WarmTarget, 0, len(targets))
	for _, t := range targets {
		if c := costs[t.Platform]; c > 0 {
			t.Slots = min(t.Slots, int(math.Floor(left/c+1e-9)))
			left -= float64(t.Slots) * c
		}
		if t.Slots > 0 {
			out = append(out, t)
		}
	}
	return out
}

// String is a target as logs show it.
func (t WarmTarget) String() string {
	return t.Platform + "/" + t.MeetingPlatform + "=" + strconv.Itoa(t.Slots)
}
