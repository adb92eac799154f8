package coolify

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestLimiter_NeverOverWindow drives the bucket on a virtual clock with
// bursts and 429 pauses, and checks Coolify's rule on the grant times: no
// 60 seconds ever hold more than the limit, and nothing reserved during a
// pause goes out before it ends.
func TestLimiter_NeverOverWindow(t *testing.T) {
	t.Parallel()
	for _, limit := range []int{2, 60, 200, 1000} {
		t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		now := t0
		l := newLimiter(limit, func() time.Time { return now })
		rng := rand.New(rand.NewPCG(uint64(limit), 7))
		type reservation struct {
			at time.Time
			v  time.Duration
		}
		var rs []reservation
		var pauses []pauseSpan
		for range 5 * limit {
			now = now.Add(time.Duration(rng.ExpFloat64() * float64(30*time.Second) / float64(limit)))
			if rng.IntN(50) == 0 {
				l.pause(now, time.Duration(1+rng.IntN(60))*time.Second)
				pauses = trackPause(pauses, l)
			}
			rs = append(rs, reservation{now, l.reserve(now)})
		}
		grants := make([]time.Time, len(rs))
		for i, r := range rs {
			grants[i] = realAt(t0, r.v, pauses)
			for _, p := range pauses {
				if !r.at.Before(p.start) && r.at.Before(p.end) && grants[i].Before(p.end) {
					t.Fatalf("limit %d: reserved at %v during a pause until %v, granted at %v", limit, r.at.Sub(t0), p.end.Sub(t0), grants[i].Sub(t0))
				}
			}
		}
		slices.SortFunc(grants, func(a, b time.Time) int { return a.Compare(b) })
		for i, g := range grants {
			j, _ := slices.BinarySearchFunc(grants, g.Add(time.Minute), func(x, target time.Time) int { return x.Compare(target) })
			if n := j - i; n > limit {
				t.Fatalf("limit %d: %d requests in the minute from %v", limit, n, g.Sub(t0))
			}
		}
	}
}

// pauseSpan is one pause as the limiter ended up holding it, with the
// virtual time it began at.
type pauseSpan struct {
	start, end time.Time
	vstart     time.Duration
}

// trackPause records the limiter's current pause: a new one, or the last
// one extended.
func trackPause(ps []pauseSpan, l *limiter) []pauseSpan {
	if n := len(ps); n > 0 && ps[n-1].start.Equal(l.pauseStart) {
		ps[n-1].end = l.pauseEnd
		return ps
	}
	return append(ps, pauseSpan{l.pauseStart, l.pauseEnd, l.virtual(l.pauseStart)})
}

// realAt is when a caller sleeping for virtual time v sends: it is pushed
// back by every pause that began before it went out, which is every pause
// whose virtual start is not after v.
func realAt(t0 time.Time, v time.Duration, ps []pauseSpan) time.Time {
	t := t0.Add(v)
	for _, p := range ps {
		if p.vstart <= v {
			t = t.Add(p.end.Sub(p.start))
		}
	}
	return t
}

// TestLimiter_Burst checks a fresh bucket lets a twentieth of the limit
// out at once and spaces the rest.
func TestLimiter_Burst(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLimiter(200, func() time.Time { return now })
	for i := range 10 {
		if at := l.realTime(l.reserve(now)); !at.Equal(now) {
			t.Fatalf("request %d of the burst waits until %v", i+1, at.Sub(now))
		}
	}
	if at := l.realTime(l.reserve(now)); !at.After(now) {
		t.Fatal("the request after the burst does not wait")
	}
}

func TestLimiter_WaitConcurrent(t *testing.T) {
	t.Parallel()
	l := newLimiter(600_000, time.Now)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 64 {
		wg.Go(func() { errs <- l.wait(t.Context()) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestLimiter_WaitGivesUp(t *testing.T) {
	t.Parallel()
	l := newLimiter(2, time.Now) // one token, then one a minute
	if err := l.wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Millisecond)
	defer cancel()
	if err := l.wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the deadline", err)
	}
}

// TestLimiter_SharedPerToken: two clients of one Coolify and token draw
// from one bucket; another token has its own.
func TestLimiter_SharedPerToken(t *testing.T) {
	t.Parallel()
	cfg := Config{APIURL: "https://coolify.example.com/api/v1", Token: "shared-" + t.Name(), RateLimit: 120}
	a, err := NewClient(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewClient(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Token += "-other"
	c, err := NewClient(cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.lim != b.lim || a.lim == c.lim {
		t.Fatalf("buckets: a %p, b %p, c %p", a.lim, b.lim, c.lim)
	}
}
