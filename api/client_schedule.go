package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// CapacityForecast reads reserved, running and free capacity per platform
// per step; nil times and a zero step take the daemon's defaults (the
// next hour, five minutes).
func (c *Client) CapacityForecast(ctx context.Context, from, to *time.Time, step time.Duration) (*CapacityForecast, error) {
	q := url.Values{}
	setTime(q, "from", from)
	setTime(q, "to", to)
	if step > 0 {
		q.Set("step", strconv.FormatInt(int64(step/time.Second), 10))
	}
	var out CapacityForecast
	return &out, c.do(ctx, http.MethodGet, "/v1/capacity/forecast", q, nil, &out)
}

// AdmissionStats reads how the caller's bots created from from to to
// fared in waiting rooms; nil times take the daemon's defaults (the last
// seven days).
func (c *Client) AdmissionStats(ctx context.Context, from, to *time.Time) (*AdmissionStats, error) {
	q := url.Values{}
	setTime(q, "from", from)
	setTime(q, "to", to)
	var out AdmissionStats
	return &out, c.do(ctx, http.MethodGet, "/v1/stats/admission", q, nil, &out)
}

func setTime(q url.Values, key string, t *time.Time) {
	if t != nil {
		q.Set(key, t.UTC().Format(time.RFC3339))
	}
}
