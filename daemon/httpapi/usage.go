package httpapi

import (
	"net/http"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/account"
	"github.com/meeboter/meeboter/daemon/domain"
)

func zoneParam(v *domain.Validator, r *http.Request) *time.Location {
	return account.Zone(v, r.URL.Query().Get("timeZone"), "timeZone")
}

// getPlan answers the plan with today's use, the reset time shown in the
// caller's zone.
func (a *API) getPlan(w http.ResponseWriter, r *http.Request) (any, error) {
	v := &domain.Validator{}
	loc := zoneParam(v, r)
	if err := v.Err(); err != nil {
		return nil, err
	}
	p, err := a.svc.Account.PlanToday(r.Context(), callerFrom(r.Context()).User)
	if err != nil {
		return nil, err
	}
	return api.Plan{Plan: p.Plan, DailyLimit: p.DailyLimit, UsedToday: p.UsedToday, Remaining: p.Remaining,
		TimeZone: loc.String(), ResetsAt: p.ResetsAt.In(loc).Format(time.RFC3339),
		ConcurrentLimit: p.ConcurrentLimit, Running: p.Running,
		MaxBotDurationSeconds: int64(p.MaxBotDuration / time.Second), DedupWindowSeconds: int64(p.DedupWindow / time.Second)}, nil
}

// getUsage buckets the caller's bots into days of the caller's zone.
func (a *API) getUsage(w http.ResponseWriter, r *http.Request) (any, error) {
	v := &domain.Validator{}
	loc := zoneParam(v, r)
	today := account.StartOfDay(a.now().In(loc))
	from := account.Day(v, r.URL.Query().Get("from"), "from", loc, today.AddDate(0, 0, -6))
	to := account.Day(v, r.URL.Query().Get("to"), "to", loc, today).AddDate(0, 0, 1)
	if err := v.Err(); err != nil {
		return nil, err
	}
	userID := callerFrom(r.Context()).User.ID
	days, err := a.svc.Account.Usage(r.Context(), userID, from, to)
	if err != nil {
		return nil, err
	}
	costs := map[string]float64{}
	for _, pl := range a.svc.Life.Order() {
		costs[pl.Name] = pl.CostPerHour
	}
	platforms, total, err := a.svc.Account.PlatformUsage(r.Context(), userID, from, to, costs)
	if err != nil {
		return nil, err
	}
	return api.Usage{TimeZone: loc.String(), Days: days, Platforms: platforms, EstimatedCost: total}, nil
}
