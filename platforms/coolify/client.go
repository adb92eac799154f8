package coolify

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// maxBody bounds what the client reads of one answer. The largest is the
// list of every application of the team, a few kilobytes each.
const maxBody = 32 << 20

// Options are what a Client is handed rather than configured with.
type Options struct {
	// Logger receives retries at debug level; nil discards.
	Logger *slog.Logger
	// Transport sends requests; nil is a pooled transport that verifies
	// TLS against the system roots plus Config.CAFile. Tests pass one that
	// trusts their server or records the traffic.
	Transport http.RoundTripper
	// Now is the clock of the rate limiter; nil is time.Now.
	Now func() time.Time
	// RetryMax, RetryWaitMin and RetryWaitMax bound retries (defaults 4,
	// 500ms, 15s). A 429's Retry-After is waited in full whatever the max.
	RetryMax                   int
	RetryWaitMin, RetryWaitMax time.Duration
}

// Client calls Coolify's API. It is safe for concurrent use. Every request
// of every client of the same Coolify and token in the process, retries
// included, passes one rate limiter.
type Client struct {
	base  string // API base without a trailing slash
	token string
	// idem retries transport errors, 5xx and 429; once retries only 429,
	// which Coolify answers before doing anything. A create or deploy that
	// failed with a 500 may have happened, so it is not sent twice.
	idem, once *retryablehttp.Client
	lim        *limiter
	log        *slog.Logger
}

// NewClient builds a client from cfg's APIURL, Token, CAFile and RateLimit.
func NewClient(cfg Config, opts Options) (*Client, error) {
	cfg = cfg.withDefaults()
	if err := checkAPIURL(cfg.APIURL); err != nil {
		return nil, fmt.Errorf("coolify: COOLIFY_API_URL: %w", err)
	}
	if cfg.Token == "" {
		return nil, fmt.Errorf("coolify: COOLIFY_API_TOKEN is required")
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rt, err := baseTransport(cfg, opts.Transport)
	if err != nil {
		return nil, err
	}
	base := strings.TrimRight(cfg.APIURL, "/")
	c := &Client{base: base, token: cfg.Token, lim: sharedLimiter(base, cfg.Token, cfg.RateLimit, now), log: log}
	hc := &http.Client{Transport: &limitedTransport{next: rt, lim: c.lim, now: now}}
	c.idem = c.retrying(hc, opts, retryablehttp.DefaultRetryPolicy)
	c.once = c.retrying(hc, opts, retryOnlyTooMany)
	return c, nil
}

func baseTransport(cfg Config, given http.RoundTripper) (http.RoundTripper, error) {
	if given != nil {
		return given, nil
	}
	t := cleanhttp.DefaultPooledTransport()
	if cfg.CAFile != "" {
		pool, err := loadCAFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("coolify: COOLIFY_CA_FILE: %w", err)
		}
		t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return t, nil
}

func (c *Client) retrying(hc *http.Client, opts Options, policy retryablehttp.CheckRetry) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   hc,
		RetryMax:     cmp.Or(opts.RetryMax, 4),
		RetryWaitMin: cmp.Or(opts.RetryWaitMin, 500*time.Millisecond),
		RetryWaitMax: cmp.Or(opts.RetryWaitMax, 15*time.Second),
		CheckRetry:   policy,
		Backoff:      c.backoff,
		// Hand back the last answer, so a 429 or 500 after every retry
		// becomes an *APIError with Coolify's message, not a bare
		// "giving up".
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// call is one API request.
type call struct {
	method, path string
	query        url.Values
	body         any // JSON-encoded when set
	idempotent   bool
}

// do sends the call and decodes a 2xx answer into out (when not nil). A
// non-2xx answer is an *APIError; an answer that cannot be read in full or
// decoded is an error too, never an empty result.
func (c *Client) do(ctx context.Context, k call, out any) error {
	raw, err := c.send(ctx, k)
	if err != nil || out == nil {
		return err
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("coolify: %s %s: undecodable answer: %w", k.method, k.path, err)
	}
	return nil
}

// send performs the call and returns the body of a 2xx answer.
func (c *Client) send(ctx context.Context, k call) ([]byte, error) {
	req, err := c.request(ctx, k)
	if err != nil {
		return nil, err
	}
	cl := c.once
	if k.idempotent {
		cl = c.idem
	}
	resp, err := cl.Do(req)
	if err != nil {
		return nil, fmt.Errorf("coolify: %s %s: %w", k.method, k.path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err == nil && len(raw) > maxBody {
		err = fmt.Errorf("answer larger than %d bytes", maxBody)
	}
	if err != nil {
		return nil, fmt.Errorf("coolify: %s %s: read answer: %w", k.method, k.path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, parseAPIError(k.method, k.path, resp.StatusCode, resp.Header, raw)
	}
	return raw, nil
}

func (c *Client) request(ctx context.Context, k call) (*retryablehttp.Request, error) {
	u := c.base + k.path
	if len(k.query) > 0 {
		u += "?" + k.query.Encode()
	}
	var body []byte
	if k.body != nil {
		var err error
		if body, err = json.Marshal(k.body); err != nil {
			return nil, fmt.Errorf("coolify: %s %s: encode: %w", k.method, k.path, err)
		}
	}
	var rd any
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, k.method, u, rd)
	if err != nil {
		return nil, fmt.Errorf("coolify: %s %s: %w", k.method, k.path, err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "meeboter")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}
