package api

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// StreamOptions selects what a server-sent event stream carries.
type StreamOptions struct {
	// BotID follows one bot (/v1/bots/{id}/stream, with its log lines);
	// 0 follows every bot of the caller (/v1/events/stream).
	BotID int64
	// Statuses narrows the fleet stream to bots entering these statuses.
	Statuses []BotStatus
	// Logs includes log lines in a fleet stream too.
	Logs bool
}

// Stream follows live changes and calls fn for each message until ctx ends,
// the stream breaks, or fn returns an error (which Stream returns). The
// daemon sends a "bot" message with the current state first, so a caller
// never misses a change between reading and following.
func (c *Client) Stream(ctx context.Context, opts StreamOptions, fn func(StreamEvent) error) error {
	path := "/v1/events/stream"
	if opts.BotID != 0 {
		path = "/v1/bots/" + strconv.FormatInt(opts.BotID, 10) + "/stream"
	}
	q := url.Values{}
	for _, s := range opts.Statuses {
		q.Add("status", string(s))
	}
	if opts.Logs {
		q.Set("logs", "true")
	}
	req, err := c.newRequest(ctx, http.MethodGet, path, q, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.stream.Do(req)
	if err != nil {
		return c.transportError(ctx, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return decodeProblem(resp)
	}
	return readSSE(ctx, bufio.NewReader(resp.Body), fn)
}

// readSSE reads "data:" lines of an event stream, one JSON StreamEvent per
// event; comments and other fields are skipped.
func readSSE(ctx context.Context, r *bufio.Reader, fn func(StreamEvent) error) error {
	var data strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("%w: stream ended: %v", ErrUnreachable, err)
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "":
			if data.Len() == 0 {
				continue
			}
			var ev StreamEvent
			if err := json.Unmarshal([]byte(data.String()), &ev); err != nil {
				return fmt.Errorf("decode stream event: %w", err)
			}
			data.Reset()
			if err := fn(ev); err != nil {
				return err
			}
		case strings.HasPrefix(line, "data:"):
			data.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		}
	}
}
