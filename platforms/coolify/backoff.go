package coolify

import (
	"context"
	"math/rand/v2"
	"time"
)

// poller spaces out the polls of a deployment or a stopping application:
// the wait grows by half each time from the first interval to the longest,
// with ±20% jitter so many slots polled together drift apart instead of
// hitting Coolify (and its rate limit) in step.
type poller struct {
	next, max time.Duration
}

func newPoller(cfg Config) *poller { return &poller{next: cfg.PollInterval, max: cfg.PollMax} }

// sleep waits for the next poll, or returns ctx's error.
func (p *poller) sleep(ctx context.Context) error {
	d := time.Duration(float64(p.next) * (0.8 + 0.4*rand.Float64()))
	p.next = min(p.max, p.next+p.next/2)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
