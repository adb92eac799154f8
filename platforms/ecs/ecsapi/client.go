// Package ecsapi is a client of the four Amazon ECS operations the ECS
// platform makes: RunTask, DescribeTasks, StopTask and ListTasks. It
// speaks the service's JSON 1.1 protocol over net/http, signed with the
// AWS SDK's SigV4 signer, and retries as the SDK's standard retryer does.
//
// The SDK's own ECS client is not used because linking it costs every
// daemon start about 1 MB of heap and 1.5 MB of resident binary pages
// (its generated schemas and endpoint tables are built at package init),
// whether or not ECS is configured, for some 300 operations of which the
// platform needs four.
package ecsapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// targetPrefix starts the X-Amz-Target of every ECS operation.
const targetPrefix = "AmazonEC2ContainerServiceV20141113."

// maxBody bounds an answer read into memory; a DescribeTasks of 100 tasks
// is well under 1 MB.
const maxBody = 16 << 20

// Options configure a Client. Region and Credentials are required.
type Options struct {
	// Region signs the requests and, without Endpoint, names the
	// endpoint.
	Region string
	// Endpoint is the service URL; empty means the region's public one
	// (see Endpoint).
	Endpoint string
	// Credentials sign each request; wrap them in aws.NewCredentialsCache
	// so they are not fetched for every call.
	Credentials aws.CredentialsProvider
	// HTTPClient sends the requests (default: a client with a 30 s
	// timeout on http.DefaultTransport).
	HTTPClient *http.Client
	// MaxAttempts is how often a call is tried in all (default 3, the
	// SDK's).
	MaxAttempts int
	// Backoff is the wait before attempt n+1 after attempt n failed
	// (default: the SDK's, up to 2^n s with full jitter, at most 20 s).
	Backoff func(n int) time.Duration
}

// Client calls ECS. It is safe for concurrent use.
type Client struct {
	opts   Options
	signer *v4.Signer
}

// New checks the options and fills the defaults. It makes no call.
func New(opts Options) (*Client, error) {
	if opts.Region == "" {
		return nil, errors.New("ecs client: no region")
	}
	if opts.Credentials == nil {
		return nil, errors.New("ecs client: no credentials")
	}
	if opts.Endpoint == "" {
		opts.Endpoint = Endpoint(opts.Region, false)
	}
	if !strings.HasPrefix(opts.Endpoint, "http://") && !strings.HasPrefix(opts.Endpoint, "https://") {
		return nil, fmt.Errorf("ecs client: endpoint %q is not an http(s) URL", opts.Endpoint)
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 3
	}
	if opts.Backoff == nil {
		opts.Backoff = sdkBackoff
	}
	return &Client{opts: opts, signer: v4.NewSigner()}, nil
}

// Endpoint is the public ECS endpoint of a region (its FIPS one when
// fips is set), as the SDK resolves them for the commercial and China
// partitions.
func Endpoint(region string, fips bool) string {
	host := "ecs"
	if fips {
		host = "ecs-fips"
	}
	domain := "amazonaws.com"
	if strings.HasPrefix(region, "cn-") {
		domain = "amazonaws.com.cn"
	}
	return "https://" + host + "." + region + "." + domain
}

// RunTask starts tasks.
func (c *Client) RunTask(ctx context.Context, in *RunTaskInput) (*RunTaskOutput, error) {
	out := &RunTaskOutput{}
	return out, c.call(ctx, "RunTask", in, out)
}

// DescribeTasks describes up to 100 tasks.
func (c *Client) DescribeTasks(ctx context.Context, in *DescribeTasksInput) (*DescribeTasksOutput, error) {
	out := &DescribeTasksOutput{}
	return out, c.call(ctx, "DescribeTasks", in, out)
}

// StopTask stops a task.
func (c *Client) StopTask(ctx context.Context, in *StopTaskInput) (*StopTaskOutput, error) {
	out := &StopTaskOutput{}
	return out, c.call(ctx, "StopTask", in, out)
}

// ListTasks reads one page of task ARNs.
func (c *Client) ListTasks(ctx context.Context, in *ListTasksInput) (*ListTasksOutput, error) {
	out := &ListTasksOutput{}
	return out, c.call(ctx, "ListTasks", in, out)
}

// call sends one operation, retrying what may succeed when sent again,
// and decodes the answer into out.
func (c *Client) call(ctx context.Context, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("ecs %s: encode request: %w", op, err)
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	for n := 1; ; n++ {
		err := c.send(ctx, op, body, hash, out)
		if err == nil {
			return nil
		}
		if n >= c.opts.MaxAttempts || !retryable(ctx, err) {
			if n > 1 {
				return fmt.Errorf("ecs %s: after %d attempts: %w", op, n, err)
			}
			return fmt.Errorf("ecs %s: %w", op, err)
		}
		t := time.NewTimer(c.opts.Backoff(n))
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("ecs %s: %w (waiting to retry after: %w)", op, ctx.Err(), err)
		case <-t.C:
		}
	}
}

// send makes one attempt: sign, post, read, decode.
func (c *Client) send(ctx context.Context, op string, body []byte, hash string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(c.opts.Endpoint, "/")+"/", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", targetPrefix+op)
	req.Header.Set("User-Agent", "meeboter")
	creds, err := c.opts.Credentials.Retrieve(ctx)
	if err != nil {
		return &final{fmt.Errorf("get credentials: %w", err)}
	}
	if err := c.signer.SignHTTP(ctx, creds, req, hash, "ecs", c.opts.Region, time.Now()); err != nil {
		return &final{fmt.Errorf("sign: %w", err)}
	}
	resp, err := c.opts.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return parseError(resp.StatusCode, resp.Header, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &final{fmt.Errorf("decode answer: %w", err)}
	}
	return nil
}

// final is a failed attempt that sending again would not cure: no
// credentials (their providers retry on their own), a request that
// cannot be signed, a 200 answer that is not the operation's JSON.
type final struct{ err error }

func (e *final) Error() string { return e.err.Error() }
func (e *final) Unwrap() error { return e.err }

// retryable reports whether a failed attempt is worth another: a
// retryable API error, or a transport failure (the request may not have
// arrived, or its answer was lost), unless the caller gave up.
func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr.retryable()
	}
	var f *final
	return !errors.As(err, &f)
}
