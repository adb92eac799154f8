package account

import (
	"context"
	"time"
	_ "time/tzdata" // time zones work on hosts without a zoneinfo database

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// Usage buckets a user's bots into the local days of [from, to): bots by
// creation day, bot-minutes by the part of each run (deploy start to end,
// or now) that falls in each day. from and to are midnights in their zone.
func (s *Service) Usage(ctx context.Context, userID int64, from, to time.Time) ([]api.UsageDay, error) {
	v := &domain.Validator{}
	v.Check(from.Before(to), "to", "must not be before from")
	v.Check(to.Sub(from) <= 367*24*time.Hour, "to", "the range may span at most 366 days")
	if err := v.Err(); err != nil {
		return nil, err
	}
	spans, err := s.store.BotSpans(ctx, userID, from, to)
	if err != nil {
		return nil, err
	}
	return bucketUsage(spans, from, to, s.now()), nil
}

func bucketUsage(spans []store.BotSpan, from, to, now time.Time) []api.UsageDay {
	var days []api.UsageDay
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		next := d.AddDate(0, 0, 1)
		day := api.UsageDay{Date: d.Format("2006-01-02")}
		for _, sp := range spans {
			if !sp.CreatedAt.Before(d) && sp.CreatedAt.Before(next) {
				day.Bots++
			}
			day.BotMinutes += overlapMinutes(sp, d, next, now)
		}
		days = append(days, day)
	}
	return days
}

func overlapMinutes(sp store.BotSpan, from, to, now time.Time) float64 {
	if sp.StartedAt == nil {
		return 0
	}
	end := now
	if sp.EndedAt != nil {
		end = *sp.EndedAt
	}
	start := *sp.StartedAt
	if start.Before(from) {
		start = from
	}
	if end.After(to) {
		end = to
	}
	if !end.After(start) {
		return 0
	}
	return end.Sub(start).Minutes()
}
