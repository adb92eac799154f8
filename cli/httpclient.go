package cli

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// retryPolicy tunes how hard the CLI tries before reporting the daemon
// unreachable: long enough to ride out a remote daemon's restart or a
// proxy's hiccup (about 8 s with the defaults), short enough that a
// typo'd address fails fast.
type retryPolicy struct {
	Max     int
	WaitMin time.Duration
	WaitMax time.Duration
	// RetryAfterMax bounds how long a Retry-After header may make us sleep.
	RetryAfterMax time.Duration
	// Timeout bounds one call including its retries (not streams).
	Timeout time.Duration
	// NoticeAfter is how long a call may retry in silence before the CLI
	// says so on stderr.
	NoticeAfter time.Duration
}

var defaultRetryPolicy = retryPolicy{
	Max:           5,
	WaitMin:       250 * time.Millisecond,
	WaitMax:       4 * time.Second,
	RetryAfterMax: 30 * time.Second,
	Timeout:       90 * time.Second,
	NoticeAfter:   time.Second,
}

// newHTTPClient returns an *http.Client that retries with backoff on
// connection errors, 502, 503, 504 and a 429 with Retry-After (honouring it), and
// never retries a POST that carries no Idempotency-Key: without one the
// daemon cannot tell a retry from a second request. A connection refused
// on a loopback address is final at once: no daemon is listening on this
// machine, and none will appear by waiting. A call still retrying after
// p.NoticeAfter says so on notices.
func newHTTPClient(p retryPolicy, notices io.Writer) *http.Client {
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
	hc.Transport = callTracker{next: hc.Transport, notices: notices, after: p.NoticeAfter}
	hc.Timeout = p.Timeout
	return hc
}

// checkRetry retries only what is safe to repeat and only failures that
// another try can fix.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	call := callFrom(ctx)
	if call == nil || !call.repeatable {
		return false, nil
	}
	retry := false
	switch {
	case err != nil && call.loopback && errors.Is(err, syscall.ECONNREFUSED):
	case err != nil:
		// Redirect loops, bad schemes and certificate errors are final;
		// the default policy knows them.
		retry, _ = retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	default:
		switch resp.StatusCode {
		case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			retry = true
		case http.StatusTooManyRequests:
			// A rate limit says when to come back; a limit that waiting
			// a few seconds cannot lift (the daily quota, the concurrency
			// cap) sends no Retry-After and is final.
			retry = resp.Header.Get("Retry-After") != ""
		}
	}
	if retry {
		call.retrying()
	}
	return retry, nil
}

// isLoopback reports whether host (a name or an address, no port) is this
// machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
