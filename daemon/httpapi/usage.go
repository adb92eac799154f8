package httpapi

import (
	"net/http"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
)

func zoneParam(v *domain.Validator, r *http.Request) *time.Location {
	name := r.URL.Query().Get("timeZone")
	if name == "" {
		name = "UTC"
	}
	loc, err := time.LoadLocation(name)
	// "Local" would be the daemon's own zone, not one the caller can know.
	v.Check(err == nil && name != "Local", "timeZone", "%q is not an IANA time zone such as Europe/Paris", name)
	if loc == nil {
		loc = time.UTC
	}
	return loc
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
		TimeZone: loc.String(), ResetsAt: p.ResetsAt.In(loc).Format(time.RFC3339)}, nil
}

// getUsage buckets the caller's bots into days of the caller's zone.
func (a *API) getUsage(w http.ResponseWriter, r *http.Request) (any, error) {
	v := &domain.Validator{}
	loc := zoneParam(v, r)
	today := startOfDay(a.now().In(loc))
	from := parseDayParam(v, r.URL.Query().Get("from"), "from", loc, today.AddDate(0, 0, -6))
	to := parseDayParam(v, r.URL.Query().Get("to"), "to", loc, today).AddDate(0, 0, 1)
	if err := v.Err(); err != nil {
		return nil, err
	}
	days, err := a.svc.Account.Usage(r.Context(), callerFrom(r.Context()).User.ID, from, to)
	if err != nil {
		return nil, err
	}
	return api.Usage{TimeZone: loc.String(), Days: days}, nil
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func parseDayParam(v *domain.Validator, raw, field string, loc *time.Location, def time.Time) time.Time {
	if raw == "" {
		return def
	}
	t, err := time.ParseInLocation("2006-01-02", raw, loc)
	v.Check(err == nil, field, "must be a date such as 2026-01-31")
	if err != nil {
		return def
	}
	return t
}
