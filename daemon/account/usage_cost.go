package account

import (
	"context"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// PlatformUsage sums a user's bot-hours in [from, to) per platform (the
// part of each run inside the range) and prices them at costs per
// bot-hour. Bots never deployed count on no platform.
func (s *Service) PlatformUsage(ctx context.Context, userID int64, from, to time.Time, costs map[string]float64) ([]api.UsagePlatform, float64, error) {
	spans, err := s.store.BotSpans(ctx, userID, from, to)
	if err != nil {
		return nil, 0, err
	}
	out, total := priceUsage(spans, from, to, s.now(), costs)
	return out, total, nil
}

func priceUsage(spans []store.BotSpan, from, to, now time.Time, costs map[string]float64) ([]api.UsagePlatform, float64) {
	by := map[string]*api.UsagePlatform{}
	for _, sp := range spans {
		if sp.Platform == "" {
			continue
		}
		u := by[sp.Platform]
		if u == nil {
			u = &api.UsagePlatform{Platform: sp.Platform, CostPerHour: costs[sp.Platform]}
			by[sp.Platform] = u
		}
		if h := overlapMinutes(sp, from, to, now) / 60; h > 0 {
			u.Bots++
			u.BotHours += h
		}
	}
	out := []api.UsagePlatform{}
	total := 0.0
	for _, name := range slices.Sorted(maps.Keys(by)) {
		u := by[name]
		if u.Bots == 0 {
			continue
		}
		u.EstimatedCost = round6(u.BotHours * u.CostPerHour)
		u.BotHours = round6(u.BotHours)
		total += u.EstimatedCost
		out = append(out, *u)
	}
	return out, round6(total)
}

// round6 keeps six decimals: the rates are fractions of a cent.
func round6(f float64) float64 { return math.Round(f*1e6) / 1e6 }
