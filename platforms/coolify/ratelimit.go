package coolify

import (
	"context"
	"crypto/sha256"
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
// A 429 pauses the bucket until Retry-After has passed. The bucket runs on
// a virtual clock that stands still during pauses: a request is granted at
// a virtual time, and goes out at the real time that virtual time is
// reached. A pause therefore pushes back every grant not yet sent by its
// whole length, in order, and the requests held back do not rush out
// together when it ends; a window of real time never holds more grants
// than the same length of virtual time.
type limiter struct {
	mu     sync.Mutex
	rate   float64 // tokens per virtual second
	burst  float64
	tokens float64       // may be negative: tokens owed to sleeping callers
	last   time.Duration // virtual time tokens was computed at
	epoch  time.Time     // virtual time 0
	// offset is the length of every pause before the current one; the
	// current (or last) pause is [pauseStart, pauseEnd).
	offset               time.Duration
	pauseStart, pauseEnd time.Time
	now                  func() time.Time
}

// limiters holds one bucket per Coolify and token in the process, so
// every client built for the same token (a daemon may build more than
// one) draws from the same budget.
var limiters sync.Map // limiterKey -> *limiter

type limiterKey struct {
	api   string
	token [sha256.Size]byte // the token itself is not kept as a key
	rate  int
}

func sharedLimiter(api, token string, perMinute int, now func() time.Time) *limiter {
	k := limiterKey{api: api, token: sha256.Sum256([]byte(token)), rate: perMinute}
	if l, ok := limiters.Load(k); ok {
		return l.(*limiter)
	}
	l, _ := limiters.LoadOrStore(k, newLimiter(perMinute, now))
	return l.(*limiter)
}

func newLimiter(perMinute int, now func() time.Time) *limiter {
	burst := max(1, perMinute/20)
	t := now()
	return &limiter{
		rate: float64(perMinute-burst) / 60, burst: float64(burst), tokens: float64(burst),
		epoch: t, pauseStart: t, pauseEnd: t, now: now,
	}
}

// wait blocks until the caller may send one request, or ctx ends.
func (l *limiter) wait(ctx context.Context) error {
	v := l.reserve(l.now())
	for {
		d := l.realTime(v).Sub(l.now())
		if d <= 0 {
			return ctx.Err()
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			l.giveBack()
			return ctx.Err()
		case <-t.C: // check again: a 429 may have pushed the grant back
		}
	}
}

// reserve takes a token at real time now and returns the virtual time the
// caller may send at.
func (l *limiter) reserve(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	v := l.virtual(now)
	if v > l.last {
		l.tokens = min(l.burst, l.tokens+(v-l.last).Seconds()*l.rate)
		l.last = v
	}
	l.tokens--
	if l.tokens < 0 {
		v += time.Duration(-l.tokens / l.rate * float64(time.Second))
	}
	return v
}

// virtual is the virtual time at real time t (not before the last pause
// began): real time less every pause so far.
func (l *limiter) virtual(t time.Time) time.Duration {
	v := t.Sub(l.epoch) - l.offset
	if !t.Before(l.pauseStart) {
		end := l.pauseEnd
		if t.Before(end) {
			end = t
		}
		v -= end.Sub(l.pauseStart)
	}
	return v
}

// realTime is when virtual time v is reached. A grant reserved after the
// last pause began falls at or after that pause's virtual start, so only
// the current pause needs placing.
func (l *limiter) realTime(v time.Duration) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.epoch.Add(v + l.offset)
	if !t.Before(l.pauseStart) {
		t = t.Add(l.pauseEnd.Sub(l.pauseStart))
	}
	return t
}

// pause holds every request until now+d, as a 429's Retry-After asks.
func (l *limiter) pause(now time.Time, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	until := now.Add(d)
	switch {
	case !until.After(l.pauseEnd):
	case now.Before(l.pauseEnd): // still paused: extend
		l.pauseEnd = until
	default:
		l.offset += l.pauseEnd.Sub(l.pauseStart)
		l.pauseStart, l.pauseEnd = now, until
	}
}

// giveBack returns the token of a caller that gave up waiting.
func (l *limiter) giveBack() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tokens = min(l.burst, l.tokens+1)
}
