package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/daemon/lifecycle"
)

// capacityForecast answers what reservations and running bots hold per
// platform per step. Capacity is shared by every user, so the counts are
// the whole fleet's; no bot of another user is named.
func (a *API) capacityForecast(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	v := &domain.Validator{}
	fq := lifecycle.ForecastQuery{From: parseTimeParam(v, q.Get("from"), "from"), To: parseTimeParam(v, q.Get("to"), "to")}
	if raw := q.Get("step"); raw != "" {
		fq.Step = durationParam(v, raw, "step")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return a.svc.Life.Forecast(r.Context(), fq)
}

// durationParam reads seconds (300) or a Go duration (5m).
func durationParam(v *domain.Validator, raw, field string) time.Duration {
	if n, err := strconv.ParseInt(raw, 10, 64); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	d, err := time.ParseDuration(raw)
	v.Check(err == nil && d > 0, field, "must be seconds (300) or a duration such as 5m")
	return d
}

// admissionStats answers how the caller's bots fared in waiting rooms.
func (a *API) admissionStats(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	v := &domain.Validator{}
	from, to := parseTimeParam(v, q.Get("from"), "from"), parseTimeParam(v, q.Get("to"), "to")
	if err := v.Err(); err != nil {
		return nil, err
	}
	end := a.now()
	if to != nil {
		end = *to
	}
	start := end.Add(-7 * 24 * time.Hour)
	if from != nil {
		start = *from
	}
	return a.svc.Life.AdmissionStats(r.Context(), callerFrom(r.Context()).User.ID, start, end)
}
