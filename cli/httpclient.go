package cli

import (
	"context"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// retryPolicy tunes how hard the CLI tries before reporting the daemon
// unreachable: long enough to ride out a daemon restart in CI (about 8 s
// with the defaults), short enough that a typo'd address fails fast.
type retryPolicy struct {
	Max     int
	WaitMin time.Duration
	WaitMax time.Duration
	// RetryAfterMax bounds how long a Retry-After header may make us sleep.
	RetryAfterMax time.Duration
	// Timeout bounds one call including its retries (not streams).
	Timeout time.Duration
}

var defaultRetryPolicy = retryPolicy{
	Max:           5,
	WaitMin:       250 * time.Millisecond,
	WaitMax:       4 * time.Second,
	RetryAfterMax: 30 * time.Second,
	Timeout:       90 * time.Second,
}

// newHTTPClient returns an *http.Client that retries with backoff on
// connection errors, 502, 503, 504 and 429 (honouring Retry-After), and
// never retries a POST that carries no Idempotency-Key: without one the
// daemon cannot tell a retry from a second request.
func newHTTPClient(p retryPolicy) *http.Client {
	rc := retryablehttp.NewClient()
	rc.Logger = nil
	rc.RetryMax = p.Max
	rc.RetryWaitMin = p.WaitMin
	rc.RetryWaitMax = p.WaitMax
	rc.CheckRetry = checkRetry
	rc.Backoff = func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
		return min(retryablehttp.DefaultBackoff(lo, hi, attempt, resp), p.RetryAfterMax)
	}
	// Hand the last answer back as it is, so a final 503 still decodes
	// into its problem document instead of a generic "giving up" error.
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	hc := rc.StandardClient()
	hc.Transport = markRetryable{next: hc.Transport}
	hc.Timeout = p.Timeout
	return hc
}

type retryableKey struct{}

// markRetryable records in the request's context whether the request may
// be sent twice, because CheckRetry sees no request on connection errors.
type markRetryable struct{ next http.RoundTripper }

func (m markRetryable) RoundTrip(r *http.Request) (*http.Response, error) {
	ok := r.Method != http.MethodPost || r.Header.Get("Idempotency-Key") != ""
	return m.next.RoundTrip(r.WithContext(context.WithValue(r.Context(), retryableKey{}, ok)))
}

// checkRetry retries only what is safe to repeat and only failures that
// another try can fix.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if ok, _ := ctx.Value(retryableKey{}).(bool); !ok {
		return false, nil
	}
	if err != nil {
		// Redirect loops, bad schemes and certificate errors are final;
		// the default policy knows them.
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout, http.StatusTooManyRequests:
		return true, nil
	}
	return false, nil
}
