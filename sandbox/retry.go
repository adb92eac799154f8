package sandbox

import (
	"context"
	"math/rand/v2"
	"time"
)

// backoff says how a call is repeated while the daemon cannot take it: it
// may be restarting, and a bot must ride that out as the real ones do.
type backoff struct {
	base, max time.Duration // first delay, and the cap of the doubling
	within    time.Duration // give up once this much time has passed
	tries     int           // give up after this many calls; 0 means no limit
}

// do calls fn until it succeeds, fails in a way repeating cannot fix, or
// the time runs out; it returns fn's last error.
func (b backoff) do(ctx context.Context, fn func(context.Context) error) error {
	deadline := time.Now().Add(b.within)
	delay := b.base
	for try := 1; ; try++ {
		err := fn(ctx)
		if !retryable(err) || ctx.Err() != nil || try == b.tries {
			return err
		}
		wait := jitter(delay)
		if time.Now().Add(wait).After(deadline) {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		delay = min(2*delay, b.max)
	}
}

// jitter spreads d by ±25 % so bots that lost the daemon together do not
// all come back in the same instant.
func jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.75 + rand.Float64()/2))
}
