package daemon

import (
	"context"
	"net/http"
	"time"
	_ "time/tzdata" // time zones work on hosts without a zoneinfo database

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/store"
)

// freeDailyLimit is the free plan's daily bot limit, as in the original.
const freeDailyLimit = 5

var planLimits = map[string]*int{store.PlanPro: intPtr(200), store.PlanPayAsYouGo: nil, store.PlanCustom: nil}

func intPtr(n int) *int { return &n }

// plan resolves a user's plan and daily limit: a per-user override wins,
// then the active subscription, then the free plan (an expired subscription
// falls back to free instead of locking the user out). Admins are
// unlimited, so the operator of a local daemon is never throttled.
func (s *Server) plan(ctx context.Context, u store.User) (string, *int, error) {
	sub, err := s.store.ActiveSubscription(ctx, u.ID, s.now())
	name, limit := store.PlanFree, intPtr(freeDailyLimit)
	switch {
	case err == nil:
		name, limit = sub.Plan, sub.DailyLimit
		if l, ok := planLimits[sub.Plan]; ok && sub.DailyLimit == nil {
			limit = l
		}
	case !isNotFound(err):
		return "", nil, err
	}
	if u.Role == store.RoleAdmin {
		limit = nil
	}
	if u.CustomDailyBotLimit != nil {
		limit = u.CustomDailyBotLimit
	}
	return name, limit, nil
}

func (s *Server) dailyLimit(ctx context.Context, u store.User) (*int, error) {
	_, limit, err := s.plan(ctx, u)
	return limit, err
}

func zoneParam(v *validator, r *http.Request) *time.Location {
	name := orDefault(r.URL.Query().Get("timeZone"), "UTC")
	loc, err := time.LoadLocation(name)
	v.check(err == nil, "timeZone", "%q is not an IANA time zone such as Europe/Paris", name)
	if loc == nil {
		loc = time.UTC
	}
	return loc
}

// getPlan answers the plan with today's use. The quota counts bots by their
// creation time on the server's UTC day, never by a time the client sends.
func (s *Server) getPlan(w http.ResponseWriter, r *http.Request) (any, error) {
	v := &validator{}
	loc := zoneParam(v, r)
	if err := v.err(); err != nil {
		return nil, err
	}
	u := callerFrom(r.Context()).user
	name, limit, err := s.plan(r.Context(), u)
	if err != nil {
		return nil, err
	}
	day := utcDay(s.now())
	used, err := s.store.CountBotsCreated(r.Context(), u.ID, day, day.Add(24*time.Hour))
	if err != nil {
		return nil, err
	}
	p := api.Plan{Plan: name, DailyLimit: limit, UsedToday: used, TimeZone: loc.String(), ResetsAt: day.Add(24 * time.Hour).In(loc).Format(time.RFC3339)}
	if limit != nil {
		p.Remaining = intPtr(max(0, *limit-used))
	}
	return p, nil
}

// getUsage buckets the caller's bots into local days: bots by creation day,
// bot-minutes by the part of each run (deploy start to end, or now) that
// falls in each day.
func (s *Server) getUsage(w http.ResponseWriter, r *http.Request) (any, error) {
	v := &validator{}
	loc := zoneParam(v, r)
	today := startOfDay(s.now().In(loc))
	from := parseDayParam(v, r.URL.Query().Get("from"), "from", loc, today.AddDate(0, 0, -6))
	to := parseDayParam(v, r.URL.Query().Get("to"), "to", loc, today).AddDate(0, 0, 1)
	v.check(from.Before(to), "to", "must not be before from")
	v.check(to.Sub(from) <= 367*24*time.Hour, "to", "the range may span at most 366 days")
	if err := v.err(); err != nil {
		return nil, err
	}
	spans, err := s.store.BotSpans(r.Context(), callerFrom(r.Context()).user.ID, from, to)
	if err != nil {
		return nil, err
	}
	return api.Usage{TimeZone: loc.String(), Days: bucketUsage(spans, from, to, s.now())}, nil
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func parseDayParam(v *validator, raw, field string, loc *time.Location, def time.Time) time.Time {
	if raw == "" {
		return def
	}
	t, err := time.ParseInLocation("2006-01-02", raw, loc)
	v.check(err == nil, field, "must be a date such as 2026-01-31")
	if err != nil {
		return def
	}
	return t
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
