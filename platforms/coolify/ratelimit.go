package coolify

import (
	"context"
	"sync"
	"time"
)

// limiter is the token bucket every request of one Client passes, retries
// included, so a whole daemon stays under Coolify's per-minute limit.
//
// Coolify (Laravel) counts requests per fixed minute. A bucket of size B
// refilled at r tokens a second lets through at most B + 60r requests in
// any 60 seconds, so B + 60r = limit keeps every window, fixed or sliding,
// within the limit. B is a twentieth of the limit: small bursts (a deploy
// is a few calls) go out at once, a storm is spread over the minute.
//
// A 429 pauses the bucket until Retry-After has passed: nothing is sent
// meanwhile and the bucket does not refill during the pause, so the
// requests held back do not all rush out when it ends.
type limiter struct {
	mu     sync.Mutex
	rate   float64 // tokens a second
	burst  float64
	tokens float64   // may be negative: tokens owed to sleeping callers
	last   time.Time // when tokens was computed; may lie in the future, at a pause's end
	paused time.Time // nothing is sent before this
	now    func() time.Time
}

func newLimiter(perMinute int, now func() time.Time) *limiter {
	burst := max(1, perMinute/20)
	return &limiter{
		rate:   float64(perMinute-burst) / 60,
		burst:  float64(burst),
		tokens: float64(burst),
		last:   now(),
		now:    now,
	}
}

// wait blocks until the caller may send one request, or ctx ends.
func (l *limiter) wait(ctx context.Context) error {
	d := l.reserve(l.now())
	for d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			l.giveBack()
			return ctx.Err()
		case <-t.C:
		}
		d = l.pauseLeft(l.now()) // a 429 may have paused the bucket while we slept
	}
	return ctx.Err()
}

// reserve takes a token at now and returns how long to wait before using it.
func (l *limiter) reserve(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	base := now
	if l.paused.After(base) {
		base = l.paused
	}
	l.refill(base)
	l.tokens--
	wait := base.Sub(now)
	if l.tokens < 0 {
		wait += time.Duration(-l.tokens / l.rate * float64(time.Second))
	}
	return wait
}

// refill adds the tokens earned up to t; time before l.last earns nothing.
func (l *limiter) refill(t time.Time) {
	if t.After(l.last) {
		l.tokens = min(l.burst, l.tokens+t.Sub(l.last).Seconds()*l.rate)
		l.last = t
	}
}

// pause holds every request until now+d, as a 429's Retry-After asks.
func (l *limiter) pause(now time.Time, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	until := now.Add(d)
	if !until.After(l.paused) {
		return
	}
	l.refill(now)
	l.paused = until
	if until.After(l.last) {
		l.last = until // no refill during the pause
	}
}

func (l *limiter) pauseLeft(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return max(0, l.paused.Sub(now))
}

// giveBack returns the token of a caller that gave up waiting.
func (l *limiter) giveBack() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tokens = min(l.burst, l.tokens+1)
}
