package lifecycle

import (
	"context"
	"time"

	"github.com/meeboter/meeboter/api"
	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// maxForecastSteps bounds a forecast's size.
const maxForecastSteps = 500

// ForecastQuery is a forecast's range: zero times default to the next
// hour from now, a zero step to five minutes.
type ForecastQuery struct {
	From, To *time.Time
	Step     time.Duration
}

// Forecast says, per platform and step, how much capacity reservations
// and running bots hold and how much is free.
func (s *Service) Forecast(ctx context.Context, q ForecastQuery) (api.CapacityForecast, error) {
	from, to, step, err := s.forecastRange(q)
	if err != nil {
		return api.CapacityForecast{}, err
	}
	b, err := s.store.Bookings(ctx, from, to)
	if err != nil {
		return api.CapacityForecast{}, err
	}
	// A bot running past its expected end still holds capacity now; it
	// counts as ending in a moment, as admission counts it.
	soon := s.now().Add(time.Second)
	for i, r := range b.Running {
		if r.ExpectedEnd != nil && r.ExpectedEnd.Before(soon) {
			b.Running[i].ExpectedEnd = &soon
		}
	}
	out := api.CapacityForecast{From: from, To: to, StepSeconds: int64(step.Seconds()), Platforms: []api.ForecastPlatform{}}
	for _, pl := range s.order {
		fp := api.ForecastPlatform{Platform: pl.Name, Limit: pl.Limit}
		for at := from; at.Before(to); at = at.Add(step) {
			fp.Steps = append(fp.Steps, forecastStep(b, pl, at, at.Add(step)))
		}
		out.Platforms = append(out.Platforms, fp)
	}
	return out, nil
}

func (s *Service) forecastRange(q ForecastQuery) (time.Time, time.Time, time.Duration, error) {
	v := &domain.Validator{}
	now := s.now().UTC().Truncate(time.Second)
	from := now
	if q.From != nil {
		from = q.From.UTC()
	}
	step := q.Step
	if step == 0 {
		step = 5 * time.Minute
	}
	to := from.Add(time.Hour)
	if q.To != nil {
		to = q.To.UTC()
	}
	v.Check(step >= time.Minute, "step", "must be at least 60 seconds")
	v.Check(to.After(from), "to", "must be after from")
	v.Check(step < time.Minute || !to.After(from) || int(to.Sub(from)/step) <= maxForecastSteps, "step", "gives more than %d steps; make it longer or the range shorter", maxForecastSteps)
	return from, to, step, v.Err()
}

// forecastStep counts one platform's holdings over from..to.
func forecastStep(b store.Bookings, pl store.PlatformLimit, from, to time.Time) api.ForecastStep {
	st := api.ForecastStep{At: from}
	for _, r := range b.Reservations {
		if r.Platform == pl.Name && r.StartsAt.Before(to) && r.EndsAt.After(from) {
			st.Reserved++
		}
	}
	for _, r := range b.Running {
		if r.Platform == pl.Name && (r.ExpectedEnd == nil || r.ExpectedEnd.After(from)) {
			st.Running++
		}
	}
	st.Free = max(0, pl.Limit-st.Reserved-st.Running)
	return st
}
