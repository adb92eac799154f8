package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// call is what the retry policy knows of one request across its attempts.
// CheckRetry sees no request on connection errors, so the outermost
// transport puts this in the request's context.
type call struct {
	// repeatable: the request may be sent twice.
	repeatable bool
	// loopback: the daemon is on this machine.
	loopback bool

	notices io.Writer
	daemon  string
	after   time.Duration
	start   time.Time

	mu                     sync.Mutex
	retried, done, noticed bool
}

type callKey struct{}

func callFrom(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

// retrying records that another attempt follows, and says so once the call
// has been going for longer than after.
func (c *call) retrying() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.retried = true
	if time.Since(c.start) >= c.after {
		c.notice()
	}
}

// tick is the timer at after: a call already retrying says so now.
func (c *call) tick() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.retried && !c.done {
		c.notice()
	}
}

func (c *call) finish() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done = true
}

// notice prints the retry line once; c.mu is held.
func (c *call) notice() {
	if c.noticed || c.notices == nil {
		return
	}
	c.noticed = true
	fmt.Fprintf(c.notices, "daemon at %s not answering, retrying…\n", c.daemon)
}

// callTracker is the outermost transport: it sees each call once, before
// and after all of its attempts.
type callTracker struct {
	next    http.RoundTripper
	notices io.Writer
	after   time.Duration
}

func (t callTracker) RoundTrip(r *http.Request) (*http.Response, error) {
	c := &call{
		repeatable: r.Method != http.MethodPost || r.Header.Get("Idempotency-Key") != "",
		loopback:   isLoopback(r.URL.Hostname()),
		notices:    t.notices, daemon: r.URL.Scheme + "://" + r.URL.Host, after: t.after, start: time.Now(),
	}
	timer := time.AfterFunc(t.after, c.tick)
	defer timer.Stop()
	defer c.finish()
	return t.next.RoundTrip(r.WithContext(context.WithValue(r.Context(), callKey{}, c)))
}
