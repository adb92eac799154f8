package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// DefaultAddress is where a local daemon listens unless told otherwise.
const DefaultAddress = "http://127.0.0.1:3000"

// Config says which daemon a Client talks to and as whom.
type Config struct {
	// Address is the daemon's base URL.
	Address string
	// APIKey is sent as "Authorization: Bearer <key>".
	APIKey string
	// HTTPClient defaults to a client with a 60 s timeout. Streams use it
	// without the timeout.
	HTTPClient *http.Client
	// UserAgent is sent with every request.
	UserAgent string
}

// DefaultConfig reads MEEBOTER_ADDR and MEEBOTER_API_KEY, falling back to
// DefaultAddress.
func DefaultConfig() Config {
	addr := os.Getenv("MEEBOTER_ADDR")
	if addr == "" {
		addr = DefaultAddress
	}
	return Config{Address: addr, APIKey: os.Getenv("MEEBOTER_API_KEY")}
}

// Client calls a meeboter daemon. It is safe for concurrent use.
type Client struct {
	base   *url.URL
	key    string
	http   *http.Client
	stream *http.Client
	agent  string
}

// NewClient checks cfg and returns a client.
func NewClient(cfg Config) (*Client, error) {
	addr := strings.TrimRight(cfg.Address, "/")
	if addr == "" {
		addr = DefaultAddress
	}
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	u, err := url.Parse(addr)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("invalid daemon address %q", cfg.Address)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	streamClient := *hc
	streamClient.Timeout = 0
	ua := cfg.UserAgent
	if ua == "" {
		ua = "meeboter-go"
	}
	return &Client{base: u, key: cfg.APIKey, http: hc, stream: &streamClient, agent: ua}, nil
}

// Address is the daemon's base URL.
func (c *Client) Address() string { return c.base.String() }

// RequestOption adjusts one request.
type RequestOption func(*http.Request)

// WithIdempotencyKey sends an Idempotency-Key header: a retried POST with
// the same key and body returns the first answer instead of acting twice.
func WithIdempotencyKey(key string) RequestOption {
	return func(r *http.Request) {
		if key != "" {
			r.Header.Set("Idempotency-Key", key)
		}
	}
}

func (c *Client) newRequest(ctx context.Context, method, path string, query url.Values, body any) (*http.Request, error) {
	u := c.base.JoinPath(path)
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	var rd io.Reader
	if body != nil {
		buf, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("encode request: %w", err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.agent)
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	return req, nil
}

// do sends a request and decodes a 2xx JSON answer into out (when not nil);
// other answers become *Error.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any, opts ...RequestOption) error {
	req, err := c.newRequest(ctx, method, path, query, body)
	if err != nil {
		return err
	}
	for _, o := range opts {
		o(req)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return decodeProblem(resp)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("decode response of %s %s: %w", method, path, err)
	}
	return nil
}

// transportError is the error of a request that got no answer: the
// caller's own cancellation as it is, anything else an UnreachableError.
func (c *Client) transportError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		// The URL is in Address already; keep the cause alone.
		err = ue.Err
	}
	return &UnreachableError{Address: c.Address(), Err: err}
}

// decodeProblem turns an error response into *Error, whether or not the
// body is a problem document (a proxy may answer with HTML).
func decodeProblem(resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	e := &Error{}
	if err := json.Unmarshal(body, &e.Problem); err != nil || e.Code == "" {
		e.Problem = Problem{Status: resp.StatusCode, Title: http.StatusText(resp.StatusCode), Code: codeForStatus(resp.StatusCode)}
		if text := strings.TrimSpace(string(body)); text != "" && len(text) < 300 {
			e.Detail = text
		}
	}
	if e.Status == 0 {
		e.Status = resp.StatusCode
	}
	return e
}

func codeForStatus(status int) string {
	switch status {
	case http.StatusBadRequest:
		return CodeBadRequest
	case http.StatusUnauthorized:
		return CodeUnauthorized
	case http.StatusForbidden:
		return CodeForbidden
	case http.StatusNotFound:
		return CodeNotFound
	case http.StatusConflict:
		return CodeConflict
	case http.StatusUnprocessableEntity:
		return CodeValidation
	case http.StatusTooManyRequests:
		return CodeRateLimited
	case http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout:
		return CodeUnavailable
	}
	return CodeInternal
}

// IsUnreachable reports whether err means the daemon could not be reached.
func IsUnreachable(err error) bool { return errors.Is(err, ErrUnreachable) }
