package coolify

import (
	"context"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// retryOnlyTooMany retries a 429 and nothing else.
func retryOnlyTooMany(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	return err == nil && resp.StatusCode == http.StatusTooManyRequests, nil
}

// backoff is retryablehttp's (exponential, or Retry-After on 429 and 503),
// logged.
func (c *Client) backoff(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	d := retryablehttp.DefaultBackoff(lo, hi, attempt, resp)
	if resp != nil && resp.Request != nil {
		c.log.Debug("coolify: retrying", "method", resp.Request.Method, "path", resp.Request.URL.Path,
			"status", resp.StatusCode, "wait", d, "attempt", attempt+1)
	}
	return d
}

// limitedTransport makes every attempt wait for the rate limiter, and
// pauses the limiter when Coolify answers 429.
type limitedTransport struct {
	next http.RoundTripper
	lim  *limiter
	now  func() time.Time
}

func (t *limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.lim.wait(req.Context()); err != nil {
		return nil, err
	}
	resp, err := t.next.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), t.now())
		if !ok {
			d = time.Second
		}
		t.lim.pause(t.now(), d)
	}
	return resp, err
}
